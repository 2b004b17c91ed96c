using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Patients;
using KetamineScheduling.Api.Reports;
using KetamineScheduling.Domain.Sessions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Benchmarks;

/// <summary>
/// A 31-day utilisation report of one clinic, read from a SQLite file holding 100,000 sessions (that clinic alone)
/// and from one holding 1,000,000 (ten clinics like it, three years each): the two should cost the same, since the
/// report reads its clinic's dates through the (clinic, local start) index and nothing else.
/// </summary>
/// <remarks>
/// The files are seeded once, in the temporary folder, straight into the tables in one transaction (not through
/// HTTP), and kept for later runs; delete them to seed again.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(InProcessShortRun))]
public class ReportBenchmarks : IDisposable
{
    private static readonly DateInterval Month = new(new LocalDate(2028, 3, 1), new LocalDate(2028, 3, 31));

    private Database database = null!;

    [Params(100_000, 1_000_000)]
    public int Sessions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ketamine-report-benchmark-{Sessions}.db");
        database = new Database(DatabaseProvider.Sqlite, $"Data Source={path}");
        if (!File.Exists(path))
        {
            SessionSeed.SeedAsync(database, clinics: Sessions / SessionSeed.PerClinic).GetAwaiter().GetResult();
        }

        if (Report().Total.Sessions == 0)
        {
            throw new InvalidOperationException("The benchmark month holds no sessions.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        database.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "31-day utilisation report")]
    public UtilizationReportResponse UtilizationReport() => Report();

    private UtilizationReportResponse Report()
    {
        var (clinic, report) = ReportsApi.UtilizationAsync(database, SessionSeed.ClinicId(0), Month, CancellationToken.None).GetAwaiter().GetResult();
        return UtilizationReportResponse.Of(clinic!.Id, clinic.Zone, report!);
    }
}

/// <summary>
/// Three warm-up and ten measured iterations in this process: on a shared machine BenchmarkDotNet's build of a
/// separate project, which includes the API, can take longer than its two-minute limit.
/// </summary>
internal sealed class InProcessShortRun : ManualConfig
{
    public InProcessShortRun() =>
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10));
}

/// <summary>
/// Clinics of 14 chairs open Monday to Saturday 08:00 to 20:00 in London, each with 100,000 sessions from
/// 1 January 2027: every chair holds eight back-to-back sessions a day (40 minutes' infusion, 30 of observation,
/// 15 of cleaning) until the clinic has its 100,000, a little under three years. Most were completed; about one in
/// twenty was a no-show and one in fourteen was cancelled.
/// </summary>
internal static class SessionSeed
{
    public const int PerClinic = 100_000;

    private const int Chairs = 14;

    private const string InsertSession = """
        INSERT INTO sessions (id, clinic_id, plan_id, patient_id, chair_id, sequence, phase, status, local_start, time_zone,
            start_utc, end_utc, occupied_until_utc, infusion_minutes, observation_minutes, turnover_minutes, cancel_reason, version, created_at, updated_at)
        VALUES ($id, $clinic, NULL, $patient, $chair, NULL, NULL, $status, $local, 'Europe/London', $start, $end, $free, 40, 30, 15, NULL, 1, $now, $now)
        """;

    private static readonly string[] Parameters = ["$id", "$clinic", "$patient", "$chair", "$status", "$local", "$start", "$end", "$free", "$now"];

    private static readonly LocalDateTimePattern LocalText = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss");

    /// <summary>The seeded clinic number <paramref name="n"/>'s id: the same in every seeded file.</summary>
    public static Guid ClinicId(int n) => new($"0000000{n:x1}-0000-4000-8000-000000000000");

    public static async Task SeedAsync(Database database, int clinics)
    {
        var clock = Stopwatch.StartNew();
        await Migrations.ApplyAsync(database, NullLogger.Instance, CancellationToken.None);
        var now = Instant.FromUtc(2026, 12, 1, 0, 0);
        var zone = DateTimeZoneProviders.Tzdb["Europe/London"];
        var hours = Enumerable.Range(1, 6).Select(d => new OpeningHoursEntry((IsoDayOfWeek)d, new LocalTime(8, 0), new LocalTime(20, 0))).ToList();
        await using var connection = (SqliteConnection)await database.OpenAsync(CancellationToken.None);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        using var insert = new SqliteCommand(InsertSession, connection, transaction);
        var parameters = Parameters.ToDictionary(name => name, name => insert.Parameters.Add(name, SqliteType.Text));
        parameters["$now"].Value = DapperTypeHandlers.SqliteText(now);
        insert.Prepare();

        var random = new Random(13);
        for (var n = 0; n < clinics; n++)
        {
            var clinic = new Clinic(ClinicId(n), $"Benchmark clinic {n + 1}", zone, hours, [], 15, 15, 30, null, false, 1);
            await ClinicStore.InsertAsync(connection, transaction, clinic, now);
            var chairs = new List<Guid>();
            for (var c = 0; c < Chairs; c++)
            {
                var chair = new ChairResponse(Guid.NewGuid(), $"Chair {c + 1}");
                await ChairStore.InsertAsync(connection, transaction, clinic.Id, chair, now);
                chairs.Add(chair.Id);
            }

            var patients = new List<string>();
            for (var p = 0; p < 2_000; p++)
            {
                var patient = new PatientResponse(Guid.NewGuid(), $"BENCH-{n}-{p}", $"Patient {p}");
                await PatientStore.InsertAsync(connection, transaction, clinic.Id, patient, now);
                patients.Add(DapperTypeHandlers.SqliteText(patient.Id));
            }

            parameters["$clinic"].Value = DapperTypeHandlers.SqliteText(clinic.Id);
            var seeded = 0;
            for (var date = new LocalDate(2027, 1, 1); seeded < PerClinic; date = date.PlusDays(1))
            {
                if (!clinic.Calendar.IsOpenOn(date))
                {
                    continue;
                }

                for (var chair = 0; chair < Chairs && seeded < PerClinic; chair++)
                {
                    parameters["$chair"].Value = DapperTypeHandlers.SqliteText(chairs[chair]);
                    for (var slot = 0; slot < 8 && seeded < PerClinic; slot++, seeded++)
                    {
                        var local = date.At(new LocalTime(8, 0)).PlusMinutes(85 * slot);
                        var start = clinic.Calendar.AtClinicTime(local).ToInstant();
                        var roll = random.Next(100);
                        parameters["$id"].Value = DapperTypeHandlers.SqliteText(Guid.CreateVersion7());
                        parameters["$patient"].Value = patients[random.Next(patients.Count)];
                        parameters["$status"].Value = (roll < 5 ? SessionStatus.NoShow : roll < 12 ? SessionStatus.Cancelled : date.Year > 2029 ? SessionStatus.Booked : SessionStatus.Completed).ToString();
                        parameters["$local"].Value = LocalText.Format(local);
                        parameters["$start"].Value = DapperTypeHandlers.SqliteText(start);
                        parameters["$end"].Value = DapperTypeHandlers.SqliteText(start + Duration.FromMinutes(70));
                        parameters["$free"].Value = DapperTypeHandlers.SqliteText(start + Duration.FromMinutes(85));
                        await insert.ExecuteNonQueryAsync();
                    }
                }
            }
        }

        await transaction.CommitAsync();
        await Console.Out.WriteLineAsync($"Seeded {clinics * PerClinic:N0} sessions in {clinics} clinics in {clock.Elapsed.TotalSeconds:F0} s.");
    }
}
