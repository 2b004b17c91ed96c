using System.Net;
using System.Text.Json.Nodes;

namespace KetamineScheduling.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class PlansApiTests(ApiFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    private static object IssueExamplePlan(string patientId) => new
    {
        patientId,
        startDate = "2027-01-11",
        preferredStartTime = "10:00",
        infusionMinutes = 40,
        induction = new { sessions = 6, intervalDays = 2, maxIntervalDays = 3 },
        maintenance = new { sessions = 2, intervalDays = 28 },
    };

    [Fact]
    public async Task Planning_skips_closed_days_and_keeps_the_cadence_from_the_date_used()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync(closedDates: ["2027-01-20"]);
        var patient = await clinic.AddPatientAsync();

        var plan = await clinic.PostAsync($"{clinic.Base}/treatment-plans", IssueExamplePlan(patient), HttpStatusCode.Created);

        Assert.Equal("Draft", (string)plan["status"]!);
        Assert.Equal(
            ["2027-01-11", "2027-01-13", "2027-01-15", "2027-01-18", "2027-01-21", "2027-01-23", "2027-02-20", "2027-03-20"],
            plan["sessions"]!.AsArray().Select(s => (string)s!["date"]!));
        Assert.Equal(["Induction", "Induction", "Induction", "Induction", "Induction", "Induction", "Maintenance", "Maintenance"],
            plan["sessions"]!.AsArray().Select(s => (string)s!["phase"]!));
    }

    [Fact]
    public async Task Booking_a_plan_books_every_session_at_the_preferred_local_time()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync(closedDates: ["2027-01-20"]);
        var chair = await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        var plan = await clinic.PostAsync($"{clinic.Base}/treatment-plans", IssueExamplePlan(patient), HttpStatusCode.Created);

        var booked = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/book", null, HttpStatusCode.OK);

        Assert.Equal("Active", (string)booked["status"]!);
        var sessions = booked["sessions"]!.AsArray().Select(s => s!["session"]!).ToList();
        Assert.All(sessions, s => Assert.Equal(chair, (string)s["chairId"]!));
        Assert.All(sessions, s => Assert.EndsWith("T10:00:00+00:00", (string)s["start"]!));
        Assert.All(sessions, s => Assert.Equal("Europe/London", (string)s["timeZone"]!));
        Assert.Equal("2027-01-18T10:00:00+00:00", (string)sessions[3]["start"]!);
        Assert.Equal("2027-01-18T11:10:00+00:00", (string)sessions[3]["end"]!);
    }

    [Fact]
    public async Task A_series_over_the_end_of_summer_time_stays_at_ten_local_with_the_offset_of_each_date()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync(days: ClinicDriver.EveryDay);
        await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        var plan = await clinic.PostAsync($"{clinic.Base}/treatment-plans", new
        {
            patientId = patient,
            startDate = "2027-10-27",
            preferredStartTime = "10:00",
            induction = new { sessions = 3, intervalDays = 2, maxIntervalDays = 3 },
            maintenance = new { sessions = 0 },
        }, HttpStatusCode.Created);

        var booked = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/book", null, HttpStatusCode.OK);

        Assert.Equal(
            ["2027-10-27T10:00:00+01:00", "2027-10-29T10:00:00+01:00", "2027-10-31T10:00:00+00:00"],
            booked["sessions"]!.AsArray().Select(s => (string)s!["session"]!["start"]!));
    }

    [Fact]
    public async Task A_closure_the_induction_cannot_absorb_is_a_422_naming_the_session_and_dates()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync(closedDates: ["2027-01-13", "2027-01-14", "2027-01-15"]);
        var patient = await clinic.AddPatientAsync();

        using var response = await clinic.Client.PostAsync($"{clinic.Base}/treatment-plans", System.Net.Http.Json.JsonContent.Create(IssueExamplePlan(patient)));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(2, (int)problem["sequence"]!);
        Assert.Contains("2027-01-13", (string)problem["detail"]!);
        Assert.Contains("2027-01-16", (string)problem["detail"]!);
    }

    [Fact]
    public async Task Booking_a_plan_in_a_clinic_with_no_chairs_is_a_409_saying_the_clinic_has_no_chairs()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var plan = await clinic.AddPlanAsync(await clinic.AddPatientAsync(), "2027-01-11", inductionSessions: 2);

        using var response = await clinic.Client.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/book", null);

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.Conflict);
        var unplaced = problem["unplaced"]!.AsArray();
        Assert.NotEmpty(unplaced);
        Assert.All(unplaced, u => Assert.Equal("NoChairs", (string)u!["obstacle"]!));
        Assert.EndsWith("the clinic has no chairs.", (string)unplaced[0]!["reason"]!);
    }

    [Fact]
    public async Task Booking_a_plan_when_the_only_chair_is_full_is_a_409_listing_each_session_and_nothing_is_booked()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync(opens: "10:00", closes: "11:30");
        var chair = await clinic.AddChairAsync();
        var other = await clinic.AddPatientAsync();
        var patient = await clinic.AddPatientAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = other, chairId = chair, start = "2027-01-13T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = other, chairId = chair, start = "2027-01-14T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        var plan = await clinic.AddPlanAsync(patient, "2027-01-11", inductionSessions: 3);

        using var response = await clinic.Client.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/book", null);

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.Conflict);
        var unplaced = problem["unplaced"]!.AsArray();
        Assert.Equal(2, (int)unplaced[0]!["sequence"]!);
        Assert.Equal("ChairTaken", (string)unplaced[0]!["obstacle"]!);
        Assert.NotEmpty(unplaced[0]!["alternatives"]!.AsArray());
        var upcoming = await clinic.GetAsync($"{clinic.Base}/patients/{patient}/sessions/upcoming");
        Assert.Empty(upcoming["items"]!.AsArray());
        Assert.Equal("Draft", (string)(await clinic.GetAsync($"{clinic.Base}/treatment-plans/{plan["id"]}"))["status"]!);
    }

    [Fact]
    public async Task Plans_are_listed_by_patient_and_status_and_move_through_legal_statuses_only()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        var plan = await clinic.PostAsync($"{clinic.Base}/treatment-plans", IssueExamplePlan(patient), HttpStatusCode.Created);
        var id = (string)plan["id"]!;

        await clinic.PostAsync($"{clinic.Base}/treatment-plans/{id}/hold", null, HttpStatusCode.Conflict);
        await clinic.PostAsync($"{clinic.Base}/treatment-plans/{id}/book", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/treatment-plans/{id}/hold", null, HttpStatusCode.OK);
        var active = await clinic.GetAsync($"{clinic.Base}/treatment-plans?patientId={patient}&status=Active");
        var held = await clinic.GetAsync($"{clinic.Base}/treatment-plans?patientId={patient}&status=OnHold");
        await clinic.PostAsync($"{clinic.Base}/treatment-plans/{id}/resume", null, HttpStatusCode.OK);
        var ended = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{id}/discontinue", null, HttpStatusCode.OK);

        Assert.Empty(active["items"]!.AsArray());
        Assert.Equal(id, (string)held["items"]![0]!["id"]!);
        Assert.Equal("Discontinued", (string)ended["status"]!);
        Assert.All(ended["sessions"]!.AsArray(), s => Assert.Equal("Cancelled", (string)s!["session"]!["status"]!));
        Assert.Empty((await clinic.GetAsync($"{clinic.Base}/patients/{patient}/sessions/upcoming"))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("infusionMinutes", 39)]
    [InlineData("infusionMinutes", 61)]
    public async Task Infusions_outside_40_to_60_minutes_are_a_400(string field, int minutes)
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();

        var problem = await clinic.PostAsync($"{clinic.Base}/treatment-plans", new { patientId = patient, startDate = "2027-01-11", preferredStartTime = "10:00", infusionMinutes = minutes }, HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(field));
    }

    [Theory]
    [InlineData("""{"sessions":0}""", "induction.sessions")]
    [InlineData("""{"sessions":100000000000}""", "induction.sessions")]
    [InlineData("""{"intervalDays":-2}""", "induction.intervalDays")]
    [InlineData("""{"intervalDays":3,"maxIntervalDays":2}""", "induction.maxIntervalDays")]
    public async Task Absurd_induction_counts_and_intervals_are_a_400(string induction, string field)
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var body = $$"""{"patientId":"{{patient}}","startDate":"2027-01-11","preferredStartTime":"10:00","induction":{{induction}}}""";

        using var response = await clinic.Client.PostAsync($"{clinic.Base}/treatment-plans", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task A_patient_of_another_clinic_in_the_body_is_a_404_naming_patientId()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var elsewhere = await new ClinicDriver(client).CreateClinicAsync();
        var stranger = await elsewhere.AddPatientAsync();

        var problem = await clinic.PostAsync($"{clinic.Base}/treatment-plans", IssueExamplePlan(stranger), HttpStatusCode.NotFound);

        Assert.True(problem["errors"]!.AsObject().ContainsKey("patientId"));
    }
}
