using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace KetamineScheduling.Api.Data;

/// <summary>
/// The one place that knows which engine holds the data: it opens connections and runs write transactions.
/// Everything else is plain Dapper over <see cref="DbConnection"/>, and the connection tells which engine's words
/// to use (<see cref="SqlDialect"/>).
/// </summary>
/// <remarks>
/// SQL lives in <c>const string</c> fields right above the method that runs it. Text that works on both
/// engines has one const; engine-specific text has two, named <c>XxxSqlite</c> and <c>XxxSqlServer</c>,
/// chosen with <see cref="SqlDialect.Pick"/>.
/// Two Dapper traps on SQLite: parameter names are case-sensitive (<c>@ClinicId</c> needs a member named
/// <c>ClinicId</c>), and the items of an <c>IN @ids</c> list skip the type handlers, so a list of Guids matches
/// nothing; pass <c>ids.Select(id => id.ToString("D"))</c>, which both engines compare correctly with an id.
/// </remarks>
public sealed partial class Database : IAsyncDisposable, IDisposable
{
    /// <param name="provider">The engine behind <paramref name="connectionString"/>.</param>
    /// <param name="connectionString">For SQLite, a Data Source that is already an absolute path.</param>
    public Database(DatabaseProvider provider, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Provider = provider;
        ConnectionString = connectionString;
        // Every query through this seam relies on the handlers, so no Database exists without them.
        DapperTypeHandlers.Register();
    }

    public DatabaseProvider Provider { get; }

    internal string ConnectionString { get; }

    /// <summary>The native SQLite connections that have had their pragmas; they fall out as the pool drops them.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Initialized = [];

    // journal_mode=WAL is not here: it is stored in the file when migrations run. The log is copied into the file
    // every 10,000 pages (about 40 MB), not SQLite's 1,000: the commit that passes the mark does the copy and syncs
    // both files inside the writers' turn, while every other writer waits, and a longer log copies a page that many
    // commits wrote (an index's leaf, the feed's last page) once instead of many times (docs/benchmarks.md).
    private const string ConnectionPragmasSqlite =
        "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=10000;";

    /// <summary>Opens a pooled connection. The caller disposes it.</summary>
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        OpenedAsync(Provider == DatabaseProvider.Sqlite ? new SqliteConnection(ConnectionString) : new SqlConnection(ConnectionString), cancellationToken);

    private static async Task<DbConnection> OpenedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.OpenAsync(cancellationToken);

            // The pragmas belong to the native connection, which the pool hands out again and again: set them once.
            if (connection is SqliteConnection { Handle: { } handle } && !Initialized.TryGetValue(handle, out _))
            {
                await connection.ExecuteAsync(new CommandDefinition(ConnectionPragmasSqlite, cancellationToken: cancellationToken));
                Initialized.AddOrUpdate(handle, Initialized);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, committed when it returns and rolled back when it throws.
    /// </summary>
    /// <remarks>
    /// On SQLite the transaction takes the write lock at once, so concurrent writers queue (for up to the busy
    /// timeout) rather than fail when a read-then-write transaction tries to upgrade its lock.
    /// On SQL Server it is read committed; keys enforce uniqueness.
    /// </remarks>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Provider != DatabaseProvider.Sqlite)
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await WriteAsync(connection, work, cancellationToken);
        }

