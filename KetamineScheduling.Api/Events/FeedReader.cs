using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using NodaTime;

namespace KetamineScheduling.Api.Events;

/// <summary>
/// Reads the change feed in commit order, by feed position, so that a reader polling with the last position it
/// saw never skips an event, however late the transaction that wrote it commits.
/// </summary>
/// <remarks>
/// On SQLite the position is the event's id: writers take the write lock before they insert, one at a time, so
/// ids are handed out, and become visible, in commit order. On SQL Server identity values are handed out at
/// insert and can commit out of order, so the position is the row's <c>rowversion</c> (as a bigint), and a read
/// stops below <c>MIN_ACTIVE_ROWVERSION()</c>: everything below it is committed, and nothing can commit there later.
/// </remarks>
internal static class FeedReader
{
    private const string ReadSqlite = """
        SELECT id AS position, id, type, resource_type, resource_id, version, occurred_at
        FROM events
        WHERE clinic_id = @ClinicId AND id > @After
        ORDER BY id
        LIMIT @Take
        """;

    private const string ReadSqlServer = """
        SELECT TOP (@Take) CAST(e.position AS bigint) AS position, e.id, e.type, e.resource_type, e.resource_id, e.version, e.occurred_at
        FROM events e
        WHERE e.clinic_id = @ClinicId AND e.position > CAST(@After AS binary(8)) AND e.position < MIN_ACTIVE_ROWVERSION()
        ORDER BY e.position
        """;

    /// <summary>Up to <paramref name="take"/> of the clinic's committed events after feed position <paramref name="after"/>, in commit order.</summary>
    public static async Task<IReadOnlyList<FeedEvent>> ReadAsync(DbConnection connection, Guid clinicId, long after, int take, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<FeedEvent>(new CommandDefinition(
            connection.Pick(ReadSqlite, ReadSqlServer), new { ClinicId = clinicId, After = after, Take = take }, cancellationToken: cancellationToken))).AsList();

    private const string HeadSqlite = "SELECT COALESCE(MAX(id), 0) FROM events";

    private const string HeadSqlServer = "SELECT CAST(MIN_ACTIVE_ROWVERSION() AS bigint) - 1";

    /// <summary>
    /// A position at or after every event committed so far, and before any still to commit: where a new reader
    /// starts when it wants only what happens from now on.
    /// </summary>
    public static Task<long> HeadAsync(DbConnection connection, DbTransaction? transaction = null) =>
        connection.ExecuteScalarAsync<long>(connection.Pick(HeadSqlite, HeadSqlServer), transaction: transaction);
}

/// <summary>
/// One event as the feed holds it: <see cref="Position"/> is where it stands in commit order (readers continue
/// after it), <see cref="Id"/> the event's own stable id; the rest is as <see cref="EventResponse"/> describes.
/// </summary>
internal sealed record FeedEvent(long Position, long Id, string Type, string ResourceType, Guid ResourceId, int Version, Instant OccurredAt);
