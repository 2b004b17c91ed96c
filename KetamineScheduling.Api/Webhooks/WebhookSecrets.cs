using Dapper;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Idempotency;
using Microsoft.AspNetCore.DataProtection;

namespace KetamineScheduling.Api.Webhooks;

/// <summary>
/// Webhook signing secrets as they are stored: encrypted with ASP.NET Core Data Protection, whose key ring every
/// instance reads from the database (see <see cref="DatabaseXmlRepository"/>, which also says what protects the ring).
/// </summary>
/// <remarks>
/// A secret stored before secrets were encrypted is still <c>whsec_</c> in plain text until
/// <see cref="EncryptPlainSecretsOnStart"/> encrypts it; until then it is used as it is.
/// </remarks>
internal sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("KetamineScheduling.Webhooks.SigningSecret");

    /// <summary>The secret as it is stored.</summary>
    public string Protect(string secret) => protector.Protect(secret);

    /// <summary>The secret a stored value holds, for signing; never log it.</summary>
    public string Reveal(string stored) => IsPlain(stored) ? stored : protector.Unprotect(stored);

    /// <summary>Whether a stored value is a secret in plain text, as versions before encryption stored them.</summary>
    public static bool IsPlain(string stored) => stored.StartsWith(WebhookSigner.SecretPrefix, StringComparison.Ordinal);
}

/// <summary>
/// Before the API takes requests (and after migrations), encrypts every webhook secret still stored in plain text,
/// and every kept idempotent response that holds one, so that no <c>whsec_</c> is left in the database.
/// </summary>
/// <remarks>
/// On SQLite an updated value's old bytes stay in free space and in the write-ahead log until overwritten, so when
/// anything was encrypted the file is vacuumed and its log truncated: a copy of the file holds no plain secret
/// either. Another instance doing the same at once is harmless: each update only replaces a value still plain.
/// </remarks>
internal sealed partial class EncryptPlainSecretsOnStart(
    Database db, WebhookSecrets secrets, ReplayProtector replays, ILogger<EncryptPlainSecretsOnStart> logger) : IHostedService
{
    private const string VacuumSqlite = "VACUUM";

    private const string TruncateLogSqlite = "PRAGMA wal_checkpoint(TRUNCATE)";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var webhooks = await WebhookStore.ProtectPlainSecretsAsync(db, secrets.Protect, cancellationToken);
        var responses = await IdempotencyStore.ProtectPlainBodiesAsync(db, replays.Protect, WebhookSigner.SecretPrefix, cancellationToken);
        if (webhooks + responses == 0)
        {
            return;
        }

        if (db.Provider == DatabaseProvider.Sqlite)
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(VacuumSqlite, commandTimeout: 0, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(TruncateLogSqlite, cancellationToken: cancellationToken));
        }

        Encrypted(logger, webhooks, responses);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Encrypted {Webhooks} webhook secrets and {Responses} kept idempotent responses that were stored in plain text.")]
    private static partial void Encrypted(ILogger logger, int webhooks, int responses);
}
