using System.Data;
using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using NodaTime;

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
/// request appends, which makes this the API's busiest statement; through Dapper each row would get a new command
/// and new parameters, which on SQLite cost about twice what inserting the row does. Not thread-safe: the
/// group-commit <see cref="AuditWriter"/> is its one user.
/// </summary>
internal sealed class AuditAppender : IAsyncDisposable
{
    private const string InsertEvent = """
        INSERT INTO audit_events (clinic_id, actor_key_id, actor_role, action, resource_type, resource_id, patient_id, outcome, status_code, request_id, occurred_at)
        VALUES (@ClinicId, @ActorKeyId, @ActorRole, @Action, @ResourceType, @ResourceId, @PatientId, @Outcome, @StatusCode, @RequestId, @OccurredAt)
        """;

    private readonly Database db;
    private readonly DbConnection connection;
    private readonly DbCommand insert;

    private AuditAppender(Database db, DbConnection connection)
    {
        this.db = db;
        this.connection = connection;
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

    /// <summary>Appends <paramref name="events"/> in one transaction.</summary>
    public Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken) =>
        db.WriteAsync(connection, async (_, transaction) =>
        {
            insert.Transaction = transaction;
            foreach (var e in events)
            {
                Bind(e);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            return events.Count;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await insert.DisposeAsync();
        await connection.DisposeAsync();
    }

    private void Bind(AuditEvent e)
    {
        var p = insert.Parameters;
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
