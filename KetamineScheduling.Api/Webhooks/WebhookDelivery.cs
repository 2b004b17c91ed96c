using System.Globalization;
using System.Text;
using System.Text.Json;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using Microsoft.Extensions.Options;
using NodaTime;

namespace KetamineScheduling.Api.Webhooks;

/// <summary>Settings for webhooks, from the <c>Webhooks</c> configuration section.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Allows http targets and loopback or private addresses: for tests and on-premises installs. Default false.</summary>
    public bool AllowPrivateNetworkTargets { get; set; }

    /// <summary>Seconds between looks for events to deliver. Default 1.</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>The wait after a first failed attempt; it doubles with each further failure. Default 1 second.</summary>
    public double BackoffBaseSeconds { get; set; } = 1;

    /// <summary>The longest wait between attempts. Default 3600 (an hour).</summary>
    public double MaxBackoffSeconds { get; set; } = 3600;

    /// <summary>How long a receiver has to answer. Default 10 seconds.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>How long an instance holds a webhook while it delivers; renewed with every attempt. Default 60 seconds.</summary>
    public double LeaseSeconds { get; set; } = 60;

    /// <summary>The wait before attempt <paramref name="failures"/> + 1 at an event: base × 2^(failures − 1), at most the maximum.</summary>
    public Duration Backoff(int failures) =>
        Duration.FromSeconds(Math.Min(BackoffBaseSeconds * Math.Pow(2, Math.Max(0, failures - 1)), MaxBackoffSeconds));
}

/// <summary>
/// Delivers the change feed to webhooks, at least once and in order, following the Standard Webhooks specification.
/// </summary>
/// <remarks>
/// <para>
/// Every <c>Webhooks:PollSeconds</c> the worker finds webhooks with committed events after their cursor. For each
/// it takes a lease (a conditional update of <c>lease_owner</c> and <c>lease_until</c>, so that of several API
/// instances only one delivers a webhook at a time) and sends its events one at a time in feed order. A 2xx moves
/// the cursor past the event; anything else (or no answer within <c>Webhooks:TimeoutSeconds</c>) is logged and the
/// event is tried again after a backoff of 1, 2, 4 … seconds (<c>Webhooks:BackoffBaseSeconds</c>, at most
/// <c>Webhooks:MaxBackoffSeconds</c>), holding back the events after it so they still arrive in order.
/// </para>
/// <para>
/// Progress lives in the database, so a restart loses nothing: a receiver that was down gets every event, in
/// order, once it is back. Waits are measured with the injected clock, never slept through, so tests can move time.
/// </para>
/// <para>
/// Each request is a POST of <c>{"type", "timestamp", "data": {"clinicId", "resourceType", "resourceId",
/// "version", "eventId"}}</c> with the headers <c>webhook-id</c> (the event id, the same on every retry),
/// <c>webhook-timestamp</c> (Unix seconds of this attempt) and <c>webhook-signature</c> (<c>v1,</c> and the
/// HMAC-SHA256; see <see cref="WebhookSigner"/>). Payloads name what changed and carry no patient details: the
/// receiver reads those through the API, where every read is authorised and audited.
/// </para>
/// </remarks>
internal sealed partial class WebhookDelivery(
    Database db, WebhookSecrets secrets, IClock clock, IHttpClientFactory clients, IOptions<WebhookOptions> options, ILogger<WebhookDelivery> logger) : BackgroundService
{
    public const string ClientName = "webhooks";

    /// <summary>Events one webhook is sent in one round; the rest wait for the next poll.</summary>
    private const int EventsPerRound = 100;

    /// <summary>Webhooks served in one round, and how many at once.</summary>
    private const int WebhooksPerRound = 100;

    private const int Concurrency = 8;

    private static readonly JsonSerializerOptions Json = ClinicJson.Configure(new JsonSerializerOptions());

    /// <summary>Names this instance in leases.</summary>
    private readonly string owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private WebhookOptions Settings => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Settings.PollSeconds));
        do
        {
            try
            {
                var due = await WebhookStore.DueAsync(db, clock.GetCurrentInstant(), WebhooksPerRound, stoppingToken);
                await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = stoppingToken }, DeliverAsync);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // An exception escaping a BackgroundService stops the whole API; a failed round is only retried.
                RoundFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Delivers one webhook's pending events in order, until one fails or none are left this round.</summary>
    private async ValueTask DeliverAsync(Guid webhookId, CancellationToken cancellationToken)
    {
        var lease = Duration.FromSeconds(Settings.LeaseSeconds);
        var now = clock.GetCurrentInstant();
        if (!await WebhookStore.TryLeaseAsync(db, webhookId, owner, now, now + lease, cancellationToken))
        {
            return;
        }

        try
        {
            if (await WebhookStore.TargetAsync(db, webhookId, cancellationToken) is not { } target)
            {
                return;
            }

            var secret = secrets.Reveal(target.Secret);
            IReadOnlyList<FeedEvent> events;
            await using (var connection = await db.OpenAsync(cancellationToken))
            {
                events = await FeedReader.ReadAsync(connection, target.ClinicId, target.Cursor, EventsPerRound, cancellationToken);
            }

            var failures = target.Attempt;
            foreach (var feedEvent in events.Where(e => target.Wants(e.Type)))
            {
                var attempt = await SendAsync(target, secret, feedEvent, failures + 1, cancellationToken);
                now = clock.GetCurrentInstant();
                failures = attempt.Succeeded ? 0 : failures + 1;
                var progress = attempt.Succeeded
                    ? new DeliveryProgress(feedEvent.Position, 0, null, now + lease)
                    : new DeliveryProgress(target.Cursor, failures, now + Settings.Backoff(failures), now + lease);
                if (!await WebhookStore.RecordAsync(db, webhookId, owner, progress, attempt, cancellationToken) || !attempt.Succeeded)
                {
                    return;
                }

                target = target.After(feedEvent.Position);
            }

            // Events at the end that the webhook does not subscribe to are passed over, so it is not due for them again.
            if (events.Count > 0 && events[^1].Position > target.Cursor)
            {
                await WebhookStore.RecordAsync(db, webhookId, owner, new DeliveryProgress(events[^1].Position, 0, null, now + lease), null, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One webhook's trouble (a database error, a URL the client refuses) must not stop the others.
            DeliveryFailed(logger, webhookId, e);
        }
        finally
        {
            await WebhookStore.ReleaseAsync(db, webhookId, owner);
        }
    }

    /// <summary>Sends one event and says how it went; the worker's own shutdown is the only failure it throws.</summary>
    private async Task<Attempt> SendAsync(DeliveryTarget target, string secret, FeedEvent feedEvent, int number, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(
            new WebhookPayload(feedEvent.Type, feedEvent.OccurredAt, new WebhookData(target.ClinicId, feedEvent.ResourceType, feedEvent.ResourceId, feedEvent.Version, feedEvent.Id)),
            Json);
        var messageId = feedEvent.Id.ToString(CultureInfo.InvariantCulture);
        var sentAt = clock.GetCurrentInstant();
        var timestamp = sentAt.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigner.Sign(secret, messageId, timestamp, body));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return new Attempt(feedEvent.Id, number, sentAt, status, response.IsSuccessStatusCode ? null : $"The receiver answered {status}.", response.IsSuccessStatusCode);
        }
        catch (HttpRequestException e)
        {
            return new Attempt(feedEvent.Id, number, sentAt, null, Shorten(e.Message), false);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Attempt(feedEvent.Id, number, sentAt, null, $"No answer within {Settings.TimeoutSeconds} seconds.", false);
        }
    }

    private static string Shorten(string message) => message.Length <= 1000 ? message : message[..1000];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for webhook deliveries failed; trying again at the next poll.")]
    private static partial void RoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering to webhook {WebhookId} failed; trying again at the next poll.")]
    private static partial void DeliveryFailed(ILogger logger, Guid webhookId, Exception exception);
}

