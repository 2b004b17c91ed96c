using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Audit;
using NodaTime;

namespace KetamineScheduling.Api.Events;

/// <summary>
/// The transactional outbox: every committed change appends one event per changed resource, in the same
/// transaction as the change, so the feed holds exactly what was committed. The request's audit events are
/// recorded beside them, in the same transaction.
/// </summary>
internal static class ChangeFeed
{
    private const string InsertEvent = """
        INSERT INTO events (clinic_id, type, resource_type, resource_id, patient_id, version, occurred_at)
        VALUES (@ClinicId, @Type, @ResourceType, @ResourceId, @PatientId, @Version, @OccurredAt)
        """;

    /// <summary>Appends <paramref name="change"/> inside <paramref name="transaction"/>.</summary>
    public static Task AppendAsync(DbConnection connection, DbTransaction transaction, Change change) =>
        AppendAsync(connection, transaction, [change]);

    /// <summary>
    /// Appends changes that the clock made rather than the caller, such as a reservation running out, inside
    /// <paramref name="transaction"/>: they go to the feed, but the request that noticed them is not audited as their author.
    /// </summary>
    public static async Task AppendUnattributedAsync(DbConnection connection, DbTransaction transaction, IEnumerable<Change> changes) =>
        await connection.ExecuteAsync(InsertEvent, changes, transaction);

    /// <summary>Appends several changes inside <paramref name="transaction"/>, in order, and the request's audit events.</summary>
    public static async Task AppendAsync(DbConnection connection, DbTransaction transaction, IEnumerable<Change> changes)
    {
        var list = changes as IReadOnlyCollection<Change> ?? changes.ToList();
        await connection.ExecuteAsync(InsertEvent, list, transaction);
        await AuditScope.RecordChangeAsync(connection, transaction, list);
    }
}

/// <summary>One committed change to one resource.</summary>
/// <param name="ClinicId">The clinic it happened in.</param>
/// <param name="Type">What happened, e.g. <c>session.booked</c>.</param>
/// <param name="ResourceType">The kind of resource: clinic, chair, patient, plan or session.</param>
/// <param name="ResourceId">The resource's id.</param>
/// <param name="PatientId">The patient the resource belongs to, when it belongs to one.</param>
/// <param name="Version">The resource's version after the change.</param>
/// <param name="OccurredAt">When the change was committed.</param>
internal sealed record Change(Guid ClinicId, string Type, string ResourceType, Guid ResourceId, Guid? PatientId, int Version, Instant OccurredAt);
