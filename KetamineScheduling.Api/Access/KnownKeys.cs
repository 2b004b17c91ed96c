using System.Collections.Concurrent;

namespace KetamineScheduling.Api.Access;

/// <summary>
/// The keys requests have used lately, by hash, so that most requests need no query to know their key.
/// </summary>
/// <remarks>
/// A copy is trusted only while the number of revoked keys is what it was when the copy was read: any
/// revocation, on any instance, and every key is read again on its next use. Revocations are rare; requests
/// are not. Expiry needs no such care: a copy carries its expiry, checked on every use.
/// </remarks>
internal sealed class KnownKeys
{
    /// <summary>More keys than this, and the copies are dropped and read again as they are used.</summary>
    private const int MaxKeys = 10_000;

    private readonly ConcurrentDictionary<string, Known> keys = new(StringComparer.Ordinal);

    /// <summary>The key with hash <paramref name="keyHash"/>, if it was read while <paramref name="revokedKeys"/> keys were revoked.</summary>
    public ApiKey? Find(string keyHash, long revokedKeys) =>
        keys.TryGetValue(keyHash, out var known) && known.RevokedKeys == revokedKeys ? known.Key : null;

    /// <summary>Remembers <paramref name="key"/>, read while <paramref name="revokedKeys"/> keys were revoked.</summary>
    public void Keep(string keyHash, ApiKey key, long revokedKeys)
    {
        if (keys.Count >= MaxKeys)
        {
            keys.Clear();
        }

        keys[keyHash] = new Known(key, revokedKeys);
    }

    private sealed record Known(ApiKey Key, long RevokedKeys);
}
