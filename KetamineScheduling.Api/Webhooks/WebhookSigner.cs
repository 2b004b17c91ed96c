using System.Security.Cryptography;
using System.Text;

namespace KetamineScheduling.Api.Webhooks;

/// <summary>
/// Secrets and signatures as the Standard Webhooks specification has them, so receivers can verify deliveries
/// with any Standard Webhooks library.
/// </summary>
internal static class WebhookSigner
{
    /// <summary>How every secret begins, and so how a secret stored in plain text is recognised.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>Random bytes in a new secret; the specification asks for 24 to 64.</summary>
    public const int SecretBytes = 32;

    /// <summary>A new signing secret: <c>whsec_</c> and the base64 of <see cref="SecretBytes"/> random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>
    /// The <c>webhook-signature</c> header for one delivery: <c>v1,</c> and the base64 HMAC-SHA256, keyed with the
    /// secret's decoded bytes, of <c>{webhook-id}.{webhook-timestamp}.{body}</c>.
    /// </summary>
    /// <param name="secret">The secret, with or without its <c>whsec_</c> prefix.</param>
    /// <param name="messageId">The <c>webhook-id</c> header.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header: seconds since the Unix epoch.</param>
    /// <param name="body">The exact body sent.</param>
    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var signed = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{messageId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}
