using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Globalization;
using KetamineScheduling.Api.Data;
using Microsoft.Data.Sqlite;
using SQLitePCL;

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
internal sealed partial class ChangeWatch(Database db, IHttpContextAccessor requests, ILogger<ChangeWatch> logger) : IAsyncDisposable
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
    private OwnConnection? own;
    private long? commitsSeen;

    /// <summary>What a request knows once it has caught up.</summary>
    /// <param name="Round">The round it caught up with; the tag of any copy it makes.</param>
    /// <param name="RevokedKeys">How many keys were revoked then: a key copied when the count differed may be revoked.</param>
    internal sealed record Sight(long Round, long RevokedKeys);

    /// <summary>
    /// Completes once a round that started after the request being answered arrived has finished, so every change
    /// committed before it arrived has been seen. A request catches up once: its later calls (the key, then its
    /// answer) get the same sight, which is just as fresh for the request.
    /// </summary>
    public async ValueTask<Sight> CatchUpAsync(CancellationToken cancellationToken)
    {
        var request = requests.HttpContext;
        if (request?.Features.Get<RequestSight>() is { } seen)
        {
            return seen.Sight;
        }

        var sight = await CatchUpNowAsync(cancellationToken);
        request?.Features.Set(new RequestSight(sight));
        return sight;
    }

    /// <summary>What one request has caught up with; this class's own, read by nobody else.</summary>
    private sealed record RequestSight(Sight Sight);

    private async ValueTask<Sight> CatchUpNowAsync(CancellationToken cancellationToken)
    {
        Task<Sight>? later = null;
        lock (gate)
        {
            if (roundRunning)
            {
                // The running round may have read the database before this request arrived: wait for the next.
                next ??= new TaskCompletionSource<Sight>(TaskCreationOptions.RunContinuationsAsynchronously);
                later = next.Task;
            }
            else
            {
                roundRunning = true;
            }
        }

        if (later is not null)
        {
            return await later.WaitAsync(cancellationToken);
        }

        // With no round running, the request runs one itself, on its own thread, and then hands on to the
        // requests that arrived meanwhile.
        try
        {
            return await RoundAsync();
        }
        catch (Exception e) when (LogFailure(e))
        {
            throw;
        }
        finally
        {
            if (TakeWaiting() is { } waiting)
            {
                _ = RunRoundsAsync(waiting);
            }
        }
    }

    /// <summary>Whether <paramref name="patientId"/>'s data may have changed after round <paramref name="round"/>.</summary>
    public bool ChangedSince(Guid patientId, long round) =>
        round < Volatile.Read(ref floor) || (patientChangedInRound.TryGetValue(patientId, out var changed) && changed > round);

    /// <summary>Runs rounds while requests wait for one, then stops until the next request.</summary>
    private async Task RunRoundsAsync(TaskCompletionSource<Sight> first)
    {
        for (var waiting = first; waiting is not null; waiting = TakeWaiting())
        {
            try
            {
                waiting.TrySetResult(await RoundAsync());
            }
            catch (Exception e) when (LogFailure(e))
            {
                // Whatever went wrong must reach the waiting requests, or they would wait for ever.
                waiting.TrySetException(e);
            }
        }
    }

    /// <summary>The requests waiting for the next round, which then counts as running; null, and no round running, if none.</summary>
    private TaskCompletionSource<Sight>? TakeWaiting()
    {
        lock (gate)
        {
            var waiting = next;
            next = null;
            roundRunning = waiting is not null;
            return waiting;
        }
    }

    private bool LogFailure(Exception exception)
    {
        RoundFailed(logger, exception);
        return true;
    }

    private async Task<Sight> RoundAsync()
    {
        var round = (last?.Round ?? 0) + 1;
        var reader = own ??= await OwnConnection.OpenAsync(db);
        try
        {
            // Read before the feed, so a commit landing in between is seen now or by the next round.
            var commits = reader.CountCommits();
            if (last is not null && commits is not null && commits == commitsSeen)
            {
                return last = last with { Round = round };
            }

            commitsSeen = commits;
            if (last is null)
            {
                position = await FeedReader.HeadAsync(reader.Connection);
            }

            var (revokedKeys, changes, upTo) = await reader.ReadSinceAsync(position);
            if (changes.Count >= MaxEventsPerRound || patientChangedInRound.Count > MaxRememberedPatients)
            {
                // Too much to remember one by one: every copy made before this round is stale.
                patientChangedInRound.Clear();
                Volatile.Write(ref floor, round);
                position = await FeedReader.HeadAsync(reader.Connection);
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
        catch
        {
            // The next round starts afresh on a new connection, whose commit count starts over.
            own = null;
            commitsSeen = null;
            await reader.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => own?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>
    /// The rounds' own connection, with their commands prepared once. Rounds come thousands of times a second
    /// under load, and SQLite prepares a statement again for every new command, so the commands are kept, and the
    /// round reads rows itself rather than through Dapper, which makes a new command for every call.
    /// </summary>
    private sealed class OwnConnection(Database db, DbConnection connection, sqlite3_stmt? dataVersion, DbCommand readSince) : IAsyncDisposable
    {
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

        public DbConnection Connection => connection;

        public static async Task<OwnConnection> OpenAsync(Database db)
        {
            var connection = await db.OpenAsync(CancellationToken.None);
            var readSince = connection.CreateCommand();
            readSince.CommandText = connection.Pick(ReadSinceSqlite, ReadSinceSqlServer);
            readSince.AddParameter("@After", DbType.Int64).Value = 0L;
            readSince.AddParameter("@Take", DbType.Int32).Value = MaxEventsPerRound;

            sqlite3_stmt? dataVersion = null;
            if (connection is SqliteConnection { Handle: { } handle })
            {
                // A look at shared memory, not at tables: it moves whenever another connection, in this process
                // or another, commits. SQL Server has nothing like it, so there every round reads the feed. Stepped
                // through SQLite's own API: it runs once a round, and ADO.NET's reader around it cost as much again.
                var rc = raw.sqlite3_prepare_v2(handle, "PRAGMA data_version", out dataVersion);
                SqliteException.ThrowExceptionForRC(rc, handle);
            }

            return new OwnConnection(db, connection, dataVersion, readSince);
        }

        public long? CountCommits()
        {
            if (dataVersion is null)
            {
                return null;
            }

            try
            {
                var rc = raw.sqlite3_step(dataVersion);
                if (rc != raw.SQLITE_ROW)
                {
                    SqliteException.ThrowExceptionForRC(rc, ((SqliteConnection)connection).Handle);
                }

                return raw.sqlite3_column_int64(dataVersion, 0);
            }
            finally
            {
                raw.sqlite3_reset(dataVersion);
            }
        }

        /// <summary>The revoked-key count, the patients of events after <paramref name="after"/>, and the position to read on from.</summary>
        public async Task<(long RevokedKeys, IReadOnlyList<Guid> Patients, long UpTo)> ReadSinceAsync(long after)
        {
            readSince.Parameters["@After"].Value = after;
            await using var rows = await readSince.ExecuteReaderAsync();
            await rows.ReadAsync();
            var revokedKeys = Convert.ToInt64(rows.GetValue(0), CultureInfo.InvariantCulture);

            // On SQLite positions become visible in order, so the last one read is where to go on. On SQL Server a
            // lower position may still commit: go on from below the oldest open transaction, rereading a little.
            long? safe = null;
            if (db.Provider == DatabaseProvider.SqlServer)
            {
                await rows.NextResultAsync();
                await rows.ReadAsync();
                safe = Convert.ToInt64(rows.GetValue(0), CultureInfo.InvariantCulture);
            }

            await rows.NextResultAsync();
            var patients = new List<Guid>();
            var lastRead = after;
            while (await rows.ReadAsync())
            {
                lastRead = Convert.ToInt64(rows.GetValue(0), CultureInfo.InvariantCulture);
                if (!await rows.IsDBNullAsync(1))
                {
                    patients.Add(rows.GetValue(1) is Guid id ? id : Guid.Parse(rows.GetString(1)));
                }
            }

            return (revokedKeys, patients, Math.Max(after, safe ?? lastRead));
        }

        public async ValueTask DisposeAsync()
        {
            dataVersion?.Dispose();

            await readSince.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the changes committed since the last round failed; the requests waiting for it fail with it.")]
    private static partial void RoundFailed(ILogger logger, Exception exception);
}
