using System.Data;
using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using Microsoft.Data.Sqlite;
using NodaTime;
using SQLitePCL;

namespace KetamineScheduling.Api.Audit;

/// <summary>
/// The audit trail. Append-only: <see cref="AuditAppender"/> inserts, this store reads, and nothing in the API
/// updates or deletes a row. Rows hold ids, never names or notes.
/// </summary>
internal static class AuditStore
{
    private const string SelectEventsSqlite = """
        SELECT id, clinic_id, actor_key_id, actor_role, action, resource_type, resource_id, patient_id, outcome, status_code, request_id, occurred_at
        FROM audit_events
        WHERE clinic_id = @ClinicId AND id < @Before AND occurred_at >= @From AND (@To IS NULL OR occurred_at < @To)
          AND (@PatientId IS NULL OR patient_id = @PatientId)
        ORDER BY id DESC LIMIT @Take
        """;

    private const string SelectEventsSqlServer = """
        SELECT TOP (@Take) id, clinic_id, actor_key_id, actor_role, action, resource_type, resource_id, patient_id, outcome, status_code, request_id, occurred_at
        FROM audit_events
        WHERE clinic_id = @ClinicId AND id < @Before AND occurred_at >= @From AND (@To IS NULL OR occurred_at < @To)
          AND (@PatientId IS NULL OR patient_id = @PatientId)
        ORDER BY id DESC
        """;

    private const string JournalPositionSqlite = "SELECT moved_upto FROM audit_journals WHERE journal_id = @Id";

    /// <summary>The number of the last event moved from journal <paramref name="id"/>; 0 if none has been.</summary>
    public static async Task<long> JournalPositionAsync(Database db, string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(JournalPositionSqlite, new { Id = id }, cancellationToken: cancellationToken)) ?? 0;
    }

    private const string ForgetJournalSqlite = "DELETE FROM audit_journals WHERE journal_id = @Id";

    /// <summary>Forgets journal <paramref name="id"/>, whose file is gone.</summary>
    public static async Task ForgetJournalAsync(Database db, string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(ForgetJournalSqlite, new { Id = id }, cancellationToken: cancellationToken));
    }

    /// <summary>Events up to number <paramref name="MovedUpto"/> of journal <paramref name="Id"/> are in the table.</summary>
    internal sealed record JournalMark(string Id, long MovedUpto);

    /// <summary>A clinic's events, newest first, from <paramref name="before"/> back (by id), in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static async Task<IReadOnlyList<AuditEvent>> ListAsync(
        Database db, Guid clinicId, Guid? patientId, Instant from, Instant? to, long before, int take, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AuditEvent>(db.Pick(SelectEventsSqlite, SelectEventsSqlServer), new
        {
            ClinicId = clinicId,
            PatientId = patientId,
            From = from,
            To = to,
            Before = before,
            Take = take,
        })).AsList();
    }
}

/// <summary>
/// Appends to the audit trail through a connection of its own, with its insert prepared once. Every audited
/// request appends, which makes this the API's busiest statement: through Dapper each row would get a new command
/// and new parameters, which on SQLite cost about twice what inserting the row does. On SQLite the statement is
/// stepped through SQLite's own API, as the change watch's rounds do: ADO.NET's command and reader around each
/// row cost almost as much as the insert (5.4 against 3 µs a row, measured on the load database). Not
/// thread-safe: the group-commit <see cref="AuditWriter"/> is its one user.
/// </summary>
internal sealed class AuditAppender : IAsyncDisposable
{
    // SQLite numbers named parameters in order of appearance, which is the order Step binds them in.
    private const string InsertEvent = """
        INSERT INTO audit_events (clinic_id, actor_key_id, actor_role, action, resource_type, resource_id, patient_id, outcome, status_code, request_id, occurred_at)
        VALUES (@ClinicId, @ActorKeyId, @ActorRole, @Action, @ResourceType, @ResourceId, @PatientId, @Outcome, @StatusCode, @RequestId, @OccurredAt)
        """;

    private readonly Database db;
    private readonly DbConnection connection;
    private readonly sqlite3_stmt? sqliteInsert;
    private readonly DbCommand? insert;

