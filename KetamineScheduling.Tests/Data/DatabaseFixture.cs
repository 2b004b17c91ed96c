using System.Collections.Concurrent;
using KetamineScheduling.Api.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace KetamineScheduling.Tests.Data;

/// <summary>
/// One engine to run <see cref="DatabaseContractTests"/> against: a database migrated once for the class, and
/// empty ones on demand. When the engine cannot be started, every test that asks for a database is skipped
/// with the reason.
/// </summary>
public abstract class DatabaseFixture : IAsyncLifetime
{
    private string? unavailable;
    private Database? migrated;
    private readonly ConcurrentBag<Database> created = [];

    /// <summary>A migrated database shared by the tests of one class; tests write rows under fresh ids.</summary>
    public Database Migrated
    {
        get
        {
            Skip.If(unavailable is not null, unavailable);
            return migrated!;
        }
    }

    /// <summary>A new database with no tables, for tests about migrating; closed with the fixture.</summary>
    public async Task<Database> CreateEmptyAsync()
    {
        Skip.If(unavailable is not null, unavailable);
        var database = await CreateEmptyDatabaseAsync();
        created.Add(database);
        return database;
    }

    /// <summary>Starts the engine; returns why it cannot, or null.</summary>
    protected abstract Task<string?> StartEngineAsync();

    protected abstract Task<Database> CreateEmptyDatabaseAsync();

    public async Task InitializeAsync()
    {
        unavailable = await StartEngineAsync();
        if (unavailable is null)
        {
            migrated = await CreateEmptyDatabaseAsync();
            created.Add(migrated);
            await Migrations.ApplyAsync(migrated, NullLogger.Instance, CancellationToken.None);
        }
    }

    /// <summary>Closes every database the fixture made (each keeps its writers' connection open), then stops the engine.</summary>
    public async Task DisposeAsync()
    {
        foreach (var database in created)
        {
            await database.DisposeAsync();
        }

        await StopEngineAsync();
    }

    protected abstract Task StopEngineAsync();
}
