using Dapper;
using KetamineScheduling.Api.Data;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace KetamineScheduling.Tests.Data;

/// <summary>The SQLite writers' kept connection keeps its statements compiled, and answers exactly as a plain one does.</summary>
public sealed class PreparedSqliteConnectionTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"prepared-{Guid.NewGuid():N}.db");

    private const string Double = "SELECT @Value * 2";

    [Fact]
    public async Task A_statement_run_again_answers_for_its_new_parameters()
    {
        await using var connection = await OpenAsync(new PreparedSqliteConnection(ConnectionString));

        Assert.Equal(2, await connection.ExecuteScalarAsync<int>(Double, new { Value = 1 }));
        Assert.Equal(42, await connection.ExecuteScalarAsync<int>(Double, new { Value = 21 }));
        Assert.Equal([6, 8], (await connection.QueryAsync<int>(Double, new { Value = 3 })).Concat(await connection.QueryAsync<int>(Double, new { Value = 4 })));
    }

    [Fact]
    public async Task A_parameter_a_later_run_leaves_out_is_missing_there_as_on_a_plain_connection_not_the_earlier_value()
    {
        const string sum = "SELECT @A + @B";
        await using var plain = await OpenAsync(new SqliteConnection(ConnectionString));
        await using var prepared = await OpenAsync(new PreparedSqliteConnection(ConnectionString));

        foreach (var connection in new[] { plain, prepared })
        {
            Assert.Equal(3, await connection.ExecuteScalarAsync<int>(sum, new { A = 1, B = 2 }));
            var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => connection.ExecuteScalarAsync<int>(sum, new { A = 10 }));
            Assert.Contains("@B", missing.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_statement_stays_compiled_after_its_command_where_a_plain_connection_finalizes_it()
    {
        await using var plain = await OpenAsync(new SqliteConnection(ConnectionString));
        await using var prepared = await OpenAsync(new PreparedSqliteConnection(ConnectionString));

        foreach (var value in new[] { 1, 2, 3 })
        {
            await plain.ExecuteScalarAsync<int>(Double, new { Value = value });
            await prepared.ExecuteScalarAsync<int>(Double, new { Value = value });
        }

        Assert.Equal(0, LiveStatements(plain));
        Assert.Equal(1, LiveStatements(prepared));
    }

    [Fact]
    public async Task The_same_text_run_while_its_reader_is_still_open_gets_a_command_of_its_own()
    {
        await using var connection = await OpenAsync(new PreparedSqliteConnection(ConnectionString));
        const string numbers = "WITH n(v) AS (SELECT @From UNION ALL SELECT v + 1 FROM n WHERE v < @From + 2) SELECT v FROM n";

        var pairs = new List<(int Outer, int Inner)>();
        foreach (var outer in connection.Query<int>(numbers, new { From = 1 }, buffered: false))
        {
            pairs.Add((outer, connection.Query<int>(numbers, new { From = outer * 10 }).First()));
        }

        Assert.Equal([(1, 10), (2, 20), (3, 30)], pairs);
        Assert.Equal(1, LiveStatements(connection));
    }

    [Fact]
    public async Task A_command_given_no_transaction_runs_in_the_open_one_as_on_a_plain_connection()
    {
        await using var connection = await OpenAsync(new PreparedSqliteConnection(ConnectionString));
        await connection.ExecuteAsync("CREATE TABLE notes (id INTEGER PRIMARY KEY)");

        await using (var transaction = connection.BeginTransaction(deferred: false))
        {
            await connection.ExecuteAsync("INSERT INTO notes (id) VALUES (@Id)", new { Id = 1 });
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notes"));
            await transaction.RollbackAsync();
        }

        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notes"));
    }

    [Fact]
    public async Task No_more_than_64_texts_stay_compiled_and_every_text_past_them_still_runs()
    {
        await using var connection = await OpenAsync(new PreparedSqliteConnection(ConnectionString));

        var answers = new List<int>();
        for (var i = 0; i < 100; i++)
        {
            answers.Add(await connection.ExecuteScalarAsync<int>($"SELECT @Value + {i}", new { Value = 1 }));
        }

        Assert.Equal(Enumerable.Range(1, 100), answers);
        Assert.Equal(64, LiveStatements(connection));
    }

    [Fact]
    public async Task A_failed_statement_leaves_its_kept_command_ready_for_the_next_run()
    {
        await using var connection = await OpenAsync(new PreparedSqliteConnection(ConnectionString));
        await connection.ExecuteAsync("CREATE TABLE chairs (id INTEGER PRIMARY KEY)");
        const string insert = "INSERT INTO chairs (id) VALUES (@Id)";
        await connection.ExecuteAsync(insert, new { Id = 1 });

        var duplicate = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(insert, new { Id = 1 }));
        await connection.ExecuteAsync(insert, new { Id = 2 });

        Assert.Equal(19, duplicate.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal([1, 2], await connection.QueryAsync<int>("SELECT id FROM chairs ORDER BY id"));
    }

    private string ConnectionString => $"Data Source={file};Pooling=False";

    private static async Task<SqliteConnection> OpenAsync(SqliteConnection connection)
    {
        await connection.OpenAsync();
        // SQLitePCL keeps its list of a connection's statements only when asked to, before the first is compiled.
        connection.Handle!.enable_sqlite3_next_stmt(true);
        return connection;
    }

    /// <summary>The statements compiled on the connection and not yet finalized, by SQLite's own list of them.</summary>
    private static int LiveStatements(SqliteConnection connection)
    {
        var count = 0;
        for (var statement = raw.sqlite3_next_stmt(connection.Handle, null); statement is not null && !statement.IsInvalid; statement = raw.sqlite3_next_stmt(connection.Handle, statement))
        {
            count++;
        }

        return count;
    }

    public void Dispose() => File.Delete(file);
}