    private AuditAppender(Database db, DbConnection connection)
    {
        this.db = db;
        this.connection = connection;
        if (connection is SqliteConnection { Handle: { } handle })
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(handle, InsertEvent, out sqliteInsert), handle);
            return;
        }

        insert = connection.CreateCommand();
        insert.CommandText = InsertEvent;
        foreach (var name in (string[])["ClinicId", "ActorKeyId", "ActorRole", "Action", "ResourceType", "ResourceId", "PatientId", "Outcome", "StatusCode", "RequestId", "OccurredAt"])
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = "@" + name;
            insert.Parameters.Add(parameter);
        }
    }

    public static async Task<AuditAppender> OpenAsync(Database db, CancellationToken cancellationToken) =>
        new(db, await db.OpenAsync(cancellationToken));

    // Only SQLite has journals (see AuditJournal).
    private const string MarkJournalSqlite = """
        INSERT INTO audit_journals (journal_id, moved_upto) VALUES (@Id, @MovedUpto)
        ON CONFLICT (journal_id) DO UPDATE SET moved_upto = excluded.moved_upto
        """;

    /// <summary>Appends <paramref name="events"/> in one transaction, with the journal position they were moved up to, if any.</summary>
    public Task AppendAsync(IReadOnlyList<AuditEvent> events, AuditStore.JournalMark? moved, CancellationToken cancellationToken) =>
        db.WriteAsync(connection, async (_, transaction) =>
        {
            if (moved is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(MarkJournalSqlite, moved, transaction, cancellationToken: cancellationToken));
            }

            foreach (var e in events)
            {
                if (sqliteInsert is not null)
                {
                    Step(sqliteInsert, e);
                    continue;
                }

                insert!.Transaction = transaction;
                Bind(insert, e);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            return events.Count;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        sqliteInsert?.Dispose();
        if (insert is not null)
        {
            await insert.DisposeAsync();
        }

        await connection.DisposeAsync();
    }

    /// <summary>Inserts <paramref name="e"/> in the transaction the connection has open, as Dapper's handlers would store it.</summary>
    private void Step(sqlite3_stmt statement, AuditEvent e)
    {
        try
        {
            BindText(statement, 1, SqliteText(e.ClinicId));
            BindText(statement, 2, SqliteText(e.ActorKeyId));
            BindText(statement, 3, e.ActorRole);
            BindText(statement, 4, e.Action);
            BindText(statement, 5, e.ResourceType);
            BindText(statement, 6, e.ResourceId);
            BindText(statement, 7, SqliteText(e.PatientId));
            BindText(statement, 8, e.Outcome);
            raw.sqlite3_bind_int(statement, 9, e.StatusCode);
            BindText(statement, 10, e.RequestId);
            BindText(statement, 11, DapperTypeHandlers.SqliteText(e.OccurredAt));
            var rc = raw.sqlite3_step(statement);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, ((SqliteConnection)connection).Handle);
            }
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private static string? SqliteText(Guid? value) => value is { } id ? DapperTypeHandlers.SqliteText(id) : null;

    private static void BindText(sqlite3_stmt statement, int index, string? value) =>
        _ = value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text(statement, index, value);

    private static void Bind(DbCommand command, AuditEvent e)
    {
        var p = command.Parameters;
        DapperTypeHandlers.SetValue(p[0], e.ClinicId);
        DapperTypeHandlers.SetValue(p[1], e.ActorKeyId);
        SetText(p[2], e.ActorRole);
        SetText(p[3], e.Action);
        SetText(p[4], e.ResourceType);
        SetText(p[5], e.ResourceId);
        DapperTypeHandlers.SetValue(p[6], e.PatientId);
        SetText(p[7], e.Outcome);
        p[8].DbType = DbType.Int32;
        p[8].Value = e.StatusCode;
        SetText(p[9], e.RequestId);
        DapperTypeHandlers.SetValue(p[10], e.OccurredAt);
    }

    private static void SetText(DbParameter parameter, string? value)
    {
        parameter.DbType = DbType.String;
        parameter.Value = (object?)value ?? DBNull.Value;
    }
}

/// <summary>One audited request, about one patient at most; a request touching several patients leaves one row each.</summary>
internal sealed record AuditEvent
{
    /// <summary>The row's position in the trail; 0 until stored.</summary>
    public long Id { get; init; }

    public Guid? ClinicId { get; init; }

    /// <summary>The key that made the request; null when it carried no valid key.</summary>
    public Guid? ActorKeyId { get; init; }

    public string? ActorRole { get; init; }

    /// <summary>The route's name, e.g. BookSession.</summary>
    public string Action { get; init; } = "";

    public string ResourceType { get; init; } = "";

    public string? ResourceId { get; init; }

    public Guid? PatientId { get; init; }

    public string Outcome { get; init; } = "";

    public int StatusCode { get; init; }

    public string RequestId { get; init; } = "";

    public Instant OccurredAt { get; init; }
}
