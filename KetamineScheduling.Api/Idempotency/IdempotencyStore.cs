using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using NodaTime;

namespace KetamineScheduling.Api.Idempotency;

/// <summary>
/// The first response to each idempotency key. A row is claimed, with no response, before the request runs; the
/// primary key (clinic, key id, Idempotency-Key) is what lets only one of several concurrent requests claim it.
/// </summary>
internal static class IdempotencyStore
{
    private const string DeleteExpiredKey = """
        DELETE FROM idempotency_records
        WHERE clinic_id = @ClinicId AND key_id = @KeyId AND idempotency_key = @Key AND expires_at <= @Now
        """;

    private const string InsertClaim = """
        INSERT INTO idempotency_records (clinic_id, key_id, idempotency_key, request_hash, method, path, created_at, expires_at, claim_token)
        VALUES (@ClinicId, @KeyId, @Key, @RequestHash, @Method, @Path, @Now, @ExpiresAt, @Token)
        """;

    private const string SelectRecord = """
        SELECT request_hash, response_status, response_content_type, response_body, response_location, response_etag, created_at, change_committed, response_protected
        FROM idempotency_records
        WHERE clinic_id = @ClinicId AND key_id = @KeyId AND idempotency_key = @Key
        """;

    // The claim as it was read, and still changed nothing: of several retries taking it over at once, one succeeds.
    private const string TakeOverClaim = """
        UPDATE idempotency_records SET claim_token = @Token, created_at = @Now
        WHERE clinic_id = @ClinicId AND key_id = @KeyId AND idempotency_key = @Key
          AND response_status IS NULL AND change_committed = 0 AND created_at = @HeldSince
        """;

    /// <summary>
    /// Claims <paramref name="key"/> for a request that is about to run, and returns the claim's token; or, when
    /// another request holds it, returns that request's record. An expired record counts as absent and is removed.
    /// A claim made before <paramref name="abandonedBefore"/> that has neither an answer nor a committed change
    /// belongs to a process that died, and is taken over.
    /// </summary>
    public static async Task<(Guid? Token, IdempotencyRecord? Holder)> ClaimAsync(
        Database db, IdempotencyKey key, string requestHash, string method, string path, Instant now, Instant expiresAt, Instant abandonedBefore, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid();
        var claim = new { key.ClinicId, key.KeyId, key.Key, RequestHash = requestHash, Method = method, Path = path, Now = now, ExpiresAt = expiresAt, Token = token };
        await using var connection = await db.OpenAsync(cancellationToken);

        // The holder may finish and go (a 5xx releases its claim) between a failed insert and the read; try again then.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await connection.ExecuteAsync(new CommandDefinition(DeleteExpiredKey, claim, cancellationToken: cancellationToken));
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertClaim, claim, cancellationToken: cancellationToken));
                return (token, null);
            }
            catch (DbException e) when (Database.IsUniqueViolation(e, out _))
            {
                if (await connection.QuerySingleOrDefaultAsync<IdempotencyRecord>(new CommandDefinition(SelectRecord, claim, cancellationToken: cancellationToken)) is not { } holder)
                {
                    continue;
                }

                if (!holder.IsAbandonedBefore(abandonedBefore) || holder.RequestHash != requestHash)
                {
                    return (null, holder);
                }

                if (await connection.ExecuteAsync(new CommandDefinition(TakeOverClaim, new { claim.ClinicId, claim.KeyId, claim.Key, Now = now, Token = token, HeldSince = holder.CreatedAt }, cancellationToken: cancellationToken)) == 1)
                {
                    return (token, null);
                }
            }
        }

        throw new InvalidOperationException($"Idempotency key '{key.Key}' could neither be claimed nor read.");
    }

    private const string MarkChange = """
        UPDATE idempotency_records SET change_committed = 1
        WHERE clinic_id = @ClinicId AND key_id = @KeyId AND idempotency_key = @Key AND claim_token = @Token AND response_status IS NULL
        """;

    /// <summary>
    /// Records, in the transaction of the change itself, that the request holding <paramref name="token"/> has
    /// made its change; fails, and with it the change, when a retry has taken the claim over.
    /// </summary>
    public static async Task MarkChangeAsync(DbConnection connection, DbTransaction transaction, IdempotencyKey key, Guid token)
    {
        if (await connection.ExecuteAsync(MarkChange, new { key.ClinicId, key.KeyId, key.Key, Token = token }, transaction) != 1)
        {
            throw new ConflictException("A retry with the same Idempotency-Key took over from this request, which had run too long; this request changed nothing.");
        }
    }

    private const string UpdateResponse = """
        UPDATE idempotency_records
        SET response_status = @Status, response_content_type = @ContentType, response_body = @Body, response_location = @Location, response_etag = @ETag,
            response_protected = @Protected
        WHERE clinic_id = @ClinicId AND key_id = @KeyId AND idempotency_key = @Key AND claim_token = @Token AND response_status IS NULL
        """;

    /// <summary>Stores the response of the request that claimed <paramref name="key"/> with <paramref name="token"/>, for its retries to replay.</summary>
    public static async Task CompleteAsync(Database db, IdempotencyKey key, Guid token, StoredResponse response)
    {
        // Not the request's token: the change is committed, so its response must be kept even if the client has gone.
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(UpdateResponse, new
        {
            key.ClinicId,
            key.KeyId,
            key.Key,
            Token = token,
            response.Status,
            response.ContentType,
            response.Body,
            response.Location,
            response.ETag,
            response.Protected,
        });
    }

    private const string DeleteClaim = """
        DELETE FROM idempotency_records
        WHERE clinic_id = @ClinicId AND key_id = @KeyId AND idempotency_key = @Key AND claim_token = @Token AND response_status IS NULL
          AND change_committed = 0
        """;

    /// <summary>
    /// Gives up the claim on <paramref name="key"/> after a failure, so that a retry runs the request again; kept
    /// when the change had committed before the failure, so that a retry is told instead of changing twice.
    /// </summary>
    public static async Task ReleaseAsync(Database db, IdempotencyKey key, Guid token)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(DeleteClaim, new { key.ClinicId, key.KeyId, key.Key, Token = token });
    }

    private const string SelectPlainBodies = """
        SELECT clinic_id, key_id, idempotency_key, response_body FROM idempotency_records
        WHERE response_status IS NOT NULL AND response_protected = 0 AND response_body LIKE @Pattern ESCAPE '\'
        """;

    private const string ProtectBody = """
        UPDATE idempotency_records SET response_body = @Body, response_protected = 1
        WHERE clinic_id = @ClinicId AND key_id = @KeyId AND idempotency_key = @Key AND response_protected = 0
        """;

    /// <summary>
    /// Encrypts, with <paramref name="protect"/>, every kept response still in plain text whose body contains
    /// <paramref name="secret"/>: responses kept before their route was marked <see cref="EncryptedReplay"/>.
    /// Returns how many. Safe beside another instance doing the same.
    /// </summary>
    public static async Task<int> ProtectPlainBodiesAsync(Database db, Func<string, string> protect, string secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(protect);
        ArgumentNullException.ThrowIfNull(secret);
        var pattern = "%" + secret.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
        await using var connection = await db.OpenAsync(cancellationToken);
        var plain = (await connection.QueryAsync<(string ClinicId, string KeyId, string Key, string Body)>(
            new CommandDefinition(SelectPlainBodies, new { Pattern = pattern }, cancellationToken: cancellationToken))).AsList();
        var count = 0;
        foreach (var (clinicId, keyId, key, body) in plain)
        {
            count += await connection.ExecuteAsync(new CommandDefinition(
                ProtectBody, new { ClinicId = clinicId, KeyId = keyId, Key = key, Body = protect(body) }, cancellationToken: cancellationToken));
        }

        return count;
    }

    private const string DeleteExpired = "DELETE FROM idempotency_records WHERE expires_at <= @Now";

    /// <summary>Removes every record that expired by <paramref name="now"/>; returns how many.</summary>
    public static async Task<int> DeleteExpiredAsync(Database db, Instant now, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(DeleteExpired, new { Now = now }, cancellationToken: cancellationToken));
    }
}

