using KetamineScheduling.Api.Access;
using System.Security.Cryptography;
using System.Text;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using Microsoft.Extensions.Options;
using NodaTime;

namespace KetamineScheduling.Api.Idempotency;

/// <summary>
/// Makes every POST under <c>/v1</c> safe to retry, following the IETF draft "The Idempotency-Key HTTP Header
/// Field": an EHR that times out can send the same request again with the same <c>Idempotency-Key</c> and never
/// book twice.
/// </summary>
/// <remarks>
/// <para>
/// The header is optional; a request without it runs as it always has. With it, the first response (status,
/// content type, body, <c>Location</c> and <c>ETag</c>) is kept under the clinic in the route (or none), the
/// caller's key id and the header's value, for <c>Idempotency:RetentionHours</c> (24 by default). Then:
/// </para>
/// <list type="bullet">
/// <item>a retry with the same key, method, path, query and body gets the kept response again, with
/// <c>Idempotent-Replayed: true</c>, and nothing runs a second time;</item>
/// <item>the same key with a different method, path, query or body is a 422;</item>
/// <item>the same key while the first request is still running is a 409 (of twenty concurrent retries, one runs);</item>
/// <item>a 5xx, or a failure that ends in the exception handler, is not kept: the claim is dropped and a retry runs
/// again, which is safe because the failed request's transaction rolled back (should the change have committed
/// before the failure, the claim stays, as below);</item>
/// <item>after the retention time the key is forgotten and may be used again.</item>
/// </list>
/// <para>
/// The key may be sent as a structured-field string (<c>"8e03978e-…"</c>, as the draft writes it) or bare; it is
/// 1 to 255 visible ASCII characters. Request bodies are read whole (Kestrel refuses those over 1 MB with 413)
/// and responses are buffered so they can be kept before the client sees them.
/// </para>
/// <para>
/// The response is kept after the change has committed, in its own statement; the change's own transaction marks
/// the claim as having changed something. Should the process die before the response is kept, a retry after
/// <c>Idempotency:AbandonAfterSeconds</c> (60 by default) runs the request again if nothing was changed (the
/// change's transaction rolled back with the process), and gets a 409 saying the change was made and its answer
/// lost if it was. A claim belongs to its request (a token): should a request still be running when a retry takes
/// its claim over, its change fails to commit, so the two never both change something.
/// </para>
/// </remarks>
internal sealed class IdempotencyMiddleware(RequestDelegate next, Database db, IClock clock, IOptions<IdempotencyOptions> options, ReplayProtector replays)
{
    public const string KeyHeader = "Idempotency-Key";

    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The longest key kept, as the idempotency_records table allows.</summary>
    public const int MaxKeyLength = 255;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.Path.StartsWithSegments("/v1") || context.GetEndpoint() is null ||
            !request.Headers.TryGetValue(KeyHeader, out var values))
        {
            await next(context);
            return;
        }

        if (ReadKey(values) is not { } value)
        {
            await Problems.BadHeader(KeyHeader, $"Must be one key of 1 to {MaxKeyLength} visible ASCII characters, such as a UUID.").ExecuteAsync(context);
            return;
        }

        var body = await ReadBodyAsync(request, context.RequestAborted);
        var fingerprint = Fingerprint(request.Method, request.Path + request.QueryString, body);
        // Scoped to the key's clinic and the key itself: the clinic comes from the key, never from the caller.
        var caller = Caller.TryFrom(context.User);
        var key = new IdempotencyKey(caller?.ClinicId?.ToString("D") ?? "", caller?.KeyId.ToString("D") ?? "", value);
        var now = clock.GetCurrentInstant();
        var abandonedBefore = now - Duration.FromSeconds(options.Value.AbandonAfterSeconds);
        var (token, holder) = await IdempotencyStore.ClaimAsync(
            db, key, fingerprint, request.Method, request.Path, now, now + Duration.FromHours(options.Value.RetentionHours), abandonedBefore, context.RequestAborted);
        if (token is { } claimed)
        {
            await RunAndKeepAsync(context, key, claimed);
        }
        else if (holder!.RequestHash != fingerprint)
        {
            await Problems.IdempotencyKeyReused().ExecuteAsync(context);
        }
        else if (holder.ResponseStatus is not { } status)
        {
            await (holder.LostItsAnswerBefore(abandonedBefore) ? Problems.IdempotencyAnswerLost() : Problems.IdempotencyKeyInUse()).ExecuteAsync(context);
        }
        else
        {
            // A response kept encrypted (see EncryptedReplay) is decrypted only now, on its way to the client.
            var kept = holder.ResponseProtected && holder.ResponseBody is { } encrypted ? replays.Unprotect(encrypted) : holder.ResponseBody;
            await ReplayAsync(context.Response, new StoredResponse(status, holder.ResponseContentType, kept, holder.ResponseLocation, holder.ResponseEtag));
        }
    }

    /// <summary>SHA-256, in hex, of the method, the path with its query, and the body's bytes.</summary>
    internal static string Fingerprint(string method, string target, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{method} {target}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private async Task RunAndKeepAsync(HttpContext context, IdempotencyKey key, Guid token)
    {
        var response = context.Response;
        var client = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            // Whatever the route commits, commits with the mark that the claim's change is made.
            using (Database.JoinEveryTransaction((connection, transaction) => IdempotencyStore.MarkChangeAsync(connection, transaction, key, token)))
            {
                await next(context);
            }
        }
        catch
        {
            response.Body = client;
            await IdempotencyStore.ReleaseAsync(db, key, token);
            throw;
        }

        response.Body = client;
        if (response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            await IdempotencyStore.ReleaseAsync(db, key, token);
        }
        else
        {
            var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            // A route whose answer carries a secret has it kept encrypted, so the secret is never stored in plain text.
            var encrypt = context.GetEndpoint()?.Metadata.GetMetadata<EncryptedReplay>() is not null;
            await IdempotencyStore.CompleteAsync(db, key, token, new StoredResponse(
                response.StatusCode, response.ContentType, encrypt ? replays.Protect(text) : text, NullIfEmpty(response.Headers.Location), NullIfEmpty(response.Headers.ETag), encrypt));
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(client, context.RequestAborted);
    }

    private static async Task ReplayAsync(HttpResponse response, StoredResponse kept)
    {
        response.StatusCode = kept.Status;
        response.ContentType = kept.ContentType;
        if (kept.Location is not null)
        {
            response.Headers.Location = kept.Location;
        }

        if (kept.ETag is not null)
        {
            response.Headers.ETag = kept.ETag;
        }

        response.Headers[ReplayedHeader] = "true";
        if (!string.IsNullOrEmpty(kept.Body))
        {
            await response.WriteAsync(kept.Body, response.HttpContext.RequestAborted);
        }
    }

    /// <summary>The key, without the quotes of a structured-field string; null when it is not one usable key.</summary>
    private static string? ReadKey(Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count != 1 || values[0] is not { } raw)
        {
            return null;
        }

        var key = raw.Trim();
        if (key.Length >= 2 && key[0] == '"' && key[^1] == '"')
        {
            key = key[1..^1];
        }

        return key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= ' ' and <= '~') ? key : null;
    }

    /// <summary>The body as bytes, left readable again for the endpoint.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken);
        var bytes = copy.ToArray();
        request.Body = new MemoryStream(bytes, writable: false);
        return bytes;
    }

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) => value.Count == 0 ? null : value.ToString();
}
