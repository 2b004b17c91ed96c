using System.Security.Claims;
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
/// its expiry, checked on every use. At most <see cref="MaxKeys"/> are kept; past that the least used go. A copy
/// keeps its caller's claims as well, made once rather than on every request: nothing changes a request's user.
/// </remarks>
internal sealed class KnownKeys(ChangeWatch watch) : IDisposable
{
    private const int MaxKeys = 10_000;

    private readonly MemoryCache keys = new(new MemoryCacheOptions { SizeLimit = MaxKeys });

    /// <summary>The key whose secret has <paramref name="keyHash"/>, as committed before this request arrived; <paramref name="load"/> reads it.</summary>
    public async ValueTask<KnownKey?> GetOrLoadAsync(string keyHash, Func<Task<ApiKey?>> load, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        var sight = await watch.CatchUpAsync(cancellationToken);
        if (keys.TryGetValue(keyHash, out KnownKey? known) && known!.RevokedKeys == sight.RevokedKeys)
        {
            return known;
        }

        if (await load() is not { } key)
        {
            return null;
        }

        var caller = new Caller(key.Id, key.Role, key.ClinicId, key.PatientId, key.StaffId);
        known = new KnownKey(key, caller.ToPrincipal(ApiKeyAuthentication.SchemeName), sight.RevokedKeys);
        keys.Set(keyHash, known, new MemoryCacheEntryOptions { Size = 1 });
        return known;
    }

    public void Dispose() => keys.Dispose();
}

/// <summary>A key as read, with the claims of the requests made with it.</summary>
/// <param name="Key">The stored key.</param>
/// <param name="Principal">Its caller's claims (<see cref="Caller.ToPrincipal"/>).</param>
/// <param name="RevokedKeys">How many keys were revoked when it was read.</param>
internal sealed record KnownKey(ApiKey Key, ClaimsPrincipal Principal, long RevokedKeys);
