using System.Diagnostics;
using System.Threading.Channels;
using KetamineScheduling.Api.Data;
using Microsoft.Data.Sqlite;

namespace KetamineScheduling.Api.Audit;

/// <summary>
/// Makes audit events durable before their requests are answered, as cheaply as the engine allows.
/// </summary>
/// <remarks>
/// <para>
/// On a SQLite file an event is written to this process's <see cref="AuditJournal"/>, beside the database and as
/// durable as a commit to it, and the answer goes out at once. A mover takes the journal's events into the audit
/// table in large transactions, moments later. Any instance that starts, and every running instance once a
/// minute, moves the events of journals whose process died.
/// </para>
/// <para>
/// On SQL Server (whose instances need not share a disk), and for the rare event the journal cannot take, events
/// are written by group commit: requests hand them over and wait until they are committed, and one writer commits
/// whatever has gathered in one transaction.
/// </para>
/// </remarks>
internal sealed partial class AuditWriter(Database db, ILogger<AuditWriter> logger) : BackgroundService
{
    /// <summary>The most events one transaction writes.</summary>
    private const int MaxBatch = 2000;

    /// <summary>How long a reader of the trail waits for this instance's journal to be moved.</summary>
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RecoverEvery = TimeSpan.FromMinutes(1);

    /// <summary>How long the mover gathers events after a move before the next.</summary>
    private static readonly TimeSpan MovePause = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    private AuditAppender? appender;
    private AuditAppender? mover;
    private AuditJournal? journal;

    /// <summary>Set while the mover sleeps; whoever completes it wakes the mover.</summary>
    private TaskCompletionSource? wake;

    /// <summary>Completed, and replaced, each time the mover has moved events.</summary>
    private TaskCompletionSource moved = NewSignal();

    /// <summary>Appends <paramref name="events"/>; completes once they are durable.</summary>
    public Task AppendAsync(IReadOnlyList<AuditEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (journal is { } own)
        {
            List<AuditEvent>? rest = null;
            for (var i = 0; i < events.Count; i++)
            {
                if (!own.TryAppend(events[i]))
                {
                    (rest ??= []).Add(events[i]);
                }
            }

            WakeMover();
            if (rest is null)
            {
                return Task.CompletedTask;
            }

            events = rest;
        }

        var pending = new Pending(events, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
        {
            // After shutdown began nobody drains the queue, so write this one directly.
            return AppendDirectlyAsync(events);
        }

        return pending.Committed.Task;
    }

    /// <summary>
    /// Waits until the events this instance had journaled when called are in the audit table, or a few seconds
    /// have passed: what a reader of the trail does first, so that it sees its own instance's latest requests.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (journal is not { } own)
        {
            return;
        }

        var target = own.Head;
        var started = Stopwatch.GetTimestamp();
        while (own.Moved < target)
        {
            var signal = Volatile.Read(ref moved);
            var left = FlushTimeout - Stopwatch.GetElapsedTime(started);
            if (own.Moved >= target || left <= TimeSpan.Zero)
            {
                // Moved; or the mover is failing, and the trail is read as far as it is.
                return;
            }

            WakeMover();
            await DelayAsync(left, cancellationToken, signal.Task);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (JournalDirectory(db) is { } directory)
        {
            try
            {
                journal = AuditJournal.Create(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                JournalUnavailable(logger, e, directory);
            }
        }

        if (journal is not null)
        {
            await RecoverAsync(cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(DrainQueueAsync(stoppingToken), journal is null ? Task.CompletedTask : MoveJournalAsync(stoppingToken));
        }
        finally
        {
            await ClosedAsync(appender);
            await ClosedAsync(mover);
        }
    }

    /// <summary>The journals' directory for a SQLite file: none for an in-memory database, nor on SQL Server.</summary>
    private static string? JournalDirectory(Database db)
    {
        if (db.Provider != DatabaseProvider.Sqlite)
        {
            return null;
        }

        var source = new SqliteConnectionStringBuilder(db.ConnectionString);
        return source.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(source.DataSource) || source.DataSource == ":memory:"
            ? null
            : source.DataSource + "-audit";
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void WakeMover()
    {
        if (Volatile.Read(ref wake) is { } sleeping && Interlocked.CompareExchange(ref wake, null, sleeping) == sleeping)
        {
            sleeping.TrySetResult();
        }
    }

    private async Task DrainQueueAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // Requests already running get their turn first, so that their events join this commit: under
                // the README's read load, batches grew from 8 to 10 events and reads were about 4% faster.
                await Task.Yield();
                await CommitAvailableAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Requests still waiting get their events written before the process ends.
            queue.Writer.TryComplete();
            await CommitAvailableAsync();
        }
    }

    private async Task AppendDirectlyAsync(IReadOnlyList<AuditEvent> events)
    {
        await using var own = await AuditAppender.OpenAsync(db, CancellationToken.None);
        await own.AppendAsync(events, null, CancellationToken.None);
    }

    private async Task CommitAvailableAsync()
    {
        var batch = new List<Pending>();
        var count = 0;
        while (count < MaxBatch && queue.Reader.TryRead(out var pending))
        {
            batch.Add(pending);
            count += pending.Events.Count;
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            appender ??= await AuditAppender.OpenAsync(db, CancellationToken.None);
            await appender.AppendAsync([.. batch.SelectMany(p => p.Events)], null, CancellationToken.None);
            batch.ForEach(p => p.Committed.TrySetResult());
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            WriteFailed(logger, e, count);
            batch.ForEach(p => p.Committed.TrySetException(e));
            appender = await ClosedAsync(appender);
        }
    }

    /// <summary>Moves the journal's events into the table while there are any, and sleeps while there are none.</summary>
    private async Task MoveJournalAsync(CancellationToken stoppingToken)
    {
        var own = journal!;
        var recovered = Stopwatch.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Checked first, so that a journal left behind is moved even while this one never runs dry.
                if (Stopwatch.GetElapsedTime(recovered) >= RecoverEvery)
                {
                    recovered = Stopwatch.GetTimestamp();
                    await RecoverAsync(stoppingToken);
                }

                if (await MoveNextAsync(own) > 0)
                {
                    // Nobody waits for the move, so under load it waits for more events: every commit on SQLite
                    // costs each later read a look at the change feed (ChangeWatch), and commits of a handful of
                    // events cost the reads as much as holding each answer for its commit had.
                    await DelayAsync(MovePause, stoppingToken);
                    continue;
                }
            }
            catch (Exception e) when (IsWriteFailure(e))
            {
                // The events stay in the journal; moving them is tried again.
                MoveFailed(logger, e, own.Id);
                mover = await ClosedAsync(mover);
                await DelayAsync(RetryAfterFailure, stoppingToken);
                continue;
            }

            var sleeping = NewSignal();
            Volatile.Write(ref wake, sleeping);
            if (own.Head > own.Moved)
            {
                // An event arrived, or is still being copied in, since the last look.
                Interlocked.CompareExchange(ref wake, null, sleeping);
                await Task.Yield();
                continue;
            }

            await DelayAsync(RecoverEvery, stoppingToken, sleeping.Task);
        }

        await CloseJournalAsync(own);
    }

