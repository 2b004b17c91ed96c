using System.Data;
using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using NodaTime;

namespace KetamineScheduling.Api.Audit;

/// <summary>
/// The audit trail. Append-only: nothing in the API updates or deletes a row. Rows hold ids, never names or notes.
/// </summary>
internal static class AuditStore
{
    internal const string InsertEvent = """
        INSERT INTO audit_events (clinic_id, actor_key_id, actor_role, action, resource_type, resource_id, patient_id, outcome, status_code, request_id, occurred_at)
        VALUES (@ClinicId, @ActorKeyId, @ActorRole, @Action, @ResourceType, @ResourceId, @PatientId, @Outcome, @StatusCode, @RequestId, @OccurredAt)
        """;

    /// <summary>
    /// Appends <paramref name="events"/> inside <paramref name="transaction"/>: a change's own, so that the change
    /// and its event commit together or not at all, or the <see cref="AuditWriter"/>'s batch of reads and refusals.
    /// </summary>
    /// <remarks>
    /// One command, its parameters made once and given each event's values in turn: a read's event is written
    /// thousands of times a second, and Dapper makes and names every parameter again for each row
    /// (docs/benchmarks.md).
    /// </remarks>
    public static async Task AppendAsync(DbConnection connection, DbTransaction transaction, IEnumerable<AuditEvent> events)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = InsertEvent;
        command.Transaction = transaction;
        var clinicId = command.AddParameter("@ClinicId", DbType.String);
        var actorKeyId = command.AddParameter("@ActorKeyId", DbType.String);
        var actorRole = command.AddParameter("@ActorRole", DbType.String);
        var action = command.AddParameter("@Action", DbType.String);
        var resourceType = command.AddParameter("@ResourceType", DbType.String);
        var resourceId = command.AddParameter("@ResourceId", DbType.String);
        var patientId = command.AddParameter("@PatientId", DbType.String);
        var outcome = command.AddParameter("@Outcome", DbType.String);
        var statusCode = command.AddParameter("@StatusCode", DbType.Int32);
        var requestId = command.AddParameter("@RequestId", DbType.String);
        var occurredAt = command.AddParameter("@OccurredAt", DbType.String);
        foreach (var e in events)
        {
            DapperTypeHandlers.SetValue(clinicId, e.ClinicId);
            DapperTypeHandlers.SetValue(actorKeyId, e.ActorKeyId);
            SetText(actorRole, e.ActorRole);
            SetText(action, e.Action);
            SetText(resourceType, e.ResourceType);
            SetText(resourceId, e.ResourceId);
            DapperTypeHandlers.SetValue(patientId, e.PatientId);
            SetText(outcome, e.Outcome);
            statusCode.Value = e.StatusCode;
            SetText(requestId, e.RequestId);
            DapperTypeHandlers.SetValue(occurredAt, e.OccurredAt);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>As Dapper binds a string: nvarchar(4000) on SQL Server, so that every insert shares one plan.</summary>
    private static void SetText(DbParameter parameter, string? value)
    {
        parameter.Size = value is null || value.Length <= 4000 ? 4000 : -1;
        parameter.Value = value ?? (object)DBNull.Value;
    }

    private const string SelectEvents = """
        SELECT id, clinic_id, actor_key_id, actor_role, action, resource_type, resource_id, patient_id, outcome, status_code, request_id, occurred_at
        FROM audit_events
        WHERE clinic_id = @ClinicId AND id < @Before AND occurred_at >= @From AND (@To IS NULL OR occurred_at < @To)
          AND (@PatientId IS NULL OR patient_id = @PatientId)
        ORDER BY id DESC
        """ + SqlDialect.TakeRows;

    /// <summary>A clinic's events, newest first, from <paramref name="before"/> back (by id), in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static async Task<IReadOnlyList<AuditEvent>> ListAsync(
        Database db, Guid clinicId, Guid? patientId, Instant from, Instant? to, long before, int take, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AuditEvent>(connection.Sql(SelectEvents), new
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
