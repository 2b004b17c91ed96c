using System.Net;
using System.Net.Http.Json;
using Dapper;
using KetamineScheduling.Tests.Api;
using Microsoft.Data.Sqlite;

namespace KetamineScheduling.Tests.Integration;

/// <summary>A change and its audit event commit together: a process killed mid-flight leaves no change without its event.</summary>
public sealed class AuditAtomicityTests
{
    private const int Clients = 8;

    [Fact]
    public async Task Every_session_committed_before_the_process_was_killed_has_its_booking_in_the_audit_trail()
    {
        using var database = new TempDatabase("audit-atomic");
        await using var api = await ApiProcess.StartAsync(database.Path);
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();
        var seats = new List<(string Chair, string Patient)>();
        for (var i = 0; i < Clients; i++)
        {
            seats.Add((await clinic.AddChairAsync($"Chair {i}"), await clinic.AddPatientAsync()));
        }

        // Each client books its own chair and patient, slot after slot, until the process is killed under it.
        using var stop = new CancellationTokenSource();
        var booking = seats.Select(seat => BookUntilStoppedAsync(clinic, seat.Chair, seat.Patient, stop.Token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await api.KillAsync();
        await stop.CancelAsync();
        var booked = (await Task.WhenAll(booking)).Sum();

        await using var connection = new SqliteConnection($"Data Source={database.Path}");
        var sessions = (await connection.QueryAsync<string>("SELECT id FROM sessions")).ToList();
        var unaudited = (await connection.QueryAsync<string>("""
            SELECT s.id FROM sessions s
            WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.action = 'BookSession' AND a.outcome = 'succeeded' AND a.resource_id = s.id)
            """)).ToList();
        Assert.True(booked > 0 && sessions.Count >= booked, $"{booked} bookings answered, {sessions.Count} sessions stored");
        Assert.Empty(unaudited);
    }

    /// <summary>Books slot after slot from February 2027; how many bookings were answered 201.</summary>
    private static async Task<int> BookUntilStoppedAsync(ClinicDriver clinic, string chair, string patient, CancellationToken stop)
    {
        var created = 0;
        var starts = new[] { "08:00", "09:30", "11:00", "12:30", "14:00", "15:30" };
        for (var day = new DateOnly(2027, 2, 1); !stop.IsCancellationRequested; day = day.AddDays(1))
        {
            if (day.DayOfWeek == DayOfWeek.Sunday)
            {
                continue;
            }

            foreach (var time in starts)
            {
                try
                {
                    using var response = await clinic.Client.PostAsJsonAsync(
                        $"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start = $"{day:yyyy-MM-dd}T{time}", infusionMinutes = 40 }, stop);
                    created += response.StatusCode == HttpStatusCode.Created ? 1 : 0;
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    // The process is gone.
                    return created;
                }
            }
        }

        return created;
    }
}
