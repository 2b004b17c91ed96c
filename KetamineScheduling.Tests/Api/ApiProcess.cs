using System.Collections.Concurrent;
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
    private readonly ConcurrentQueue<string> output;

    private ApiProcess(Process process, Uri address, ConcurrentQueue<string> output)
    {
        this.process = process;
        this.output = output;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>A client carrying <paramref name="key"/>: the platform admin's unless told otherwise.</summary>
    public HttpClient NewClient(string key = ApiFactory.AdminKey) => ClinicDriver.NewClient(Address, key);

    /// <param name="databasePath">The SQLite file, shared with any other process given it.</param>
    /// <param name="settings">Further configuration, by its section:key name.</param>
    public static Task<ApiProcess> StartAsync(string databasePath, IReadOnlyDictionary<string, string>? settings = null)
    {
        var api = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [api, "--urls", "http://127.0.0.1:0"]) { WorkingDirectory = Path.GetDirectoryName(api)! };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Auth__BootstrapAdminKey"] = ApiFactory.AdminKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return StartAsync(start, databasePath);
    }

    /// <summary>
    /// The API started exactly as the README tells an operator to, <c>dotnet run --project KetamineScheduling.Api</c>
    /// from the repository root with <paramref name="environment"/> set in the shell, launch profile and all; only
    /// the built configuration is reused rather than built again, and the port is a free one.
    /// </summary>
    public static Task<ApiProcess> DotnetRunAsync(string databasePath, IReadOnlyDictionary<string, string> environment)
    {
        var configuration = typeof(Program).Assembly.Location.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var start = new ProcessStartInfo("dotnet", ["run", "--project", "KetamineScheduling.Api", "-c", configuration, "--no-build", "--", "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = OpenApiContractTests.RepositoryRoot(),
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return StartAsync(start, databasePath);
    }

    /// <summary>Every line the process has written so far, standard output and error.</summary>
    public IReadOnlyCollection<string> Output => output;

    /// <summary>Whether the process writes a line containing <paramref name="text"/> within a few seconds.</summary>
    public async Task<bool> WritesAsync(string text)
    {
        for (var waited = 0; waited < 100; waited++)
        {
            if (output.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static async Task<ApiProcess> StartAsync(ProcessStartInfo start, string databasePath)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment["ConnectionStrings__Scheduling"] = $"Data Source={databasePath}";
        start.Environment.TryAdd("Logging__LogLevel__Microsoft.Hosting.Lifetime", "Information");
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new ConcurrentQueue<string>();
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

        return new ApiProcess(process, await listening.Task, output);
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
