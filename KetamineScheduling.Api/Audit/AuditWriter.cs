using System.Threading.Channels;
using KetamineScheduling.Api.Data;

namespace KetamineScheduling.Api.Audit;

/// <summary>
/// Writes the audit events of reads and refusals: requests hand them over and go on, and one writer inserts
/// whatever has gathered, in one transaction per batch. A change's own event never comes here: it commits in the
/// change's transaction (see <see cref="AuditScope"/>).
/// </summary>
/// <remarks>
/// <para>
/// After each batch the writer pauses about <see cref="GatherPause"/> so that the next batch is large: on SQLite
/// every commit makes every later request's catch-up round read the change feed, and a commit per read cost reads
/// more than the insert itself (docs/benchmarks.md).
/// </para>
/// <para>
/// What a crash can lose: the events of reads and refusals handed over in the last moments (at most a gather pause
/// and a batch's commit) before the process died. A change's event is never lost: it is in the change's commit.
/// On a clean stop the writer drains everything, after the server has answered its last request.
/// </para>
/// <para>
/// The queue is bounded: should the database fall behind, requests wait to hand their events over rather than the
/// process holding them all in memory.
/// </para>
/// </remarks>
internal sealed partial class AuditWriter(Database db, ILogger<AuditWriter> logger) : IHostedLifecycleService, IDisposable
{
    /// <summary>The most events one transaction writes.</summary>
    private const int MaxBatch = 2000;

    /// <summary>How many events may wait before a request waits to hand over its own.</summary>
    private const int Capacity = 50_000;

    /// <summary>How long the writer gathers events after a batch before it writes the next.</summary>
    private static readonly TimeSpan GatherPause = TimeSpan.FromMilliseconds(10);

    /// <summary>How long a reader of the trail waits for this instance's events to be written.</summary>
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly Channel<AuditEvent> queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly CancellationTokenSource abandon = new();
    private Task? writing;
    private long handedOver;
    private long written;

    /// <summary>Completed, and replaced, each time a batch has been written.</summary>
    private TaskCompletionSource batchWritten = NewSignal();

    /// <summary>Hands <paramref name="events"/> over; completes at once unless the queue is full.</summary>
    public ValueTask AppendAsync(IReadOnlyList<AuditEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (var i = 0; i < events.Count; i++)
        {
            if (!queue.Writer.TryWrite(events[i]))
            {
                return AppendSlowlyAsync(events, i);
            }

            Interlocked.Increment(ref handedOver);
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask AppendSlowlyAsync(IReadOnlyList<AuditEvent> events, int from)
    {
        for (var i = from; i < events.Count; i++)
        {
            await queue.Writer.WriteAsync(events[i]);
            Interlocked.Increment(ref handedOver);
        }
    }

    /// <summary>
    /// Waits until the events this instance had been handed when called are in the audit table, or a few seconds
    /// have passed: what a reader of the trail does first, so that it sees its own instance's latest requests.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref handedOver);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FlushTimeout);
        while (Interlocked.Read(ref written) < target)
        {
            var signal = Volatile.Read(ref batchWritten);
            if (Interlocked.Read(ref written) >= target)
            {
                return;
            }

            try
            {
                await signal.Task.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The writer is failing: the trail is read as far as it is.
                return;
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        writing = WriteAsync();
        return Task.CompletedTask;
    }

    /// <summary>Nothing yet: the server is still answering its last requests, whose events must be written too.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Once every other service, the server included, has stopped: writes what is left, then ends.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await using (cancellationToken.Register(abandon.Cancel))
        {
            await (writing ?? Task.CompletedTask);
        }
    }

    public void Dispose() => abandon.Dispose();

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task WriteAsync()
    {
        var batch = new List<AuditEvent>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            // Gathers a batch: one commit for every request of the last moments, not one each.
            await Task.Delay(GatherPause, CancellationToken.None);
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await WriteBatchAsync(batch);
            batch.Clear();
        }
    }

    /// <summary>Writes one batch, trying again while the database refuses, until the host gives up waiting at shutdown.</summary>
    private async Task WriteBatchAsync(List<AuditEvent> batch)
    {
        while (true)
        {
            try
            {
                await db.WriteAsync(async (connection, transaction) =>
                {
                    await AuditStore.AppendAsync(connection, transaction, batch);
                    return batch.Count;
                }, CancellationToken.None);
                Interlocked.Add(ref written, batch.Count);
                Interlocked.Exchange(ref batchWritten, NewSignal()).TrySetResult();
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                if (abandon.IsCancellationRequested)
                {
                    EventsLost(logger, e, batch.Count);
                    return;
                }

                WriteFailed(logger, e, batch.Count);
                try
                {
                    await Task.Delay(RetryAfterFailure, abandon.Token);
                }
                catch (OperationCanceledException)
                {
                    // Shutting down: one last try.
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} audit events failed; trying again.")]
    private static partial void WriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Count} audit events of reads and refusals could not be written before the process stopped.")]
    private static partial void EventsLost(ILogger logger, Exception exception, int count);
}
