using System.Globalization;
using System.Threading.RateLimiting;
using KetamineScheduling.Api.CalendarFeeds;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace KetamineScheduling.Api.Access;

/// <summary>
/// Who may call what: API key authentication, the roles each route allows, confining a key to its clinic, and
/// rate limits per key.
/// </summary>
internal static class AccessSetup
{
    public static WebApplicationBuilder AddAccess(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);

        // Every route needs a key unless it says otherwise (health does); each /v1 route then names its roles.
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        builder.Services.AddOptions<RateLimitSettings>().BindConfiguration(RateLimitSettings.Section);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
        });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitSettings>>((options, settings) =>
        {
            // One factory for every bucket, made once: a factory made per request cost two delegates a request.
            var newBucket = NewBucket(settings.Value);
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => PartitionByKey(context, newBucket));
        });

        builder.Services.AddSingleton<KnownKeys>();
        builder.Services.AddHostedService<SeedKeysOnStart>();
        return builder;
    }

    public static WebApplication UseAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.Use(RateLimitHeaders.Send);
        app.UseAuthorization();
        app.Use(ScopeToClinic);
        return app;
    }

    /// <summary>
    /// A route's <c>{clinicId}</c> that is not the key's clinic, or that names no clinic at all, answers 404: the
    /// clinic comes from the key, never from the caller. A clinic key's own clinic always exists (the key refers to
    /// it), so only platform admins, who belong to no clinic and name the clinic they act on, cost a lookup. Past
    /// this point every handler can take its clinic as given.
    /// </summary>
    private static async Task ScopeToClinic(HttpContext context, RequestDelegate next)
    {
        if (context.GetRouteValue("clinicId") is string text && Guid.TryParse(text, out var clinicId) &&
            Caller.TryFrom(context.User) is { } caller &&
            (caller.ClinicId is { } own ? own != clinicId : !await ClinicExistsAsync(context, clinicId)))
        {
            await NotFoundProblem.Of("clinic", clinicId).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static async Task<bool> ClinicExistsAsync(HttpContext context, Guid clinicId)
    {
        var db = context.RequestServices.GetRequiredService<Database>();
        await using var connection = await db.OpenAsync(context.RequestAborted);
        return await ClinicStore.ExistsAsync(connection, clinicId);
    }

    /// <summary>Whether requests to <paramref name="path"/> spend their key's tokens: the JSON API's and the FHIR API's.</summary>
    public static bool IsLimited(PathString path) => path.StartsWithSegments("/v1") || Fhir.FhirWire.Covers(path);

    /// <summary>
    /// One token bucket per key under /v1 and /fhir/r4, and per calendar feed for a feed's fetch, which carries no key (per
    /// address for other requests without a valid key); nothing else is limited. A feed's bucket is named by its
    /// token's hash, so the token itself is not kept in memory.
    /// </summary>
    private static RateLimitPartition<string> PartitionByKey(HttpContext context, Func<string, RateLimiter> newBucket)
    {
        if (!IsLimited(context.Request.Path))
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var partition = Caller.TryFrom(context.User) is { } caller ? caller.RateLimitPartition
            : context.GetRouteValue(CalendarFeedToken.RouteValue) is string feedToken ? $"calendar-feed:{CalendarFeedToken.Hash(feedToken)}"
            : $"address:{context.Connection.RemoteIpAddress}";
        return RateLimitPartition.Get(partition, newBucket);
    }

    private static Func<string, RateLimiter> NewBucket(RateLimitSettings settings) => _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        TokenLimit = settings.Burst,
        TokensPerPeriod = settings.PermitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        var settings = rejected.HttpContext.RequestServices.GetRequiredService<IOptions<RateLimitSettings>>().Value;
        rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        RateLimitHeaders.Write(rejected.HttpContext, 0);
        await TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            detail: $"A key may make {settings.PermitsPerSecond} requests a second, in bursts of up to {settings.Burst}. Retry after {seconds} s.")
            .ExecuteAsync(rejected.HttpContext);
    }
}

/// <summary>The <c>RateLimiting</c> settings: a token bucket per API key.</summary>
internal sealed class RateLimitSettings
{
    public const string Section = "RateLimiting";

    /// <summary>Requests a key may make each second, sustained.</summary>
    public int PermitsPerSecond { get; set; } = 200;

    /// <summary>Requests a key may make at once after a quiet spell.</summary>
    public int Burst { get; set; } = 400;
}
