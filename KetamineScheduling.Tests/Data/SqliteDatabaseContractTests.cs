using Dapper;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace KetamineScheduling.Tests.Data;

public sealed class SqliteDatabaseContractTests(SqliteFixture fixture)
    : DatabaseContractTests(fixture), IClassFixture<SqliteFixture>;

/// <summary>Database files in a temporary folder, deleted with it.</summary>
public sealed class SqliteFixture : DatabaseFixture
{
    private readonly string folder = Directory.CreateTempSubdirectory("ketamine-scheduling-").FullName;

    protected override Task<string?> StartEngineAsync() => Task.FromResult<string?>(null);

    protected override Task<Database> CreateEmptyDatabaseAsync() =>
        Task.FromResult(new Database(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, $"{Guid.NewGuid():N}.db")}"));

    protected override Task StopEngineAsync()
    {
        // Pooled connections hold the files open.
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class SqliteSpecificTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    [Fact]
    public async Task Migration_waits_for_whoever_holds_the_lock_file()
    {
        var database = await fixture.CreateEmptyAsync();
        var lockFile = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource + ".migrate.lock";

        Task migrating;
        await using (new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            migrating = Migrations.ApplyAsync(database, NullLogger.Instance, CancellationToken.None);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            Assert.False(migrating.IsCompleted);
        }
        await migrating;

        Assert.True(await database.IsReadyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_writers_connection_waits_for_the_lock_keeps_foreign_keys_and_copies_the_log_every_ten_thousand_pages()
    {
        var settings = await fixture.Migrated.WriteAsync(async (connection, transaction) =>
        {
            async Task<long> Read(string pragma) => await connection.ExecuteScalarAsync<long>($"PRAGMA {pragma}", transaction: transaction);
            return (await Read("busy_timeout"), await Read("foreign_keys"), await Read("synchronous"), await Read("wal_autocheckpoint"));
        }, CancellationToken.None);

        // synchronous 1 is NORMAL: with WAL a commit survives a crash of the process, and the log is synced at checkpoints.
        Assert.Equal((5000L, 1L, 1L, 10_000L), settings);
    }

    [Fact]
    public async Task Values_are_bound_as_the_documented_sortable_text()
    {
        await using var connection = await fixture.Migrated.OpenAsync(CancellationToken.None);

        var stored = await connection.QuerySingleAsync<(string, string, string, string, string)>(
            "SELECT @Id, @Date, @Time, @LocalDateTime, @Instant",
            new
            {
                Id = Guid.Parse("0F8FAD5B-D9CB-469F-A165-70867728950E"),
                Date = new LocalDate(2025, 3, 30),
                Time = new LocalTime(9, 5, 0),
                LocalDateTime = new LocalDateTime(2025, 3, 30, 9, 5, 0),
                Instant = Instant.FromUtc(2025, 3, 30, 8, 5, 0),
            });

        Assert.Equal(
            ("0f8fad5b-d9cb-469f-a165-70867728950e", "2025-03-30", "09:05:00", "2025-03-30T09:05:00", "2025-03-30T08:05:00.000Z"),
            stored);
    }
}