    /// <summary>At shutdown, after the server has answered its last request: moves the rest and removes the journal.</summary>
    private async Task CloseJournalAsync(AuditJournal own)
    {
        var last = own.Close();
        try
        {
            for (var idle = 0; own.Moved < last && idle < 1000; idle++)
            {
                if (await MoveNextAsync(own) == 0)
                {
                    // A request is still copying its event in.
                    await Task.Delay(1);
                }
            }
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            MoveFailed(logger, e, own.Id);
        }

        own.Dispose();
        if (own.Moved >= last)
        {
            File.Delete(own.Path);
            await AuditStore.ForgetJournalAsync(db, own.Id, CancellationToken.None);
        }

        // Otherwise the file stays, and the next instance to start moves what is left.
    }

    private async Task<int> MoveNextAsync(AuditJournal own)
    {
        var (events, last) = own.ReadNext(MaxBatch);
        if (events.Count == 0)
        {
            return 0;
        }

        mover ??= await AuditAppender.OpenAsync(db, CancellationToken.None);
        await mover.AppendAsync(events, new AuditStore.JournalMark(own.Id, last), CancellationToken.None);
        own.MarkMoved(last);
        Interlocked.Exchange(ref moved, NewSignal()).TrySetResult();
        return events.Count;
    }

    /// <summary>Moves the events of every journal whose process is gone, then removes the journal.</summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var own = journal!;
        foreach (var path in Directory.EnumerateFiles(Path.GetDirectoryName(own.Path)!, "*" + AuditJournal.Extension))
        {
            if (path == own.Path || AuditJournal.TryOpenOrphan(path) is not { } orphan)
            {
                continue;
            }

            try
            {
                using (orphan)
                {
                    var events = orphan.ReadAllAfter(await AuditStore.JournalPositionAsync(db, orphan.Id, cancellationToken));
                    await using var recovery = await AuditAppender.OpenAsync(db, cancellationToken);
                    foreach (var chunk in events.Chunk(MaxBatch))
                    {
                        await recovery.AppendAsync([.. chunk.Select(c => c.Event)], new AuditStore.JournalMark(orphan.Id, chunk[^1].Number), cancellationToken);
                    }

                    Recovered(logger, events.Count, orphan.Id);
                }

                // In this order: a crash in between leaves a file with nothing left to move, or a row naming no file.
                File.Delete(path);
                await AuditStore.ForgetJournalAsync(db, orphan.Id, cancellationToken);
            }
            catch (Exception e) when (IsWriteFailure(e))
            {
                // The file stays, and the next recovery, within the minute, moves what is left.
                MoveFailed(logger, e, orphan.Id);
            }
        }
    }

    /// <summary>Closes a connection that failed: the next batch starts on a new one, in case it is what failed.</summary>
    private static async Task<AuditAppender?> ClosedAsync(AuditAppender? failed)
    {
        if (failed is not null)
        {
            await failed.DisposeAsync();
        }

        return null;
    }

    private static bool IsWriteFailure(Exception e) =>
        e is System.Data.Common.DbException or InvalidOperationException or TimeoutException or IOException;

    /// <summary>Waits <paramref name="delay"/>, or until <paramref name="until"/> completes or the token is cancelled.</summary>
    private static async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken, Task? until = null)
    {
        try
        {
            await (until is null ? Task.Delay(delay, stoppingToken) : until.WaitAsync(delay, stoppingToken));
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Time to look again, or to stop.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} audit events failed; their requests fail with it.")]
    private static partial void WriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Moving audit journal {Journal} into the database failed; its events stay in the journal and moving them is tried again.")]
    private static partial void MoveFailed(ILogger logger, Exception exception, string journal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No audit journal could be created in {Directory}; audit events are committed before each answer instead.")]
    private static partial void JournalUnavailable(ILogger logger, Exception exception, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Count} audit events from journal {Journal}, left by a process that stopped without moving them.")]
    private static partial void Recovered(ILogger logger, int count, string journal);

    private sealed record Pending(IReadOnlyList<AuditEvent> Events, TaskCompletionSource Committed);
}
