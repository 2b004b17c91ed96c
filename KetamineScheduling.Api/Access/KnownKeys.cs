using KetamineScheduling.Api.Events;
using Microsoft.Extensions.Caching.Memory;

namespace KetamineScheduling.Api.Access;

/// <summary>
/// The keys requests have used lately, by hash, so that most requests need no query to know their key, yet a
/// revoked key is refused on its next request on every instance.
/// </summary>
/// <remarks>
/// A copy is trusted only while the number of revoked keys is what it was when the copy was read, as the request
/// has caught up with the database (<see cref="ChangeWatch"/>): any revocation, on any instance, and every key is
/// read again on its next use. Revocations are rare; requests are not. Expiry needs no such care: a copy carries
/// its expiry, checked on every use. At most <see cref="MaxKeys"/> are kept; past that the least used go.
/// </remarks>
internal sealed class KnownKeys(ChangeWatch watch) : IDisposable
{
    private const int MaxKeys = 10_000;

    private readonly MemoryCache keys = new(new MemoryCacheOptions { SizeLimit = MaxKeys });

    /// <summary>The key whose secret has <paramref name="keyHash"/>, as committed before this request arrived; <paramref name="load"/> reads it.</summary>
    public async ValueTask<ApiKey?> GetOrLoadAsync(string keyHash, Func<Task<ApiKey?>> load, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        var sight = await watch.CatchUpAsync(cancellationToken);
        if (keys.TryGetValue(keyHash, out Known? known) && known!.RevokedKeys == sight.RevokedKeys)
        {
            return known.Key;
        }

        var key = await load();
        if (key is not null)
        {
            keys.Set(keyHash, new Known(key, sight.RevokedKeys), new MemoryCacheEntryOptions { Size = 1 });
        }

        return key;
    }

    public void Dispose() => keys.Dispose();

    private sealed record Known(ApiKey Key, long RevokedKeys);
}
