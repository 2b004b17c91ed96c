using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace KetamineScheduling.Api.Data;

/// <summary>
/// The SQLite writers' kept connection (<see cref="Database.WriteAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, CancellationToken)"/>),
/// which keeps each statement it has run compiled, by its text, for the next writer that runs it.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite compiles a command's SQL again for every new command, and Dapper makes a new command for
/// every call, so a booking compiled its half-dozen statements each time: a fifth of its CPU went to SQLite's parser
/// and planner (docs/benchmarks.md). Here every command Dapper makes hands its text and parameters, when it runs, to
/// the one <see cref="SqliteCommand"/> kept for that text, whose statements stay compiled between runs. Writers take
/// the connection in turn, one at a time, so a kept command is never run by two at once; a command run again while its
/// own reader is still open gets a command of its own. At most <see cref="MaxKept"/> texts are kept.
/// </remarks>
internal sealed class PreparedSqliteConnection(string connectionString) : SqliteConnection(connectionString)
{
    private const int MaxKept = 64;

    private readonly Dictionary<string, SqliteCommand> kept = new(StringComparer.Ordinal);

    /// <summary>The kept commands whose run is not over yet (their Dapper command is not disposed).</summary>
    private readonly HashSet<SqliteCommand> reading = [];

    private SqliteTransaction? transaction;

    public override SqliteTransaction BeginTransaction(IsolationLevel isolationLevel, bool deferred) =>
        transaction = base.BeginTransaction(isolationLevel, deferred);

    protected override DbCommand CreateDbCommand() => new KeptCommand(this);

    /// <summary>The kept command for <paramref name="text"/>, or a new one the caller disposes when it may not be kept.</summary>
    private SqliteCommand Take(string text, out bool owned)
    {
        if (kept.TryGetValue(text, out var command) && !reading.Contains(command))
        {
            owned = false;
            return command;
        }

        command = base.CreateCommand();
        command.CommandText = text;
        owned = kept.Count >= MaxKept || !kept.TryAdd(text, command);
        return command;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in kept.Values)
            {
                command.Dispose();
            }

            kept.Clear();
        }

        base.Dispose(disposing);
    }

    /// <summary>What Dapper holds: the text and parameters of one run, handed to the kept command when it runs.</summary>
    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "Runs the text its caller gives, as any command does.")]
    private sealed class KeptCommand(PreparedSqliteConnection connection) : DbCommand
    {
        private readonly SqliteCommand parameters = new();

        [AllowNull]
        public override string CommandText { get; set; } = "";

        public override int CommandTimeout { get; set; } = 30;

        public override CommandType CommandType { get; set; } = CommandType.Text;

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection
        {
            get => connection;
            set => throw new NotSupportedException("A kept command belongs to its connection.");
        }

        protected override DbParameterCollection DbParameterCollection => parameters.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => parameters.CreateParameter();

        public override int ExecuteNonQuery() => Ready().ExecuteNonQuery();

        public override object? ExecuteScalar() => Ready().ExecuteScalar();

        // Dapper disposes its command after the reader, so the kept command is free again when this one is disposed.
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Ready().ExecuteReader(behavior);

        /// <summary>The command for this text, holding this run's parameters and transaction.</summary>
        private SqliteCommand Ready()
        {
            Release();
            var command = inner = connection.Take(CommandText, out owned);
            command.Transaction = (SqliteTransaction?)DbTransaction ?? (connection.transaction is { Connection: not null } open ? open : null);
            command.CommandTimeout = CommandTimeout;
            command.Parameters.Clear();
            foreach (SqliteParameter parameter in parameters.Parameters)
            {
                command.Parameters.Add(parameter);
            }

            connection.reading.Add(command);
            return command;
        }

        private SqliteCommand? inner;

        private bool owned;

        private void Release()
        {
            if (inner is { } command)
            {
                inner = null;
                connection.reading.Remove(command);
                if (owned)
                {
                    command.Dispose();
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Release();
                parameters.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
