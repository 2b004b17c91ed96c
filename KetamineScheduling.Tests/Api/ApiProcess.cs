using System.Diagnostics;
using System.Text.RegularExpressions;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// The API as a separate operating-system process on a free loopback port, sharing a database file with
/// whatever else is given the same path: what a second instance behind a load balancer is.
/// </summary>
internal sealed partial class ApiProcess : IAsyncDisposable
{
    private readonly Process process;

    private ApiProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>A client carrying <paramref name="key"/>: the platform admin's unless told otherwise.</summary>
    public HttpClient NewClient(string key = ApiFactory.AdminKey) => ClinicDriver.NewClient(Address, key);

    /// <param name="databasePath">The SQLite file, shared with any other process given it.</param>
    /// <param name="settings">Further configuration, by its section:key name.</param>
    public static async Task<ApiProcess> StartAsync(string databasePath, IReadOnlyDictionary<string, string>? settings = null)
    {
        var api = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [api, "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = Path.GetDirectoryName(api)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__Scheduling"] = $"Data Source={databasePath}";
        start.Environment["Auth__BootstrapAdminKey"] = ApiFactory.AdminKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (ListeningOn().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["address"].Value));
            }
        };
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != listening.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The API process did not start:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
        }

        return new ApiProcess(process, await listening.Task);
    }

    /// <summary>Stops the process the hard way, as a crash or a killed container would.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Stops the process as an orchestrator would, with SIGTERM, and waits until it has shut down.</summary>
    public async Task StopAsync()
    {
        using var signal = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await signal.WaitForExitAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://\S+)")]
    private static partial Regex ListeningOn();
}
