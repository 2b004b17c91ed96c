using System.Net;
using System.Text.Json.Nodes;

namespace KetamineScheduling.Tests.Api;

/// <summary>Plans behave as a whole: a shift moves the whole course, the plan shows the dates used, and one course at a time.</summary>
[Collection(ApiCollection.Name)]
public sealed class PlanCorrectionsTests(ApiFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    /// <summary>
    /// Six induction sessions every two days from Monday 11 January 2027 at 10:00, then two maintenance sessions
    /// 28 days apart, booked: 11, 13, 15, 18 (the 17th is a Sunday), 20 and 22 January, 19 February and 19 March.
    /// </summary>
    private static async Task<(JsonObject Plan, string[] Sessions)> SixAndTwoAsync(ClinicDriver clinic, string patient, string preferredStartTime = "10:00", string startDate = "2027-01-11")
    {
        var plan = await clinic.PostAsync($"{clinic.Base}/treatment-plans", new
        {
            patientId = patient,
            startDate,
            preferredStartTime,
            induction = new { sessions = 6, intervalDays = 2, maxIntervalDays = 3 },
            maintenance = new { sessions = 2, intervalDays = 28 },
        }, HttpStatusCode.Created);
        var booked = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/book", null, HttpStatusCode.OK);
        return (booked, [.. booked["sessions"]!.AsArray().Select(s => (string)s!["session"]!["id"]!)]);
    }

    [Fact]
    public async Task Shifting_the_following_sessions_moves_maintenance_sessions_seven_and_eight_too()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.AddChairAsync();
        var (plan, sessions) = await SixAndTwoAsync(clinic, await clinic.AddPatientAsync());

        var moved = await clinic.PostAsync($"{clinic.Base}/sessions/{sessions[4]}/reschedule", new { start = "2027-01-21T10:00", shiftFollowing = true }, HttpStatusCode.OK);

        Assert.Equal([6, 7, 8], moved["shifted"]!.AsArray().Select(s => (int)s!["sequence"]!));
        Assert.Equal(["2027-01-23T10:00:00+00:00", "2027-02-20T10:00:00+00:00", "2027-03-20T10:00:00+00:00"], moved["shifted"]!.AsArray().Select(s => (string)s!["start"]!));
        var after = await clinic.GetAsync($"{clinic.Base}/treatment-plans/{plan["id"]}");
        Assert.Equal(["2027-03-20T10:00:00+00:00"], [(string)after["sessions"]![7]!["session"]!["start"]!]);
    }

    [Fact]
    public async Task After_a_reschedule_the_plan_shows_the_dates_actually_used()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.AddChairAsync();
        var (plan, sessions) = await SixAndTwoAsync(clinic, await clinic.AddPatientAsync());

        await clinic.PostAsync($"{clinic.Base}/sessions/{sessions[6]}/reschedule", new { start = "2027-02-23T11:00", shiftFollowing = true }, HttpStatusCode.OK);

        var after = await clinic.GetAsync($"{clinic.Base}/treatment-plans/{plan["id"]}");
        var planned = after["sessions"]!.AsArray();
        Assert.Equal(["2027-01-22", "2027-02-23", "2027-03-23"], planned.Skip(5).Select(p => (string)p!["date"]!));
        Assert.Equal(["2027-02-23", "2027-03-23"], planned.Skip(6).Select(p => (string)p!["windowStart"]!));
        Assert.Equal("2027-02-23T11:00:00+00:00", (string)planned[6]!["session"]!["start"]!);
        Assert.True((int)after["version"]! > (int)plan["version"]!);
        var feed = (await clinic.GetAsync($"{clinic.Base}/events?limit=200"))["items"]!.AsArray();
        Assert.Contains(feed, e => (string)e!["type"]! == "plan.updated" && (string)e["resourceId"]! == (string)plan["id"]!);
    }

    [Fact]
    public async Task A_move_within_the_day_shifts_nothing_else_and_leaves_the_other_sessions_versions()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.AddChairAsync();
        var (plan, sessions) = await SixAndTwoAsync(clinic, await clinic.AddPatientAsync());

        var moved = await clinic.PostAsync($"{clinic.Base}/sessions/{sessions[1]}/reschedule", new { start = "2027-01-13T14:00", shiftFollowing = true }, HttpStatusCode.OK);

        Assert.Empty(moved["shifted"]!.AsArray());
        var after = await clinic.GetAsync($"{clinic.Base}/treatment-plans/{plan["id"]}");
        Assert.All(after["sessions"]!.AsArray().Where(p => (int)p!["sequence"]! != 2), p => Assert.Equal(1, (int)p!["session"]!["version"]!));
        Assert.Equal("2027-01-13", (string)after["sessions"]![1]!["date"]!);
        Assert.Equal((int)plan["version"]!, (int)after["version"]!);
    }

    [Fact]
    public async Task A_second_plan_over_the_same_dates_cannot_be_booked_while_the_first_is_active()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        var (first, _) = await SixAndTwoAsync(clinic, patient);
        var second = await clinic.PostAsync($"{clinic.Base}/treatment-plans", new { patientId = patient, startDate = "2027-02-01", preferredStartTime = "14:00" }, HttpStatusCode.Created);

        var refused = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{second["id"]}/book", null, HttpStatusCode.Conflict);

        Assert.Equal(("one-active-plan", (string)first["id"]!), ((string)refused["rule"]!, (string)refused["planId"]!));
        Assert.Equal("Draft", (string)(await clinic.GetAsync($"{clinic.Base}/treatment-plans/{second["id"]}"))["status"]!);
    }

    [Fact]
    public async Task A_plan_on_hold_lets_another_be_booked_and_cannot_resume_over_it()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        var (first, _) = await SixAndTwoAsync(clinic, patient);
        var second = await clinic.PostAsync($"{clinic.Base}/treatment-plans", new { patientId = patient, startDate = "2027-02-01", preferredStartTime = "14:00" }, HttpStatusCode.Created);

        await clinic.PostAsync($"{clinic.Base}/treatment-plans/{first["id"]}/hold", null, HttpStatusCode.OK);
        var booked = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{second["id"]}/book", null, HttpStatusCode.OK);
        var resumed = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{first["id"]}/resume", null, HttpStatusCode.Conflict);

        Assert.Equal("Active", (string)booked["status"]!);
        Assert.Equal((string)second["id"]!, (string)resumed["planId"]!);
    }

    [Fact]
    public async Task Plans_of_one_patient_that_do_not_overlap_may_both_be_active()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        var first = await clinic.BookPlanAsync(patient, 3);

        var later = await clinic.PostAsync($"{clinic.Base}/treatment-plans", new
        {
            patientId = patient, startDate = "2027-03-01", preferredStartTime = "10:00",
            induction = new { sessions = 3, intervalDays = 2, maxIntervalDays = 3 }, maintenance = new { sessions = 0 },
        }, HttpStatusCode.Created);
        var booked = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{later["id"]}/book", null, HttpStatusCode.OK);

        Assert.Equal(("Active", "Active"), ((string)first["status"]!, (string)booked["status"]!));
    }
}
