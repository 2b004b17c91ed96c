using KetamineScheduling.Api.Data;
using NodaTime;

namespace KetamineScheduling.Api.Idempotency;

/// <summary>Settings for idempotent retries, from the <c>Idempotency</c> configuration section.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>How long a key and its response are kept: <c>Idempotency:RetentionHours</c>, 24 by default.</summary>
    public int RetentionHours { get; set; } = 24;

    /// <summary>
    /// How long a claim may go unanswered before a retry may take it over, when the request that made it changed
    /// nothing: <c>Idempotency:AbandonAfterSeconds</c>, 60 by default. Requests take milliseconds; a claim this old
    /// belongs to a process that died.
    /// </summary>
    public int AbandonAfterSeconds { get; set; } = 60;
}

/// <summary>Registration of idempotent retries; see <see cref="IdempotencyMiddleware"/> for what they do.</summary>
internal static partial class Idempotency
{
    public static WebApplicationBuilder AddIdempotency(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdempotencyOptions>()
            .BindConfiguration(IdempotencyOptions.Section)
            .Validate(o => o.RetentionHours > 0, "Idempotency:RetentionHours must be positive.")
            .Validate(o => o.AbandonAfterSeconds > 0, "Idempotency:AbandonAfterSeconds must be positive.");
        builder.Services.AddSingleton<ReplayProtector>();
        builder.Services.AddHostedService<ExpiredKeyCleanup>();
        return builder;
    }

    /// <summary>
    /// Keeps and replays responses to POSTs that carry Idempotency-Key. Must come after authentication and
    /// authorisation, so that the caller's key id is known and a refused request claims no key.
    /// </summary>
    public static WebApplication UseIdempotency(this WebApplication app)
    {
        app.UseMiddleware<IdempotencyMiddleware>();
        return app;
    }

    /// <summary>Removes expired keys every hour; an expired key is already treated as absent, this only frees the space.</summary>
    private sealed partial class ExpiredKeyCleanup(Database db, IClock clock, ILogger<ExpiredKeyCleanup> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await IdempotencyStore.DeleteExpiredAsync(db, clock.GetCurrentInstant(), stoppingToken);
                }
                catch (System.Data.Common.DbException e)
                {
                    CleanupFailed(logger, e);
                }
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "Removing expired idempotency keys failed; trying again in an hour.")]
        private static partial void CleanupFailed(ILogger logger, Exception exception);
    }
}
