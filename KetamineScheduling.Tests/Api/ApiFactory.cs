using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using NodaTime.Testing;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// The API on real Kestrel over a temporary SQLite file, with a fake clock. One per test collection; each test
/// makes its own clinic, so tests never see each other's data.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    /// <summary>Monday 4 January 2027, 09:00 UTC: before every date the tests book.</summary>
    public static readonly Instant Start = Instant.FromUtc(2027, 1, 4, 9, 0);

    private readonly IReadOnlyDictionary<string, string?> settings;

    public ApiFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <param name="settings">Configuration for a variant of the API, such as <c>Concurrency:RequireIfMatch</c>.</param>
    protected ApiFactory(IReadOnlyDictionary<string, string?> settings)
    {
        this.settings = settings;
        DatabasePath = Path.Combine(Path.GetTempPath(), $"ketamine-scheduling-tests-{Guid.NewGuid():N}.db");
        UseKestrel(0);
    }

    public string DatabasePath { get; }

    public FakeClock Clock { get; } = new(Start);

    /// <summary>A client talking real HTTP to the server.</summary>
    public HttpClient NewClient()
    {
        StartServer();
        return CreateClient();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Scheduling", $"Data Source={DatabasePath}");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<IClock>(Clock)));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        TempDatabase.Delete(DatabasePath);
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "API over HTTP";
}

/// <summary>Removes a SQLite file and its WAL companions.</summary>
internal static class TempDatabase
{
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
