using System.Buffers.Text;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using KetamineScheduling.Api.Data;
using NodaTime;

namespace KetamineScheduling.Api.Access;

/// <summary>
/// API keys. Only a key's SHA-256 hash and its first few characters are stored; the secret itself is shown once,
/// when the key is made.
/// </summary>
internal static class ApiKeyStore
{
    /// <summary>How many leading characters of a secret are kept to tell keys apart in a list.</summary>
    private const int PrefixLength = 10;

    /// <summary>A new secret: <c>ks_</c> and 32 random bytes in base64url.</summary>
    public static string NewSecret() => "ks_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The part of a secret a key list shows.</summary>
    public static string PrefixOf(string secret) => secret[..Math.Min(PrefixLength, secret.Length)];

    /// <summary>The lowercase hex SHA-256 of a secret: what a request's key is looked up by.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private const string InsertKey = """
        INSERT INTO api_keys (id, clinic_id, patient_id, staff_id, name, role, key_hash, key_prefix, created_at, expires_at, revoked_at)
        SELECT @Id, id, @PatientId, @StaffId, @Name, @Role, @KeyHash, @KeyPrefix, @CreatedAt, @ExpiresAt, NULL FROM clinics WHERE id = @ClinicId
        """;

    /// <summary>Stores a new key of a clinic; false when the clinic does not exist.</summary>
    public static async Task<bool> InsertAsync(DbConnection connection, DbTransaction transaction, ApiKey key, string secret) =>
        await connection.ExecuteAsync(InsertKey, Row(key, secret), transaction) == 1;

    private const string EnsureKey = """
        INSERT INTO api_keys (id, clinic_id, patient_id, name, role, key_hash, key_prefix, created_at, expires_at, revoked_at)
        SELECT @Id, @ClinicId, @PatientId, @Name, @Role, @KeyHash, @KeyPrefix, @CreatedAt, @ExpiresAt, NULL
        WHERE NOT EXISTS (SELECT 1 FROM api_keys WHERE key_hash = @KeyHash)
        """;

    /// <summary>Stores a key with a secret chosen in advance (configuration, demo data) unless one with that secret exists.</summary>
    public static async Task EnsureAsync(DbConnection connection, DbTransaction transaction, ApiKey key, string secret)
    {
        try
        {
            await connection.ExecuteAsync(EnsureKey, Row(key, secret), transaction);
        }
        catch (DbException e) when (Database.IsUniqueViolation(e, out _))
        {
            // Another instance starting at the same moment stored it first.
        }
    }

    private const string RevokeOtherKeysNamed = """
        UPDATE api_keys SET revoked_at = @Now
        WHERE clinic_id IS NULL AND name = @Name AND key_hash <> @KeyHash AND revoked_at IS NULL
        """;

    /// <summary>Revokes the platform keys called <paramref name="name"/> other than <paramref name="secret"/>'s: how a configured key is rotated.</summary>
    public static Task RevokePlatformKeysNamedAsync(DbConnection connection, DbTransaction transaction, string name, string secret, Instant now) =>
        connection.ExecuteAsync(RevokeOtherKeysNamed, new { Name = name, KeyHash = Hash(secret), Now = now }, transaction);

    private const string RevokeKeyWithHash = """
        UPDATE api_keys SET revoked_at = @Now WHERE key_hash = @KeyHash AND revoked_at IS NULL
        """;

    /// <summary>Revokes every key whose secret is one of <paramref name="secrets"/>; how many were still working.</summary>
    public static Task<int> RevokeSecretsAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string> secrets, Instant now) =>
        connection.ExecuteAsync(RevokeKeyWithHash, secrets.Select(secret => new { KeyHash = Hash(secret), Now = now }), transaction);

    private static object Row(ApiKey key, string secret) => new
    {
        key.Id,
        key.ClinicId,
        key.PatientId,
        key.StaffId,
        key.Name,
        key.Role,
        KeyHash = Hash(secret),
        KeyPrefix = PrefixOf(secret),
        key.CreatedAt,
        key.ExpiresAt,
    };

    private const string SelectByHash = """
        SELECT id, clinic_id, patient_id, staff_id, name, role, key_prefix, created_at, expires_at, revoked_at FROM api_keys WHERE key_hash = @KeyHash
        """;

    /// <summary>The key whose secret has the <see cref="Hash"/> <paramref name="keyHash"/>, revoked and expired ones included.</summary>
    public static async Task<ApiKey?> FindByHashAsync(DbConnection connection, string keyHash) =>
        await connection.QuerySingleOrDefaultAsync<ApiKey>(SelectByHash, new { KeyHash = keyHash });

    private const string SelectKeys = """
        SELECT id, clinic_id, patient_id, staff_id, name, role, key_prefix, created_at, expires_at, revoked_at FROM api_keys
        WHERE clinic_id = @ClinicId AND id > @After ORDER BY id
        """ + SqlDialect.TakeRows;

    /// <summary>A clinic's keys in id order after <paramref name="after"/>, revoked ones included.</summary>
    public static async Task<IReadOnlyList<ApiKey>> ListAsync(DbConnection connection, Guid clinicId, Guid after, int take) =>
        (await connection.QueryAsync<ApiKey>(connection.Sql(SelectKeys), new { ClinicId = clinicId, After = after, Take = take })).AsList();

    // Revoking twice keeps the first time, so the answer is the same.
    private const string RevokeKey = """
        UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @Now) WHERE clinic_id = @ClinicId AND id = @Id
        """;

    /// <summary>Revokes a clinic's key; false when the clinic has no key with that id.</summary>
    public static async Task<bool> RevokeAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Guid id, Instant now) =>
        await connection.ExecuteAsync(RevokeKey, new { ClinicId = clinicId, Id = id, Now = now }, transaction) == 1;
}

/// <summary>An API key as stored, without its secret.</summary>
internal sealed record ApiKey
{
    public Guid Id { get; init; }

    /// <summary>Null for a platform admin's key.</summary>
    public Guid? ClinicId { get; init; }

    /// <summary>The patient a patient-app key may see; null for other roles.</summary>
    public Guid? PatientId { get; init; }

    /// <summary>The member of staff a clinician key acts for; null when it names none, and for other roles.</summary>
    public Guid? StaffId { get; init; }

    public string Name { get; init; } = "";

    public string Role { get; init; } = "";

    /// <summary>The first characters of the secret, to tell keys apart.</summary>
    public string KeyPrefix { get; init; } = "";

    public Instant CreatedAt { get; init; }

    public Instant? ExpiresAt { get; init; }

    public Instant? RevokedAt { get; init; }

    /// <summary>Whether a request may use the key at <paramref name="now"/>: not revoked, and not past its expiry.</summary>
    public bool IsValidAt(Instant now) => RevokedAt is null && (ExpiresAt is not { } expires || expires > now);
}
