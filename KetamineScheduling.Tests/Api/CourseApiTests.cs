using System.Net;
using System.Text.Json.Nodes;
using NodaTime;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// A plan's course judged by its primary measure, and maintenance planned by response. Each test has a server of its
/// own, since it moves the clock through the induction.
/// </summary>
public sealed class CourseApiTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    [Fact]
    public async Task Induction_completed_with_a_response_says_start_maintenance_then_maintenance_is_added_and_booked()
    {
        using var api = ApiFactory.With();
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync(intakeRequired: true);
        await clinic.AddChairAsync();
        var prescriber = await clinic.AddPrescriberAsync();
        var patient = await clinic.AddPatientAsync();
        var clinician = clinic.WithKey((await clinic.IssueKeyAsync("clinician")).Key);
        var plan = await clinic.PostAsync($"{clinic.Base}/treatment-plans", new
        {
            patientId = patient, startDate = "2027-01-11", preferredStartTime = "10:00",
            induction = new { sessions = 2, intervalDays = 2, maxIntervalDays = 3 },
            indication = new { condition = "major-depressive-disorder" }, prescriberId = prescriber,
        }, HttpStatusCode.Created);
        var planPath = $"{clinic.Base}/treatment-plans/{plan["id"]}";
        var assessments = $"{clinic.Base}/patients/{patient}/assessments";
        await clinician.PostAsync(assessments, new { instrument = "phq9", answers = new[] { 2, 2, 2, 2, 2, 2, 2, 2, 0 }, takenAt = "2027-01-04T08:30", timing = "baseline" }, HttpStatusCode.Created);
        await clinician.PostAsync($"{planPath}/intake", new
        {
            prescriberId = prescriber, historyReviewed = true, medicationsReviewed = true, consentSignedOn = "2027-01-04", contraindications = Array.Empty<string>(), decision = "approved",
        }, HttpStatusCode.OK);
        var booked = await clinic.PostAsync($"{planPath}/book", null, HttpStatusCode.OK);
        var running = await clinician.GetAsync($"{planPath}/course");

        var sessions = booked["sessions"]!.AsArray().Select(s => s!["session"]!).ToList();
        foreach (var session in sessions)
        {
            await HoldAsync(api, clinic, session);
        }

        await clinician.PostAsync(assessments, new { instrument = "phq9", answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 0 }, sessionId = (string)sessions[^1]["id"]!, timing = "post-infusion" }, HttpStatusCode.Created);
        var done = await clinician.GetAsync($"{planPath}/course");
        var planned = await clinician.PostAsync($"{planPath}/maintenance", new { sessions = 2, intervalDays = 28 }, HttpStatusCode.OK);
        var withMaintenance = await clinic.PostAsync($"{planPath}/book", null, HttpStatusCode.OK);

        Assert.Equal(("none", "non-response"), ((string)running["recommendation"]!["action"]!, (string)running["status"]!));
        Assert.Equal(16, (int)done["baseline"]!["total"]!);
        Assert.Equal(8, (int)done["latest"]!["total"]!);
        Assert.Equal(("response", -50.0m, "start-maintenance"), ((string)done["status"]!, (decimal)done["changeFromBaselinePercent"]!, (string)done["recommendation"]!["action"]!));
        Assert.Equal(8, (int)done["points"]![1]!["assessment"]!["total"]!);
        Assert.Equal(["Induction", "Induction", "Maintenance", "Maintenance"], planned["sessions"]!.AsArray().Select(p => (string)p!["phase"]!));
        Assert.Null(planned["sessions"]![2]!["session"]);
        var lastInduction = LocalDate.FromDateTime(DateTime.Parse((string)sessions[^1]["start"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(lastInduction.PlusDays(28).ToString("uuuu-MM-dd", null), (string)planned["sessions"]![2]!["date"]!);
        Assert.All(withMaintenance["sessions"]!.AsArray(), p => Assert.NotNull(p!["session"]));
        Assert.Equal(2, (int)withMaintenance["maintenance"]!["sessions"]!);
        Assert.Equal("none", (string)(await clinician.GetAsync($"{planPath}/course"))["recommendation"]!["action"]!);

        // Back in the moderate band, 6 points above where induction left off: a booster is due, and the EHR hears of it.
        await clinician.PostAsync(assessments, new { instrument = "phq9", answers = new[] { 2, 2, 2, 2, 2, 2, 1, 1, 0 } }, HttpStatusCode.Created);
        var slipping = await clinician.GetAsync($"{planPath}/course");
        Assert.Equal("booster-due", (string)slipping["recommendation"]!["action"]!);
        var events = (await clinic.GetAsync($"{clinic.Base}/events"))["items"]!.AsArray();
        Assert.Contains(events, e => (string)e!["type"]! == "plan.booster-due" && (string)e["resourceId"]! == (string)plan["id"]!);
    }

    [Fact]
    public async Task Maintenance_before_the_last_induction_session_is_held_is_a_409_and_needs_sessions()
    {
        using var api = ApiFactory.With();
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();
        await clinic.AddChairAsync();
        var booked = await clinic.BookPlanAsync(await clinic.AddPatientAsync(), inductionSessions: 2);
        var planPath = $"{clinic.Base}/treatment-plans/{booked["id"]}";

        var early = await clinic.PostAsync($"{planPath}/maintenance", new { sessions = 2, intervalDays = 28 }, HttpStatusCode.Conflict);
        var empty = await clinic.PostAsync($"{planPath}/maintenance", new { intervalDays = 28 }, HttpStatusCode.BadRequest);
        var nothing = await clinic.PostAsync($"{planPath}/book", null, HttpStatusCode.Conflict);
        var course = await clinic.GetAsync($"{planPath}/course");

        Assert.Contains("not completed", (string)early["detail"]!);
        Assert.NotNull(empty["errors"]!["sessions"]);
        Assert.Contains("no newly planned maintenance", (string)nothing["detail"]!);
        Assert.Equal(("no-baseline", "none", "phq9"), ((string)course["status"]!, (string)course["recommendation"]!["action"]!, (string)course["measure"]!));
    }

    [Fact]
    public async Task A_clinic_that_sets_its_own_response_threshold_reads_a_50_percent_fall_as_partial()
    {
        using var api = ApiFactory.With();
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var plan = await clinic.AddPlanAsync(patient, inductionSessions: 2);
        var assessments = $"{clinic.Base}/patients/{patient}/assessments";
        var ehr = clinic.WithKey((await clinic.IssueKeyAsync("integration")).Key);
        await ehr.PostAsync(assessments, new { instrument = "phq9", answers = new[] { 2, 2, 2, 2, 2, 2, 2, 2, 0 } }, HttpStatusCode.Created);
        api.Clock.Reset(Instant.FromUtc(2027, 1, 12, 12, 0));
        await ehr.PostAsync(assessments, new { instrument = "phq9", answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 0 } }, HttpStatusCode.Created);

        var byDefault = await clinic.GetAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/course");
        var refused = await clinic.PatchAsync(clinic.Base, new { courseThresholds = new { responsePercent = 20 } }, HttpStatusCode.BadRequest);
        var changed = await clinic.PatchAsync(clinic.Base, new { courseThresholds = new { responsePercent = 60 } }, HttpStatusCode.OK);
        var stricter = await clinic.GetAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/course");

        Assert.Equal("response", (string)byDefault["status"]!);
        Assert.NotNull(refused["errors"]!["courseThresholds.responsePercent"]);
        Assert.Equal(60, (int)changed["clinic"]!["courseThresholds"]!["responsePercent"]!);
        Assert.Equal("partial-response", (string)stricter["status"]!);
    }

    /// <summary>Moves the clock to the session's start, checks it in and completes it.</summary>
    private static async Task HoldAsync(ApiFactory api, ClinicDriver clinic, JsonNode session)
    {
        var start = NodaTime.Text.OffsetDateTimePattern.ExtendedIso.Parse((string)session["start"]!).Value.ToInstant();
        api.Clock.Reset(start);
        await clinic.PostAsync($"{clinic.Base}/sessions/{session["id"]}/check-in", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/sessions/{session["id"]}/complete", null, HttpStatusCode.OK);
    }
}
