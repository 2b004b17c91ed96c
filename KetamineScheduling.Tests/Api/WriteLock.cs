using Microsoft.Data.Sqlite;

namespace KetamineScheduling.Tests.Api;

/// <summary>SQLite's write lock on a database file, held by a connection of the test's own until disposed.</summary>
internal sealed class WriteLock : IAsyncDisposable
{
    private readonly SqliteConnection connection;
    private readonly SqliteTransaction transaction;

    private WriteLock(SqliteConnection connection, SqliteTransaction transaction)
    {
        this.connection = connection;
        this.transaction = transaction;
    }

    public static async Task<WriteLock> TakeAsync(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath}");
        await connection.OpenAsync();
        var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(); // BEGIN IMMEDIATE
        await new SqliteCommand("INSERT INTO schema_versions (ScriptName, Applied) VALUES ('blocker', '2027-01-01')", connection, transaction).ExecuteNonQueryAsync();
        return new WriteLock(connection, transaction);
    }

    /// <summary>Rolls back, which lets writers waiting for the lock go on.</summary>
    public async ValueTask DisposeAsync()
    {
        await transaction.RollbackAsync();
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
