using System.Buffers.Text;
using System.Security.Cryptography;
using KetamineScheduling.Api.Access;

namespace KetamineScheduling.Api.CalendarFeeds;

/// <summary>
/// The secret in a feed's URL. A phone's calendar cannot send an Authorization header, so the URL itself is the
/// credential: 256 random bits, kept only as a hash, exactly as an API key is.
/// </summary>
internal static class CalendarFeedToken
{
    /// <summary>The route value a feed's fetch carries its token in.</summary>
    public const string RouteValue = "feedToken";

    /// <summary>A new token: 32 random bytes in base64url, 43 characters that need no escaping in a URL.</summary>
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The lowercase hex SHA-256 of a token: what is stored, and what a fetch is looked up and rate-limited by.</summary>
    public static string Hash(string token) => ApiKeyStore.Hash(token);

    /// <summary>The address a phone subscribes to, on the host the feed was made through.</summary>
    public static string UrlFor(HttpRequest request, string token) =>
        $"{request.Scheme}://{request.Host}/v1/calendar-feeds/{token}.ics";
}
