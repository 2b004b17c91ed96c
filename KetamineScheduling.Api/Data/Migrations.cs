using Dapper;
using DbUp;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace KetamineScheduling.Api.Data;

/// <summary>
/// Applies the SQL scripts embedded from Data/Migrations/Sqlite or Data/Migrations/SqlServer, in name order,
/// recording each in the <c>schema_versions</c> journal so it runs once per database.
/// </summary>
public static class Migrations
{
    private const string JournalTable = "schema_versions";

    /// <summary>The provider's embedded scripts in the order they run, named as the journal records them.</summary>
    internal static IReadOnlyList<string> ScriptNames(DatabaseProvider provider) =>
        typeof(Migrations).Assembly.GetManifestResourceNames()
            // The folder names are the enum names.
            .Where(name => name.Contains($".Migrations.{provider}.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>
    /// Brings the database up to date. Safe to run again, and safe when several processes start at once:
    /// they take turns and the later ones find nothing to do.
    /// </summary>
    public static async Task ApplyAsync(Database database, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var turn = await TakeTurnAsync(database, cancellationToken);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await UseWriteAheadLogAsync(database, cancellationToken);
        }

        var scripts = ScriptNames(database.Provider).ToHashSet();
        var engine = (database.Provider == DatabaseProvider.Sqlite
                ? DeployChanges.To.SqliteDatabase(database.ConnectionString).JournalToSqliteTable(JournalTable)
                : DeployChanges.To.SqlDatabase(database.ConnectionString).JournalToSqlTable("dbo", JournalTable))
            .WithScriptsEmbeddedInAssembly(typeof(Migrations).Assembly, scripts.Contains)
            .WithTransaction()
            .LogTo(logger)
            .Build();
        var result = engine.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed.", result.Error);
        }
    }

    private static Task<IAsyncDisposable> TakeTurnAsync(Database database, CancellationToken cancellationToken) =>
        database.Provider == DatabaseProvider.Sqlite
            ? LockFileAsync(database.ConnectionString, cancellationToken)
            : AppLockAsync(database.ConnectionString, cancellationToken);

    // DbUp's transaction alone would serialise the scripts, but not the switch to WAL before them, so processes
    // sharing the file take turns on a lock file beside it. It is never deleted: deleting it would let a waiter
    // lock the old, unlinked file while a newcomer locks a new one.
    private static async Task<IAsyncDisposable> LockFileAsync(string connectionString, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                return new FileStream(path + ".migrate.lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    private const string TakeAppLockSqlServer = """
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = N'schema_versions', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = -1;
        IF @result < 0 THROW 50000, N'Could not take the migration lock.', 1;
        """;

    // Unpooled, so disposing the connection ends the session and with it the lock.
    private static async Task<IAsyncDisposable> AppLockAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(new SqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(TakeAppLockSqlServer, commandTimeout: 0, cancellationToken: cancellationToken));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // The journal mode is stored in the file, so setting it once here serves every later connection.
    private const string UseWriteAheadLogSqlite = "PRAGMA journal_mode=WAL;";

    private static async Task UseWriteAheadLogAsync(Database database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(UseWriteAheadLogSqlite, cancellationToken: cancellationToken));
    }
}

/// <summary>Migrates before the server starts taking requests.</summary>
internal sealed class MigrateOnStart(Database database, ILogger<MigrateOnStart> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Migrations.ApplyAsync(database, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
