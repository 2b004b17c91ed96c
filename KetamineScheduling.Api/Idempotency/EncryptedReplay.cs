using Microsoft.AspNetCore.DataProtection;

namespace KetamineScheduling.Api.Idempotency;

/// <summary>
/// Marks a route whose response carries a secret (<c>POST /webhooks</c> returns the signing secret): the response
/// kept for its retries is stored encrypted with Data Protection, and decrypted when it is replayed. A retrying
/// client that lost the first answer still gets its secret, and the database never holds it in plain text.
/// </summary>
internal sealed class EncryptedReplay
{
    /// <summary>What the OpenAPI document says of such a route.</summary>
    public const string Description =
        "A retry with the same Idempotency-Key within the retention time gets the first response again, secret included: " +
        "that response is kept encrypted, as the secret itself is, and decrypted for the replay.";
}

/// <summary>Encrypts and decrypts the kept responses of routes marked <see cref="EncryptedReplay"/>.</summary>
internal sealed class ReplayProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("KetamineScheduling.Idempotency.KeptResponse");

    public string Protect(string body) => protector.Protect(body);

    public string Unprotect(string body) => protector.Unprotect(body);
}

internal static partial class Idempotency
{
    /// <summary>Keeps the route's response encrypted for its idempotent replays; see <see cref="EncryptedReplay"/>.</summary>
    public static RouteHandlerBuilder KeepsReplayEncrypted(this RouteHandlerBuilder builder) => builder.WithMetadata(new EncryptedReplay());
}
