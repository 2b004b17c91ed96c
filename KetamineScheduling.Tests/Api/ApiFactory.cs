using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// The API on real Kestrel over a temporary SQLite file, with a fake clock and a platform admin key. One per test
/// collection; each test makes its own clinic, so tests never see each other's data.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    /// <summary>Monday 4 January 2027, 09:00 UTC: before every date the tests book.</summary>
    public static readonly Instant Start = Instant.FromUtc(2027, 1, 4, 9, 0);

    /// <summary>The platform admin key every test server is configured with (Auth:BootstrapAdminKey).</summary>
    public const string AdminKey = "ks_test_platform_admin_0123456789";

    private readonly string environment;
    private readonly IReadOnlyDictionary<string, string?> settings;

    public ApiFactory()
        : this("Testing", null, null)
    {
    }

    /// <param name="settings">Configuration for a variant of the API, such as <c>Concurrency:RequireIfMatch</c>.</param>
    protected ApiFactory(IReadOnlyDictionary<string, string?> settings)
        : this("Testing", settings, null)
    {
    }

    private ApiFactory(string environment, IReadOnlyDictionary<string, string?>? settings, string? databasePath)
    {
        this.environment = environment;
        this.settings = settings ?? new Dictionary<string, string?>();
        DatabasePath = databasePath ?? TempDatabase.NewPath("tests");
        UseKestrel(0);
    }

    /// <summary>A server of its own, for a test that needs other settings than the collection's.</summary>
    /// <param name="environment">The hosting environment: Testing, or Development and Production to see what they do.</param>
    /// <param name="settings">Configuration on top of the test defaults.</param>
    /// <param name="databasePath">A SQLite file to use instead of a new one, to start a second server on the same data.</param>
    public static ApiFactory With(string environment = "Testing", IReadOnlyDictionary<string, string?>? settings = null, string? databasePath = null) =>
        new(environment, settings, databasePath);

    public string DatabasePath { get; }

    public FakeClock Clock { get; } = new(Start);

    /// <summary>Every message the server logged, formatted, with any exception.</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>A client talking real HTTP to the server, with <paramref name="key"/> as its bearer key (none for null).</summary>
    public HttpClient NewClient(string? key = AdminKey)
    {
        StartServer();
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("ConnectionStrings:Scheduling", $"Data Source={DatabasePath}");
        builder.UseSetting("Auth:BootstrapAdminKey", AdminKey);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<IClock>(Clock));
            services.AddSingleton<ILoggerProvider>(new RecordingLoggerProvider(Logs));
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        TempDatabase.Delete(DatabasePath);
    }

    private sealed class RecordingLoggerProvider(ConcurrentQueue<string> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new RecordingLogger(categoryName, logs);

        public void Dispose()
        {
        }
    }

    private sealed class RecordingLogger(string category, ConcurrentQueue<string> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "API over HTTP";
}

/// <summary>A SQLite file of one test's own, in the temp directory, deleted with its WAL companions.</summary>
internal sealed class TempDatabase(string purpose) : IDisposable
{
    public string Path { get; } = NewPath(purpose);

    public void Dispose() => Delete(Path);

    /// <summary>A path for a new database file, for whoever deletes it otherwise.</summary>
    public static string NewPath(string purpose) =>
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ketamine-scheduling-{purpose}-{Guid.NewGuid():N}.db");

    public static void Delete(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + ".migrate.lock" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A file still open elsewhere is left for the OS's temp cleanup.
            }
        }
    }
}
