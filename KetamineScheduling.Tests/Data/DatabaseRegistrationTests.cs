using System.Net;
using Dapper;
using KetamineScheduling.Api.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KetamineScheduling.Tests.Data;

public sealed class DatabaseRegistrationTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ketamine-scheduling-").FullName;

    [Fact]
    public void With_no_configuration_SQLite_uses_a_file_in_the_content_root()
    {
        var database = DatabaseRegistration.CreateDatabase(Configuration(), folder);

        Assert.Equal(DatabaseProvider.Sqlite, database.Provider);
        Assert.Equal(Path.Combine(folder, "ketamine-scheduling.db"), new SqliteConnectionStringBuilder(database.ConnectionString).DataSource);
    }

    [Fact]
    public async Task Configuration_files_are_read_once_so_commits_in_the_content_root_wake_no_file_watcher()
    {
        await using var factory = Api();

        var files = ((IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>()).Providers.OfType<FileConfigurationProvider>().ToList();

        Assert.Contains(files, file => file.Source.Path == "appsettings.json");
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file.Source.Path} is watched for changes."));
    }

    [Fact]
    public void A_relative_SQLite_path_is_resolved_against_the_content_root()
    {
        var database = DatabaseRegistration.CreateDatabase(Configuration(("ConnectionStrings:Scheduling", "Data Source=data/clinic.db")), folder);

        Assert.Equal(Path.Combine(folder, "data", "clinic.db"), new SqliteConnectionStringBuilder(database.ConnectionString).DataSource);
    }

    [Fact]
    public void SQL_Server_without_a_connection_string_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            DatabaseRegistration.CreateDatabase(Configuration(("Database:Provider", "SqlServer")), folder));

        Assert.Contains("ConnectionStrings:Scheduling", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_is_live_and_ready_once_started_and_not_ready_when_the_journal_is_behind()
    {
        await using var factory = Api();
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);

        var database = factory.Services.GetRequiredService<Database>();
        await database.WriteAsync((connection, transaction) =>
            connection.ExecuteAsync("DELETE FROM schema_versions", transaction: transaction), CancellationToken.None);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The whole API, on a database file in this test's folder.</summary>
    private WebApplicationFactory<Program> Api() => new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        host.UseSetting("ConnectionStrings:Scheduling", $"Data Source={Path.Combine(folder, "api.db")}"));

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create(setting.Key, (string?)setting.Value)))
            .Build();
}