/// <summary>What a webhook receives: what happened, to what, and the version it is at now. No patient details.</summary>
/// <param name="Type">The event type, e.g. <c>session.booked</c>.</param>
/// <param name="Timestamp">When the change was committed.</param>
/// <param name="Data">What changed.</param>
internal sealed record WebhookPayload(string Type, Instant Timestamp, WebhookData Data);

/// <summary>Names the changed resource; the receiver reads it through the API for the details.</summary>
/// <param name="ClinicId">The clinic it belongs to.</param>
/// <param name="ResourceType">clinic, chair, patient, plan or session.</param>
/// <param name="ResourceId">The resource's id.</param>
/// <param name="Version">Its version after the change, as its ETag carries it.</param>
/// <param name="EventId">The change feed event; also the <c>webhook-id</c> header.</param>
internal sealed record WebhookData(Guid ClinicId, string ResourceType, Guid ResourceId, int Version, long EventId);

/// <summary>Registration of webhook delivery.</summary>
internal static class WebhookRegistration
{
    /// <summary>
    /// Registers <see cref="WebhookOptions"/> (the <c>Webhooks</c> section), the URL guard, the secrets' encryption
    /// (with the start-up pass over secrets stored in plain text), the delivery client (no redirects, connections only
    /// to permitted addresses, <c>Webhooks:TimeoutSeconds</c>) and the worker.
    /// </summary>
    public static WebApplicationBuilder AddWebhookDelivery(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.PollSeconds > 0 && o.BackoffBaseSeconds >= 0 && o.MaxBackoffSeconds >= o.BackoffBaseSeconds && o.TimeoutSeconds > 0,
                "Webhooks:PollSeconds and TimeoutSeconds must be positive, and MaxBackoffSeconds at least BackoffBaseSeconds.")
            .Validate(o => o.LeaseSeconds > o.TimeoutSeconds, "Webhooks:LeaseSeconds must be longer than TimeoutSeconds, or a lease could lapse mid-delivery.");
        builder.Services.AddSingleton<WebhookUrlGuard>();
        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddHttpClient(WebhookDelivery.ClientName, (services, client) =>
            {
                client.Timeout = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<WebhookOptions>>().Value.TimeoutSeconds);
                client.DefaultRequestHeaders.UserAgent.ParseAdd("KetamineScheduling-Webhooks/1");
            })
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectCallback = services.GetRequiredService<WebhookUrlGuard>().ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        // Registered after the database's migrations and before delivery, so no plain secret is left when either runs.
        builder.Services.AddHostedService<EncryptPlainSecretsOnStart>();
        builder.Services.AddHostedService<WebhookDelivery>();
        return builder;
    }
}