/// <summary>What a record is kept under: the clinic ("" outside one), the caller's key id ("" without authentication), and the Idempotency-Key.</summary>
internal sealed record IdempotencyKey(string ClinicId, string KeyId, string Key);

/// <summary>A response as it is kept and replayed; <paramref name="Protected"/> when <paramref name="Body"/> is kept encrypted.</summary>
internal sealed record StoredResponse(int Status, string? ContentType, string? Body, string? Location, string? ETag, bool Protected = false);

/// <summary>A claimed key: the fingerprint of the request that claimed it and, once it has finished, its response.</summary>
internal sealed class IdempotencyRecord
{
    public string RequestHash { get; init; } = "";

    /// <summary>Null while the first request is still running.</summary>
    public int? ResponseStatus { get; init; }

    public string? ResponseContentType { get; init; }

    public string? ResponseBody { get; init; }

    public string? ResponseLocation { get; init; }

    public string? ResponseEtag { get; init; }

    /// <summary>Whether <see cref="ResponseBody"/> is encrypted (see <see cref="EncryptedReplay"/>).</summary>
    public bool ResponseProtected { get; init; }

    public Instant CreatedAt { get; init; }

    /// <summary>Whether the claiming request's change has committed (its answer may still be on its way).</summary>
    public bool ChangeCommitted { get; init; }

    /// <summary>Claimed before <paramref name="cutoff"/>, and still without an answer or a change: its process died.</summary>
    public bool IsAbandonedBefore(Instant cutoff) => ResponseStatus is null && !ChangeCommitted && CreatedAt < cutoff;

    /// <summary>Claimed before <paramref name="cutoff"/>, with its change committed and its answer never kept.</summary>
    public bool LostItsAnswerBefore(Instant cutoff) => ResponseStatus is null && ChangeCommitted && CreatedAt < cutoff;
}
