using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KetamineScheduling.Tests.Integration;

/// <summary>
/// A webhook receiver on loopback, as an EHR would run one: it verifies each delivery's Standard Webhooks
/// signature with the secret (401 when it does not verify), and answers 500 to its first <c>failFirst</c> requests.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly int failFirst;
    private readonly ConcurrentQueue<Delivery> received = new();
    private int requests;

    private WebhookReceiver(WebApplication app, int failFirst)
    {
        this.app = app;
        this.failFirst = failFirst;
    }

    /// <summary>Set from the webhook's creation, before anything is delivered.</summary>
    public string? Secret { get; set; }

    /// <summary>Where to point the webhook.</summary>
    public string Url => $"{app.Urls.Single()}/hook";

    /// <summary>Requests of any outcome so far.</summary>
    public int Requests => Volatile.Read(ref requests);

    /// <summary>Deliveries accepted, in the order they arrived.</summary>
    public IReadOnlyList<Delivery> Received => [.. received];

    /// <param name="failFirst">How many requests to answer with 500 before accepting any.</param>
    /// <param name="port">A fixed port, for a receiver that comes up where a webhook already points; 0 for any.</param>
    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build(), failFirst);
        receiver.app.MapPost("/hook", receiver.ReceiveAsync);
        await receiver.app.StartAsync();
        return receiver;
    }

    /// <summary>Whether <paramref name="signatures"/> holds a v1 signature of the delivery by <paramref name="secret"/>, as the specification defines it.</summary>
    public static bool Verify(string secret, string id, string timestamp, string body, string signatures)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        var expected = Encoding.ASCII.GetBytes("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"))));
        return signatures.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        if (Interlocked.Increment(ref requests) <= failFirst)
        {
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        var (id, timestamp, signature) = (request.Headers["webhook-id"].ToString(), request.Headers["webhook-timestamp"].ToString(), request.Headers["webhook-signature"].ToString());
        if (Secret is not { } secret || !Verify(secret, id, timestamp, body, signature))
        {
            return Results.Unauthorized();
        }

        received.Enqueue(new Delivery(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), JsonNode.Parse(body)!.AsObject()));
        return Results.NoContent();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>One accepted delivery: its webhook-id, webhook-timestamp and payload.</summary>
    public sealed record Delivery(long Id, long Timestamp, JsonObject Payload);
}

/// <summary>Waiting for what a background worker does.</summary>
internal static class Eventually
{
    /// <summary>Waits until <paramref name="done"/> holds, calling <paramref name="meanwhile"/> between looks (to move a fake clock, say).</summary>
    public static Task HoldsAsync(Func<bool> done, TimeSpan timeout, Action? meanwhile = null, string? what = null) =>
        HoldsAsync(() => Task.FromResult(done()), timeout, meanwhile, what);

    /// <summary>Waits until <paramref name="done"/> answers true, calling <paramref name="meanwhile"/> between looks.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> done, TimeSpan timeout, Action? meanwhile = null, string? what = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(waited.Elapsed < timeout, $"Gave up after {timeout.TotalSeconds} s waiting for {what ?? "the condition"}.");
            meanwhile?.Invoke();
            await Task.Delay(50);
        }
    }
}
