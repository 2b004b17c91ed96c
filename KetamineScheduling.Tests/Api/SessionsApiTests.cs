using System.Net;
using System.Net.Http.Json;
using NodaTime;

namespace KetamineScheduling.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class SessionsApiTests(ApiFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    private static object Booking(string patientId, string chairId, string start, int infusionMinutes = 40) =>
        new { patientId, chairId, start, infusionMinutes };

    [Fact]
    public async Task Booking_one_session_returns_its_local_start_and_end_with_offset()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync("America/New_York");
        var chair = await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();

        using var response = await clinic.Client.PostAsJsonAsync($"{clinic.Base}/sessions", Booking(patient, chair, "2027-05-03T10:00", 45));

        var session = await ClinicDriver.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal($"{clinic.Base}/sessions/{session["id"]}", response.Headers.Location?.OriginalString);
        Assert.Equal("2027-05-03T10:00:00-04:00", (string)session["start"]!);
        Assert.Equal("2027-05-03T11:15:00-04:00", (string)session["end"]!);
        Assert.Equal("America/New_York", (string)session["timeZone"]!);
        Assert.Equal("Booked", (string)session["status"]!);
    }

    [Theory]
    [InlineData("Asia/Kolkata", 60)]
    [InlineData("Asia/Kathmandu", 30)]
    [InlineData("Pacific/Chatham", 15)]
    public async Task Back_to_back_sessions_fit_on_the_grid_in_zones_with_odd_offsets(string timeZone, int slotMinutes)
    {
        // 40 minutes' infusion, 15 observation and 5 cleaning: exactly an hour, so 10:00 and 11:00 just fit.
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync(timeZone, slotMinutes: slotMinutes, turnoverMinutes: 5, observationMinutes: 15);
        var chair = await clinic.AddChairAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T10:00"), HttpStatusCode.Created);

        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T11:00"), HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, $"2027-05-03T10:{60 - slotMinutes:00}"), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Booking_a_taken_chair_returns_409()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T10:00"), HttpStatusCode.Created);

        using var response = await clinic.Client.PostAsJsonAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T11:15"));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("chair", (string)problem["detail"]!);
    }

    [Fact]
    public async Task A_chair_is_free_again_once_its_cleaning_is_over()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T10:00"), HttpStatusCode.Created);

        // 40 minutes' infusion, 30 observation, 15 cleaning: free at 11:25, so the next 15-minute slot is 11:30.
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T11:30"), HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_patient_cannot_be_in_two_chairs_at_once()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(patient, await clinic.AddChairAsync(), "2027-05-03T10:00"), HttpStatusCode.Created);

        using var response = await clinic.Client.PostAsJsonAsync($"{clinic.Base}/sessions", Booking(patient, await clinic.AddChairAsync(), "2027-05-03T10:30"));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("patient", (string)problem["detail"]!);
    }

    [Theory]
    [InlineData("2027-05-03T16:30", "OutsideOpeningHours")]
    [InlineData("2027-05-02T10:00", "ClinicClosed")]
    [InlineData("2027-05-03T10:05", "OffSlotGrid")]
    [InlineData("2026-12-01T10:00", "InThePast")]
    public async Task A_start_the_calendar_cannot_take_is_a_422_saying_why(string start, string obstacle)
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();

        using var response = await clinic.Client.PostAsJsonAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), await clinic.AddChairAsync(), start));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(obstacle, (string)problem["obstacle"]!);
    }

    [Theory]
    [InlineData("""{"patientId":"P","chairId":"C","start":"2026-02-30T10:00","infusionMinutes":40}""", "start")]
    [InlineData("""{"patientId":"P","chairId":"C","start":"2027-05-03T10:00","infusionMinutes":90}""", "infusionMinutes")]
    [InlineData("""{"patientId":"P","chairId":"C","start":"2027-05-03T10:00","infusionMinutes":"forty"}""", "infusionMinutes")]
    [InlineData("""{"patientId":"P","chairId":"C","start":"2027-05-03T10:00"}""", "infusionMinutes")]
    public async Task A_malformed_booking_is_a_400_naming_the_field(string template, string field)
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var body = template.Replace("\"P\"", $"\"{await clinic.AddPatientAsync()}\"").Replace("\"C\"", $"\"{await clinic.AddChairAsync()}\"");

        using var response = await clinic.Client.PostAsync($"{clinic.Base}/sessions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task A_chair_of_another_clinic_is_a_404_naming_chairId_and_nothing_is_booked()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var elsewhere = await new ClinicDriver(client).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();

        var problem = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(patient, await elsewhere.AddChairAsync(), "2027-05-03T10:00"), HttpStatusCode.NotFound);

        Assert.True(problem["errors"]!.AsObject().ContainsKey("chairId"));
        Assert.Empty((await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-05-03"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Cancelling_frees_the_chair_for_another_patient()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        var first = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T10:00"), HttpStatusCode.Created);

        var cancelled = await clinic.PostAsync($"{clinic.Base}/sessions/{first["id"]}/cancel", new { reason = "Unwell" }, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T10:00"), HttpStatusCode.Created);

        Assert.Equal("Cancelled", (string)cancelled["status"]!);
        Assert.Equal("Unwell", (string)cancelled["cancelReason"]!);
        await clinic.PostAsync($"{clinic.Base}/sessions/{first["id"]}/check-in", null, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_session_moves_through_check_in_and_completion()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var session = await clinic.BookStartedAsync(factory.Clock);

        var checkedIn = await clinic.PostAsync($"{clinic.Base}/sessions/{session["id"]}/check-in", null, HttpStatusCode.OK);
        var completed = await clinic.PostAsync($"{clinic.Base}/sessions/{session["id"]}/complete", null, HttpStatusCode.OK);

        Assert.Equal("CheckedIn", (string)checkedIn["status"]!);
        Assert.Equal("Completed", (string)completed["status"]!);
        Assert.True((int)completed["version"]! > (int)session["version"]!);
        await clinic.PostAsync($"{clinic.Base}/sessions/{session["id"]}/no-show", null, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Rescheduling_with_shift_following_moves_every_later_session_of_the_plan_by_the_same_days()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        var plan = await clinic.PostAsync($"{clinic.Base}/treatment-plans", new
        {
            patientId = patient,
            startDate = "2027-01-11",
            preferredStartTime = "10:00",
            induction = new { sessions = 3, intervalDays = 2, maxIntervalDays = 3 },
            maintenance = new { sessions = 1, intervalDays = 28 },
        }, HttpStatusCode.Created);
        var booked = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/book", null, HttpStatusCode.OK);
        var second = (string)booked["sessions"]![1]!["session"]!["id"]!;

        var moved = await clinic.PostAsync($"{clinic.Base}/sessions/{second}/reschedule", new { start = "2027-01-14T11:00", shiftFollowing = true }, HttpStatusCode.OK);

        Assert.Equal("2027-01-14T11:00:00+00:00", (string)moved["session"]!["start"]!);
        Assert.Equal(["2027-01-16T10:00:00+00:00", "2027-02-13T10:00:00+00:00"], moved["shifted"]!.AsArray().Select(m => (string)m!["start"]!));
        var after = await clinic.GetAsync($"{clinic.Base}/treatment-plans/{plan["id"]}");
        Assert.Equal("2027-02-13T10:00:00+00:00", (string)after["sessions"]![3]!["session"]!["start"]!);
    }

    [Fact]
    public async Task Rescheduling_that_would_stretch_an_induction_gap_is_a_422()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        var booked = await clinic.BookPlanAsync(patient, 3);
        var second = (string)booked["sessions"]![1]!["session"]!["id"]!;

        var problem = await clinic.PostAsync($"{clinic.Base}/sessions/{second}/reschedule", new { start = "2027-01-18T10:00" }, HttpStatusCode.UnprocessableEntity);

        Assert.Equal("OutOfOrder", (string)problem["obstacle"]!);
    }

    [Fact]
    public async Task A_no_show_in_the_middle_of_an_induction_marks_it_interrupted()
    {
        using var api = ApiFactory.With();
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();
        await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        var booked = await clinic.BookPlanAsync(patient, 4);
        // The second session, Wednesday 13 January at 10:00 London time, has started.
        api.Clock.Reset(Instant.FromUtc(2027, 1, 13, 10, 0));

        await clinic.PostAsync($"{clinic.Base}/sessions/{booked["sessions"]![1]!["session"]!["id"]}/no-show", null, HttpStatusCode.OK);

        var after = await clinic.GetAsync($"{clinic.Base}/treatment-plans/{booked["id"]}");
        Assert.True((bool)after["inductionInterrupted"]!);
        Assert.Equal("NoShow", (string)after["sessions"]![1]!["session"]!["status"]!);
    }

    [Fact]
    public async Task Upcoming_sessions_are_the_patients_future_ones_soonest_first_in_pages()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        foreach (var day in new[] { "05", "03", "04" })
        {
            await clinic.PostAsync($"{clinic.Base}/sessions", Booking(patient, chair, $"2027-05-{day}T10:00"), HttpStatusCode.Created);
        }

        var page1 = await clinic.GetAsync($"{clinic.Base}/patients/{patient}/sessions/upcoming?limit=2");
        var page2 = await clinic.GetAsync($"{clinic.Base}/patients/{patient}/sessions/upcoming?limit=2&cursor={page1["nextCursor"]}");

        Assert.Equal(["2027-05-03T10:00:00+01:00", "2027-05-04T10:00:00+01:00"], page1["items"]!.AsArray().Select(s => (string)s!["start"]!));
        Assert.Equal(["2027-05-05T10:00:00+01:00"], page2["items"]!.AsArray().Select(s => (string)s!["start"]!));
        Assert.Null(page2["nextCursor"]);
    }

    [Fact]
    public async Task Availability_leaves_out_chair_time_already_booked()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync(opens: "10:00", closes: "12:00");
        var chair = await clinic.AddChairAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T10:00"), HttpStatusCode.Created);

        var free = await clinic.GetAsync($"{clinic.Base}/availability?date=2027-05-03&infusionMinutes=40");

        // Booked 10:00 to 11:25 with cleaning; a session needs 85 minutes, so nothing fits before 12:00.
        Assert.Empty(free["items"]!.AsArray());
        var tomorrow = await clinic.GetAsync($"{clinic.Base}/availability?date=2027-05-04&infusionMinutes=40");
        Assert.Equal(["2027-05-04T10:00:00+01:00", "2027-05-04T10:15:00+01:00", "2027-05-04T10:30:00+01:00"], tomorrow["items"]!.AsArray().Select(s => (string)s!["start"]!));
    }

    [Fact]
    public async Task The_day_view_lists_the_sessions_starting_that_local_date()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T13:00"), HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T08:00"), HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-04T08:00"), HttpStatusCode.Created);

        var day = await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-05-03");

        Assert.Equal(["2027-05-03T08:00:00+01:00", "2027-05-03T13:00:00+01:00"], day["items"]!.AsArray().Select(s => (string)s!["start"]!));
        await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-02-30", HttpStatusCode.BadRequest);
    }
}
