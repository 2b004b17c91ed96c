using System.Net;
using NodaTime;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// Check-in, no-show and completion keep to the clock: each rule one minute before it allows the change, and at
/// the moment it does. Each test has a server of its own, since it moves the clock.
/// </summary>
public sealed class StatusTimingApiTests
{
    /// <summary>A clinic in New York (UTC-5 in January) with one session at 10:00 local on Monday 4 January 2027, 15:00 UTC.</summary>
    private static async Task<(ClinicDriver Clinic, string Session)> SessionAtTenAsync(ApiFactory api, int? checkInOpensMinutes = null)
    {
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync("America/New_York");
        if (checkInOpensMinutes is { } minutes)
        {
            await clinic.PatchAsync(clinic.Base, new { checkInOpensMinutes = minutes }, HttpStatusCode.OK);
        }

        var session = await clinic.PostAsync($"{clinic.Base}/sessions",
            new { patientId = await clinic.AddPatientAsync(), chairId = await clinic.AddChairAsync(), start = "2027-01-04T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        return (clinic, $"{clinic.Base}/sessions/{session["id"]}");
    }

    [Fact]
    public async Task Check_in_opens_two_hours_before_the_start_and_not_a_minute_sooner()
    {
        using var api = ApiFactory.With();
        var (clinic, session) = await SessionAtTenAsync(api);

        api.Clock.Reset(Instant.FromUtc(2027, 1, 4, 12, 59));
        var early = await clinic.PostAsync($"{session}/check-in", null, HttpStatusCode.Conflict);
        api.Clock.Reset(Instant.FromUtc(2027, 1, 4, 13, 0));
        var checkedIn = await clinic.PostAsync($"{session}/check-in", null, HttpStatusCode.OK);

        Assert.Equal(("check-in-not-open", "2027-01-04T08:00:00-05:00"), ((string)early["rule"]!, (string)early["earliest"]!));
        Assert.Contains("120 minutes", (string)early["detail"]!);
        Assert.Equal("CheckedIn", (string)checkedIn["status"]!);
    }

    [Fact]
    public async Task Check_in_opens_when_the_clinics_setting_says()
    {
        using var api = ApiFactory.With();
        var (clinic, session) = await SessionAtTenAsync(api, checkInOpensMinutes: 30);

        api.Clock.Reset(Instant.FromUtc(2027, 1, 4, 14, 29));
        var early = await clinic.PostAsync($"{session}/check-in", null, HttpStatusCode.Conflict);
        api.Clock.Reset(Instant.FromUtc(2027, 1, 4, 14, 30));
        await clinic.PostAsync($"{session}/check-in", null, HttpStatusCode.OK);

        Assert.Equal("2027-01-04T09:30:00-05:00", (string)early["earliest"]!);
    }

    [Fact]
    public async Task Check_in_closes_when_the_session_ends()
    {
        using var api = ApiFactory.With();
        var (clinic, session) = await SessionAtTenAsync(api);
        var (otherClinic, other) = await SessionAtTenAsync(api);

        // 40 minutes' infusion and 30 of observation: the patient leaves at 11:10 local, 16:10 UTC.
        api.Clock.Reset(Instant.FromUtc(2027, 1, 4, 16, 9));
        await clinic.PostAsync($"{session}/check-in", null, HttpStatusCode.OK);
        api.Clock.Reset(Instant.FromUtc(2027, 1, 4, 16, 10));
        using var late = await otherClinic.Client.PostAsync($"{other}/check-in", null);

        var problem = await ClinicDriver.ProblemAsync(late, HttpStatusCode.Conflict);
        Assert.Equal("check-in-closed", (string)problem["rule"]!);
        Assert.Null(problem["earliest"]);
    }

    [Fact]
    public async Task A_no_show_is_refused_until_the_start_has_passed()
    {
        using var api = ApiFactory.With();
        var (clinic, session) = await SessionAtTenAsync(api);

        api.Clock.Reset(Instant.FromUtc(2027, 1, 4, 14, 59));
        var early = await clinic.PostAsync($"{session}/no-show", null, HttpStatusCode.Conflict);
        api.Clock.Reset(Instant.FromUtc(2027, 1, 4, 15, 0));
        var noShow = await clinic.PostAsync($"{session}/no-show", null, HttpStatusCode.OK);

        Assert.Equal(("not-started", "2027-01-04T10:00:00-05:00"), ((string)early["rule"]!, (string)early["earliest"]!));
        Assert.Equal("NoShow", (string)noShow["status"]!);
    }

    [Fact]
    public async Task Completing_is_refused_until_the_session_has_started()
    {
        using var api = ApiFactory.With();
        var (clinic, session) = await SessionAtTenAsync(api);
        api.Clock.Reset(Instant.FromUtc(2027, 1, 4, 14, 0));
        await clinic.PostAsync($"{session}/check-in", null, HttpStatusCode.OK);

        api.Clock.Reset(Instant.FromUtc(2027, 1, 4, 14, 59));
        var early = await clinic.PostAsync($"{session}/complete", null, HttpStatusCode.Conflict);
        api.Clock.Reset(Instant.FromUtc(2027, 1, 4, 15, 0));
        var completed = await clinic.PostAsync($"{session}/complete", null, HttpStatusCode.OK);

        Assert.Equal(("not-started", "2027-01-04T10:00:00-05:00"), ((string)early["rule"]!, (string)early["earliest"]!));
        Assert.Equal("Completed", (string)completed["status"]!);
    }

    [Fact]
    public async Task A_session_weeks_ahead_can_be_neither_checked_in_completed_nor_marked_a_no_show()
    {
        using var api = ApiFactory.With();
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();
        var session = await clinic.PostAsync($"{clinic.Base}/sessions",
            new { patientId = await clinic.AddPatientAsync(), chairId = await clinic.AddChairAsync(), start = "2027-03-15T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        var path = $"{clinic.Base}/sessions/{session["id"]}";

        await clinic.PostAsync($"{path}/check-in", null, HttpStatusCode.Conflict);
        await clinic.PostAsync($"{path}/no-show", null, HttpStatusCode.Conflict);

        var after = await clinic.GetAsync(path);
        Assert.Equal(("Booked", 1), ((string)after["status"]!, (int)after["version"]!));
        var upcoming = await clinic.GetAsync($"{clinic.Base}/patients/{session["patientId"]}/sessions/upcoming");
        Assert.Single(upcoming["items"]!.AsArray());
    }
}