        // SQLite: every writer of this process takes its turn on one connection. Its page cache stays warm, since
        // only its own commits (and other processes') change the file under it; a pooled connection each time finds
        // its cache dropped by the commits of the others and reads its pages again. It also keeps each statement
        // compiled for the next writer that runs it (PreparedSqliteConnection).
        return await InTurnAsync(async () =>
        {
            var writer = sqliteWriter ??= (SqliteConnection)await OpenedAsync(new PreparedSqliteConnection(ConnectionString), cancellationToken);
            try
            {
                return await InTransactionAsync(writer, writer.BeginTransaction(deferred: false), work, cancellationToken); // BEGIN IMMEDIATE
            }
            finally
            {
                if (writer.State != ConnectionState.Open)
                {
                    sqliteWriter = null;
                    await writer.DisposeAsync();
                }
            }
        }, cancellationToken);
    }

    private SqliteConnection? sqliteWriter;

    /// <summary>Closes the SQLite writers' connection; the host disposes the database as it stops, after the last write.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref sqliteWriter, null) is { } writer)
        {
            await writer.DisposeAsync();
        }
    }

    public void Dispose() => Interlocked.Exchange(ref sqliteWriter, null)?.Dispose();

    /// <summary>
    /// As <see cref="WriteAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, CancellationToken)"/>, on a
    /// connection from <see cref="OpenAsync"/> that the caller keeps open, so that its commands stay prepared.
    /// </summary>
    public async Task<T> WriteAsync<T>(DbConnection connection, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(work);
        if (connection is not SqliteConnection sqlite)
        {
            return await InTransactionAsync(connection, await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken), work, cancellationToken);
        }

        return await InTurnAsync(() => InTransactionAsync(connection, sqlite.BeginTransaction(deferred: false), work, cancellationToken), cancellationToken); // BEGIN IMMEDIATE
    }

    /// <summary>
    /// Runs a SQLite <paramref name="write"/> when this process's earlier writers are done. SQLite has one writer at a
    /// time, and a writer waiting for the lock polls it with growing sleeps, so the lock sits idle between them.
    /// Writers in this process queue here instead and take the lock in turn the moment it is free; writers in other
    /// processes still meet the busy timeout.
    /// </summary>
    private async Task<T> InTurnAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await sqliteWriters.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            sqliteWriters.Release();
        }
    }

    private readonly SemaphoreSlim sqliteWriters = new(1, 1);

    private static async Task<T> InTransactionAsync<T>(DbConnection connection, DbTransaction transaction, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using (transaction)
        {
            var result = await work(connection, transaction);
            if (Joined.Value is { } join)
            {
                await join(connection, transaction);
            }

            await transaction.CommitAsync(cancellationToken);
            return result;
        }
    }

    private static readonly AsyncLocal<Func<DbConnection, DbTransaction, Task>?> Joined = new();

    /// <summary>
    /// Adds <paramref name="work"/> to the end of every write transaction that the calling flow (a request, say)
    /// commits until the returned scope is disposed: what must commit with a change, or not at all.
    /// </summary>
    public static IDisposable JoinEveryTransaction(Func<DbConnection, DbTransaction, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var outer = Joined.Value;
        Joined.Value = work;
        return new Restore(() => Joined.Value = outer);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>
    /// Whether <paramref name="exception"/> is a duplicate primary key or unique key.
    /// <paramref name="table"/> is the table it happened in, without schema, when the message names one.
    /// </summary>
    public static bool IsUniqueViolation(Exception exception, out string? table)
    {
        var match = exception switch
        {
            SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } e => SqliteConstraintTable().Match(e.Message),
            SqlException { Number: 2627 or 2601 } e => SqlServerDuplicateTable().Match(e.Message),
            _ => null,
        };
        table = match is { Success: true } ? match.Groups["table"].Value : null;
        return match is not null;
    }

    // "UNIQUE constraint failed: chair_claims.chair_id, chair_claims.slot"
    [GeneratedRegex(@"constraint failed: (?<table>\w+)\.")]
    private static partial Regex SqliteConstraintTable();

    // "Cannot insert duplicate key in object 'dbo.chair_claims'." (2627) or "... key row in object 'dbo.patients' with unique index ..." (2601)
    [GeneratedRegex(@"in object '(?:[^'.]*\.)?(?<table>[^'.]+)'")]
    private static partial Regex SqlServerDuplicateTable();

    private const string AppliedScriptsSql = "SELECT ScriptName FROM schema_versions";

    /// <summary>True when the database answers and every embedded migration is in its journal.</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            var applied = await connection.QueryAsync<string>(new CommandDefinition(AppliedScriptsSql, cancellationToken: cancellationToken));
            return !Migrations.ScriptNames(Provider).Except(applied).Any();
        }
        catch (DbException)
        {
            // Unreachable, or not migrated far enough to have a journal.
            return false;
        }
    }
}
