using BenchmarkDotNet.Attributes;
using Dapper;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Data;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace KetamineScheduling.Benchmarks;

/// <summary>
/// What the audit writer does a hundred times a second under load: one transaction inserting a gathered batch of
/// reads' events (160, about 10 ms of reads at 16,000 a second), on the writers' kept connection of a real SQLite
/// file. Side by side: Dapper's insert, which makes and names the parameters again for every row, and
/// <see cref="AuditStore.AppendAsync"/>, which makes them once.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(InProcessShortRun))]
public class AuditBenchmarks : IDisposable
{
    private const int BatchSize = 160;

    private readonly string path = Path.Combine(Path.GetTempPath(), $"ketamine-audit-benchmark-{Guid.NewGuid():N}.db");
    private Database database = null!;
    private List<AuditEvent> batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        database = new Database(DatabaseProvider.Sqlite, $"Data Source={path}");
        Migrations.ApplyAsync(database, NullLogger.Instance, CancellationToken.None).GetAwaiter().GetResult();
        var clinic = Guid.NewGuid();
        var key = Guid.NewGuid();
        var at = Instant.FromUtc(2026, 12, 3, 14, 0);
        batch = [.. Enumerable.Range(0, BatchSize).Select(i => new AuditEvent
        {
            ClinicId = clinic,
            ActorKeyId = key,
            ActorRole = "patient",
            Action = "ListUpcomingSessions",
            ResourceType = "session",
            PatientId = Guid.NewGuid(),
            Outcome = AuditTrail.Succeeded,
            StatusCode = 200,
            RequestId = $"0HNBENCH{i:D8}:00000001",
            OccurredAt = at + Duration.FromMilliseconds(i),
        })];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "160 events, Dapper's parameters each row")]
    public Task<int> Dapper() =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(AuditStore.InsertEvent, batch, transaction), CancellationToken.None);

    [Benchmark(Description = "160 events, parameters made once (AuditStore)")]
    public Task<int> ParametersOnce() =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await AuditStore.AppendAsync(connection, transaction, batch);
            return batch.Count;
        }, CancellationToken.None);

    [Benchmark(Description = "empty write transaction")]
    public Task<int> Empty() => database.WriteAsync((connection, transaction) => Task.FromResult(0), CancellationToken.None);
}
