using System.Globalization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace KetamineScheduling.Api.Access;

/// <summary>
/// Tells each /v1 and /fhir/r4 caller where its key's token bucket stands, in the IETF draft's RateLimit header fields
/// (draft-ietf-httpapi-ratelimit-headers): the bucket's size, the requests left in it, and the seconds until it is
/// full again. A 429 carries them too, with <c>Retry-After</c>.
/// </summary>
internal static class RateLimitHeaders
{
    /// <summary>The most requests the key may make at once: the bucket's size (<c>RateLimiting:Burst</c>).</summary>
    public const string Limit = "RateLimit-Limit";

    /// <summary>The requests the key may still make at once.</summary>
    public const string Remaining = "RateLimit-Remaining";

    /// <summary>Seconds until the bucket is full again (0 when it is full).</summary>
    public const string Reset = "RateLimit-Reset";

    /// <summary>Middleware after the rate limiter: a request that gets this far was let through.</summary>
    public static Task Send(HttpContext context, RequestDelegate next)
    {
        if (AccessSetup.IsLimited(context.Request.Path))
        {
            var limiter = context.RequestServices.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter;
            Write(context, limiter?.GetStatistics(context)?.CurrentAvailablePermits);
        }

        return next(context);
    }

    /// <summary>Writes the three fields; <paramref name="remaining"/> null means the bucket's state is unknown, so full.</summary>
    public static void Write(HttpContext context, long? remaining)
    {
        var settings = context.RequestServices.GetRequiredService<IOptions<RateLimitSettings>>().Value;
        var left = Math.Clamp(remaining ?? settings.Burst, 0, settings.Burst);
        var headers = context.Response.Headers;
        headers[Limit] = settings.Burst.ToString(CultureInfo.InvariantCulture);
        headers[Remaining] = left.ToString(CultureInfo.InvariantCulture);
        headers[Reset] = ((settings.Burst - left + settings.PermitsPerSecond - 1) / Math.Max(1, settings.PermitsPerSecond)).ToString(CultureInfo.InvariantCulture);
    }
}
