using System.Net;
using System.Text.Json.Nodes;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// API keys and patients' first page of upcoming sessions are served from memory, but never stale: a request
/// sees everything committed before it arrived, by this process or another sharing the database.
/// </summary>
public sealed class CachedReadsTests
{
    [Fact]
    public async Task A_key_revoked_through_one_process_is_refused_by_the_other_at_once()
    {
        await TwoProcessesAsync(async (clinic, other) =>
        {
            var (keyId, key) = await clinic.IssueKeyAsync("scheduler");
            var scheduler = new ClinicDriver(other.NewClient(key));
            await scheduler.GetAsync($"{clinic.Base}/chairs/{await clinic.AddChairAsync()}");

            using var revoked = await clinic.Client.DeleteAsync($"{clinic.Base}/api-keys/{keyId}");
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

            using var refused = await other.NewClient(key).GetAsync($"{clinic.Base}/chairs");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        });
    }

    [Fact]
    public async Task Bookings_and_cancellations_through_one_process_show_at_once_in_the_upcoming_list_the_other_served()
    {
        await TwoProcessesAsync(async (clinic, other) =>
        {
            var patient = await clinic.AddPatientAsync();
            var reader = new ClinicDriver(other.NewClient(clinic.Key));
            var upcoming = $"{clinic.Base}/patients/{patient}/sessions/upcoming";
            Assert.Empty(await ItemsAsync(reader, upcoming));

            var session = await clinic.PostAsync($"{clinic.Base}/sessions",
                new { patientId = patient, chairId = await clinic.AddChairAsync(), start = "2030-06-03T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
            var afterBooking = await ItemsAsync(reader, upcoming);

            await clinic.PostAsync($"{clinic.Base}/sessions/{session["id"]}/cancel", new { reason = "Unwell" }, HttpStatusCode.OK);
            var afterCancelling = await ItemsAsync(reader, upcoming);

            Assert.Equal((string)session["id"]!, (string)Assert.Single(afterBooking)!["id"]!);
            Assert.Empty(afterCancelling);
        });
    }

    [Fact]
    public async Task A_session_leaves_the_upcoming_list_the_moment_it_has_ended()
    {
        using var api = ApiFactory.With();
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var chair = await clinic.AddChairAsync();
        // Monday 4 January 2027; the clock starts at 09:00 UTC, London is on UTC. Each ends after 40 + 30 minutes.
        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start = "2027-01-04T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start = "2027-01-06T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        var upcoming = $"{clinic.Base}/patients/{patient}/sessions/upcoming";
        var before = await ItemsAsync(clinic, upcoming);

        api.Clock.AdvanceMinutes(129);
        var stillRunning = await ItemsAsync(clinic, upcoming);
        api.Clock.AdvanceMinutes(1);
        var ended = await ItemsAsync(clinic, upcoming);

        Assert.Equal(2, before.Count);
        Assert.Equal(2, stillRunning.Count);
        Assert.Equal("2027-01-06T10:00:00+00:00", (string)Assert.Single(ended)!["start"]!);
    }

    [Fact]
    public async Task An_upcoming_list_served_again_is_the_same_answer_as_the_first_time()
    {
        using var api = ApiFactory.With();
        var (clinic, patient, upcoming) = await PatientWithBookedPlanAsync(api, inductionSessions: 3);

        using var first = await clinic.Client.GetAsync(upcoming);
        using var again = await clinic.Client.GetAsync(upcoming);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.Content.Headers.ContentType, again.Content.Headers.ContentType);
        Assert.Equal("application/json; charset=utf-8", again.Content.Headers.ContentType?.ToString());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(3, ClinicDriver.ReadJson(await again.Content.ReadAsStringAsync())["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Another_patients_app_gets_404_for_an_upcoming_list_already_served_to_staff()
    {
        using var api = ApiFactory.With();
        var (clinic, patient, upcoming) = await PatientWithBookedPlanAsync(api, inductionSessions: 2);
        await clinic.GetAsync(upcoming);

        var otherApp = new ClinicDriver(await clinic.ClientForAsync("patient-app", await clinic.AddPatientAsync()));
        var ownApp = new ClinicDriver(await clinic.ClientForAsync("patient-app", patient));

        await otherApp.GetAsync(upcoming, HttpStatusCode.NotFound);
        Assert.Equal(2, (await ItemsAsync(ownApp, upcoming)).Count);
    }

    /// <summary>A clinic with one chair and a patient whose plan is booked, and the path of the patient's upcoming sessions.</summary>
    private static async Task<(ClinicDriver Clinic, string Patient, string Upcoming)> PatientWithBookedPlanAsync(ApiFactory api, int inductionSessions)
    {
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        await clinic.AddChairAsync();
        await clinic.BookPlanAsync(patient, inductionSessions);
        return (clinic, patient, $"{clinic.Base}/patients/{patient}/sessions/upcoming");
    }

    private static async Task<JsonArray> ItemsAsync(ClinicDriver driver, string path) => (await driver.GetAsync(path))["items"]!.AsArray();

    /// <summary>Two API processes on one database file: a clinic made through the first, and the second.</summary>
    private static async Task TwoProcessesAsync(Func<ClinicDriver, ApiProcess, Task> test)
    {
        using var database = new TempDatabase("cached-reads");
        var path = database.Path;
        await using var first = await ApiProcess.StartAsync(path);
        await using var second = await ApiProcess.StartAsync(path);
        await test(await new ClinicDriver(first.NewClient()).CreateClinicAsync(), second);
    }
}
