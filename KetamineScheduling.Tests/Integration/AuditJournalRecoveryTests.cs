using System.Net;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Tests.Api;
using Microsoft.Data.Sqlite;

namespace KetamineScheduling.Tests.Integration;

/// <summary>An answered read's audit event survives the API process, even when the database could not take it.</summary>
public sealed class AuditJournalRecoveryTests
{
    [Fact]
    public async Task A_read_answered_while_the_database_took_no_writes_is_in_the_trail_after_the_API_is_killed_and_another_starts()
    {
        using var database = new TempDatabase("journal-recovery");
        var path = database.Path;
        await using var killed = await ApiProcess.StartAsync(path);
        using var http = killed.NewClient();
        var (clinic, _, patient) = await Requests.ClinicWithChairAndPatientAsync(http);

        // Another connection holds SQLite's write lock: no audit event can reach the table.
        await using (await WriteLock.TakeAsync(path))
        {
            using var read = await clinic.Client.GetAsync($"{clinic.Base}/patients/{patient}").WaitAsync(TimeSpan.FromSeconds(4));
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);

            // Killed the hard way while the lock is still held, so the process never moved the event.
            await killed.KillAsync();
        }

        await using var next = await ApiProcess.StartAsync(path);
        var trail = await clinic.On(next).GetAsync($"{clinic.Base}/audit-events?patientId={patient}");

        Assert.Contains(trail["items"]!.AsArray(), e => (string)e!["action"]! == "GetPatient" && (string)e["outcome"]! == AuditTrail.Succeeded);
        Assert.Single(Directory.GetFiles(path + "-audit", "*" + AuditJournal.Extension));
    }

    [Fact]
    public async Task An_API_that_stops_cleanly_moves_its_whole_journal_and_removes_it()
    {
        using var database = new TempDatabase("journal-stop");
        var path = database.Path;
        await using var api = await ApiProcess.StartAsync(path);
        using var http = api.NewClient();
        var clinic = await new ClinicDriver(http).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => clinic.GetAsync($"{clinic.Base}/patients/{patient}")));
        Assert.Single(Directory.GetFiles(path + "-audit", "*" + AuditJournal.Extension));

        await api.StopAsync();

        Assert.Empty(Directory.GetFiles(path + "-audit", "*" + AuditJournal.Extension));
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        Assert.Equal(50L, await new SqliteCommand($"SELECT COUNT(*) FROM audit_events WHERE action = 'GetPatient' AND patient_id = '{patient}'", connection).ExecuteScalarAsync());
        Assert.Equal(0L, await new SqliteCommand("SELECT COUNT(*) FROM audit_journals", connection).ExecuteScalarAsync());
    }
}
