using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KetamineScheduling.Benchmarks;

/// <summary>
/// The yardstick for the API's read throughput: Kestrel serving a fixed body captured from the real endpoint,
/// with no routing to speak of, no database and no JSON work.
/// </summary>
internal static class BareKestrel
{
    /// <summary>Serves the bytes of <paramref name="bodyFile"/> as application/json at every path, on <paramref name="url"/>.</summary>
    public static async Task RunAsync(string bodyFile, string url)
    {
        var body = await File.ReadAllBytesAsync(bodyFile);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.Run(async context =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        });
        await app.RunAsync();
    }
}
