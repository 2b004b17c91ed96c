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

    /// <summary>A migrated database shared by the tests of one class; tests write rows under fresh ids.</summary>
    public Database Migrated
    {
        get
        {
            Skip.If(unavailable is not null, unavailable);
            return migrated!;
        }
    }

    /// <summary>A new database with no tables, for tests about migrating.</summary>
    public Task<Database> CreateEmptyAsync()
    {
        Skip.If(unavailable is not null, unavailable);
        return CreateEmptyDatabaseAsync();
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
            await Migrations.ApplyAsync(migrated, NullLogger.Instance, CancellationToken.None);
        }
    }

    public abstract Task DisposeAsync();
}
