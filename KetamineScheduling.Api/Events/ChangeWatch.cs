using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;

namespace KetamineScheduling.Api.Events;

/// <summary>
/// Lets this process keep copies of stored data in memory (API keys, patients' upcoming sessions) and still
/// answer every request with everything committed before the request arrived, by this instance or any other
/// sharing the database.
/// </summary>
/// <remarks>
/// <para>
/// A request first <see cref="CatchUpAsync">catches up</see>: it waits for a round that started after it
/// arrived. A round reads what was committed since the last one (the change feed's new events, and the count of
/// revoked keys) and marks the patients those events touched as changed in that round. Copies are tagged with
/// the round their request caught up with, and a copy of a patient changed in a later round is stale.
/// </para>
/// <para>
/// Requests arriving during a round share the next one, so under load one read serves many requests, the way
/// group commit serves many writes. On SQLite a round first asks the database whether any connection has
/// committed at all since the last round (<c>PRAGMA data_version</c>, a look at shared memory); only then does
/// it read the feed.
/// </para>
/// </remarks>
internal sealed partial class ChangeWatch(Database db, ILogger<ChangeWatch> logger) : IAsyncDisposable
{
    /// <summary>The most new events one round reads; a bigger backlog marks every copy stale instead.</summary>
    private const int MaxEventsPerRound = 1000;

    /// <summary>How many changed patients are remembered before the memory is cleared and every copy made stale.</summary>
    private const int MaxRememberedPatients = 100_000;

    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<Guid, long> patientChangedInRound = new();
    private TaskCompletionSource<Sight>? next;
    private bool roundRunning;
    private Sight? last;
    private long position;
    private long floor;
    private CommitCounter? commits;
    private long commitsSeen = -1;

    /// <summary>What a request knows once it has caught up.</summary>
    /// <param name="Round">The round it caught up with; the tag of any copy it makes.</param>
    /// <param name="RevokedKeys">How many keys were revoked then: a key copied when the count differed may be revoked.</param>
    internal sealed record Sight(long Round, long RevokedKeys);

    /// <summary>
    /// Completes once a round that started after this call has finished, so every change committed before the
    /// call has been seen.
    /// </summary>
    public Task<Sight> CatchUpAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (roundRunning)
            {
                // The running round may have read the database before this request arrived: wait for the next.
                next ??= new TaskCompletionSource<Sight>(TaskCreationOptions.RunContinuationsAsynchronously);
                return next.Task.WaitAsync(cancellationToken);
            }

            roundRunning = true;
        }

        var first = new TaskCompletionSource<Sight>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = RunRoundsAsync(first);
        return first.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Whether <paramref name="patientId"/>'s data may have changed after round <paramref name="round"/>.</summary>
    public bool ChangedSince(Guid patientId, long round) =>
        round < Volatile.Read(ref floor) || (patientChangedInRound.TryGetValue(patientId, out var changed) && changed > round);

    /// <summary>Runs rounds while requests wait for one, then stops until the next request.</summary>
    private async Task RunRoundsAsync(TaskCompletionSource<Sight> waiting)
    {
        while (true)
        {
            try
            {
                waiting.TrySetResult(await RoundAsync());
            }
#pragma warning disable CA1031 // Whatever went wrong must reach the waiting requests, or they would wait for ever.
            catch (Exception e)
#pragma warning restore CA1031
            {
                RoundFailed(logger, e);
                waiting.TrySetException(e);
            }

            lock (gate)
            {
                if (next is null)
                {
                    roundRunning = false;
                    return;
                }

                (waiting, next) = (next, null);
            }
        }
    }

    private async Task<Sight> RoundAsync()
    {
        var round = (last?.Round ?? 0) + 1;
        if (last is not null && commits is not null)
        {
            // Read before the feed, so a commit landing in between is seen now or by the next round.
            var seen = commits.Read();
            if (seen == commitsSeen)
            {
                return last = last with { Round = round };
            }

            commitsSeen = seen;
        }

        await using var connection = await db.OpenAsync(CancellationToken.None);
        if (last is null)
        {
            if (commits is not null)
            {
                await commits.DisposeAsync();
            }

            commits = await db.CountCommitsAsync(CancellationToken.None);
            commitsSeen = commits?.Read() ?? -1;
            position = await FeedReader.HeadAsync(db, connection);
        }

        var (revokedKeys, changes, upTo) = await ReadSinceAsync(connection, position);
        if (changes.Count >= MaxEventsPerRound || patientChangedInRound.Count > MaxRememberedPatients)
        {
            // Too much to remember one by one: every copy made before this round is stale.
            patientChangedInRound.Clear();
            Volatile.Write(ref floor, round);
            position = await FeedReader.HeadAsync(db, connection);
        }
        else
        {
            foreach (var change in changes)
            {
                patientChangedInRound[change] = round;
            }

            position = upTo;
        }

        return last = new Sight(round, revokedKeys);
    }

    private const string ReadSinceSqlite = """
        SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NOT NULL;
        SELECT id AS position, patient_id FROM events WHERE id > @After ORDER BY id LIMIT @Take;
        """;

    // Rows still locked by an open transaction are skipped, not waited for: they were not committed when the
    // round began, and the next round starts at or below them (MIN_ACTIVE_ROWVERSION), so it reads them then.
    private const string ReadSinceSqlServer = """
        SELECT COUNT(*) FROM dbo.api_keys WHERE revoked_at IS NOT NULL;
        SELECT CAST(MIN_ACTIVE_ROWVERSION() AS bigint) - 1;
        SELECT TOP (@Take) CAST(position AS bigint) AS position, patient_id FROM dbo.events WITH (READPAST)
        WHERE position > CAST(@After AS binary(8)) ORDER BY position;
        """;

    /// <summary>The revoked-key count, the patients of events after <paramref name="after"/>, and the position to read on from.</summary>
    private async Task<(long RevokedKeys, IReadOnlyList<Guid> Patients, long UpTo)> ReadSinceAsync(DbConnection connection, long after)
    {
        await using var results = await connection.QueryMultipleAsync(db.Pick(ReadSinceSqlite, ReadSinceSqlServer), new { After = after, Take = MaxEventsPerRound });
        var revokedKeys = await results.ReadSingleAsync<long>();
        var safe = db.Provider == DatabaseProvider.SqlServer ? await results.ReadSingleAsync<long>() : (long?)null;
        var events = (await results.ReadAsync<Touch>()).AsList();
        var patients = events.Where(e => e.PatientId is not null).Select(e => e.PatientId!.Value).ToList();

        // On SQLite positions become visible in order, so the last one read is where to go on. On SQL Server a
        // lower position may still commit: go on from below the oldest open transaction, rereading a little.
        var upTo = safe ?? (events.Count > 0 ? events[^1].Position : after);
        return (revokedKeys, patients, Math.Max(after, upTo));
    }

    /// <summary>An event as a round reads it: where it stands in the feed, and the patient it concerns, if any.</summary>
    private sealed record Touch(long Position, Guid? PatientId);

    public ValueTask DisposeAsync() => commits?.DisposeAsync() ?? ValueTask.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the changes committed since the last round failed; the requests waiting for it fail with it.")]
    private static partial void RoundFailed(ILogger logger, Exception exception);
}
