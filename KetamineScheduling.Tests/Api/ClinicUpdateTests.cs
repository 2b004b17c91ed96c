using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace KetamineScheduling.Tests.Api;

/// <summary>PATCH /v1/clinics/{id}: correcting a clinic's name, hours and settings.</summary>
[Collection(ApiCollection.Name)]
public sealed class ClinicUpdateTests(ApiFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    private static object Booking(string patientId, string chairId, string start) => new { patientId, chairId, start, infusionMinutes = 40 };

    private static object[] Hours(string closes) => [.. ClinicDriver.MondayToSaturday.Select(day => (object)new { day, opens = "08:00", closes })];

    [Fact]
    public async Task Patching_a_clinic_changes_only_what_it_names_and_answers_with_the_new_ETag()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync(maxStartsPerSlot: 2);
        using var read = await clinic.Client.GetAsync(clinic.Base);

        using var response = await clinic.PatchAsync(clinic.Base, new { name = "Riverside", checkInOpensMinutes = 60, patientsMayCancel = true }, read.Headers.ETag!.ToString());

        var changed = (await ClinicDriver.ReadAsync(response, HttpStatusCode.OK))["clinic"]!;
        Assert.Equal("\"1\"", read.Headers.ETag!.ToString());
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());
        Assert.Equal(("Riverside", 60, true, 2), ((string)changed["name"]!, (int)changed["checkInOpensMinutes"]!, (bool)changed["patientsMayCancel"]!, (int)changed["version"]!));
        Assert.Equal((15, 15, 30, 2, "17:00"), ((int)changed["slotMinutes"]!, (int)changed["turnoverMinutes"]!, (int)changed["observationMinutes"]!, (int)changed["maxStartsPerSlot"]!, (string)changed["openingHours"]![0]!["closes"]!));
        var fetched = await clinic.GetAsync(clinic.Base);
        Assert.Equal(("Riverside", 2), ((string)fetched["name"]!, (int)fetched["version"]!));
        var feed = (await clinic.GetAsync($"{clinic.Base}/events"))["items"]!.AsArray();
        Assert.Contains(feed, e => (string)e!["type"]! == "clinic.updated" && (int)e["version"]! == 2);
    }

    [Fact]
    public async Task A_clinic_is_created_with_check_in_opening_two_hours_ahead_unless_it_says_otherwise()
    {
        var driver = new ClinicDriver(client);
        var defaulted = await driver.PostAsync("/v1/clinics", new { name = "A", timeZone = "Europe/London", openingHours = Hours("17:00") }, HttpStatusCode.Created);
        var chosen = await driver.PostAsync("/v1/clinics", new { name = "B", timeZone = "Europe/London", openingHours = Hours("17:00"), checkInOpensMinutes = 45 }, HttpStatusCode.Created);

        Assert.Equal(120, (int)defaulted["checkInOpensMinutes"]!);
        Assert.Equal(45, (int)chosen["checkInOpensMinutes"]!);
    }

    [Fact]
    public async Task Patching_with_a_stale_ETag_is_a_412_and_changes_nothing()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.PatchAsync(clinic.Base, new { name = "First" }, HttpStatusCode.OK, "\"1\"");

        using var response = await clinic.PatchAsync(clinic.Base, new { name = "Second" }, "\"1\"");

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Equal(2, (int)problem["currentVersion"]!);
        Assert.Equal("First", (string)(await clinic.GetAsync(clinic.Base))["name"]!);
    }

    [Fact]
    public async Task Null_removes_the_starts_per_slot_limit_and_leaving_it_out_keeps_it()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync(maxStartsPerSlot: 1);
        var (first, second) = (await clinic.AddChairAsync(), await clinic.AddChairAsync());

        var kept = (await clinic.PatchAsync(clinic.Base, new { name = "Kept" }, HttpStatusCode.OK))["clinic"]!;
        var removed = (await clinic.PatchAsync(clinic.Base, JsonNode.Parse("""{"maxStartsPerSlot":null}""")!, HttpStatusCode.OK))["clinic"]!;
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), first, "2027-05-03T10:00"), HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), second, "2027-05-03T10:00"), HttpStatusCode.Created);

        Assert.Equal(1, (int)kept["maxStartsPerSlot"]!);
        Assert.Null(removed["maxStartsPerSlot"]);
    }

    [Fact]
    public async Task A_new_starts_per_slot_limit_counts_the_sessions_already_booked()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var (first, second) = (await clinic.AddChairAsync(), await clinic.AddChairAsync());
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), first, "2027-05-03T10:00"), HttpStatusCode.Created);

        await clinic.PatchAsync(clinic.Base, new { maxStartsPerSlot = 1 }, HttpStatusCode.OK);

        var problem = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), second, "2027-05-03T10:00"), HttpStatusCode.Conflict);
        Assert.Contains("limit", (string)problem["detail"]!);
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), second, "2027-05-03T10:15"), HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_new_slot_length_still_keeps_two_sessions_out_of_one_chair()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T10:00"), HttpStatusCode.Created);

        await clinic.PatchAsync(clinic.Base, new { slotMinutes = 10 }, HttpStatusCode.OK);

        // 40 minutes' infusion, 30 of observation and 15 of cleaning: the chair is free again at 11:25, not before.
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T11:20"), HttpStatusCode.Conflict);
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T11:30"), HttpStatusCode.Created);
    }

    [Fact]
    public async Task New_hours_that_leave_a_booked_session_outside_them_are_a_409_listing_it()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        var late = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-03T15:00"), HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chair, "2027-05-04T09:00"), HttpStatusCode.Created);

        using var response = await clinic.PatchAsync(clinic.Base, new { openingHours = Hours("13:00") });

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.Conflict);
        var listed = Assert.Single(problem["sessions"]!.AsArray())!;
        Assert.Equal(((string)late["id"]!, chair, "2027-05-03T15:00:00+01:00"), ((string)listed["id"]!, (string)listed["chairId"]!, (string)listed["start"]!));
        Assert.Equal("sessions-outside-hours", (string)problem["rule"]!);
        Assert.Equal("17:00", (string)(await clinic.GetAsync(clinic.Base))["openingHours"]![0]!["closes"]!);
    }

    [Fact]
    public async Task With_force_the_hours_change_and_the_sessions_left_outside_are_listed()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var late = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), await clinic.AddChairAsync(), "2027-05-03T15:00"), HttpStatusCode.Created);

        var changed = await clinic.PatchAsync($"{clinic.Base}?force=true", new { openingHours = Hours("13:00") }, HttpStatusCode.OK);

        Assert.Equal((string)late["id"]!, (string)Assert.Single(changed["sessionsOutsideHours"]!.AsArray())!["id"]!);
        Assert.Equal("13:00", (string)(await clinic.GetAsync(clinic.Base))["openingHours"]![0]!["closes"]!);
        Assert.Equal("Booked", (string)(await clinic.GetAsync($"{clinic.Base}/sessions/{late["id"]}"))["status"]!);
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), await clinic.AddChairAsync(), "2027-05-04T13:00"), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_time_zone_change_is_refused_while_sessions_are_still_to_come()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var session = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), await clinic.AddChairAsync(), "2027-05-03T10:00"), HttpStatusCode.Created);

        using var refused = await clinic.PatchAsync(clinic.Base, new { timeZone = "Europe/Paris" });
        await clinic.PostAsync($"{clinic.Base}/sessions/{session["id"]}/cancel", new { reason = "Moving" }, HttpStatusCode.OK);
        var changed = await clinic.PatchAsync(clinic.Base, new { timeZone = "Europe/Paris" }, HttpStatusCode.OK);

        var problem = await ClinicDriver.ProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal("time-zone-with-sessions", (string)problem["rule"]!);
        Assert.Equal((string)session["id"]!, (string)Assert.Single(problem["sessions"]!.AsArray())!["id"]!);
        Assert.Equal("Europe/Paris", (string)changed["clinic"]!["timeZone"]!);
    }

    [Theory]
    [InlineData("""{"checkInOpensMinutes":1441}""", "checkInOpensMinutes")]
    [InlineData("""{"slotMinutes":7}""", "slotMinutes")]
    [InlineData("""{"timeZone":"Mars/Olympus"}""", "timeZone")]
    [InlineData("""{"name":" "}""", "name")]
    [InlineData("""{"maxStartsPerSlot":0}""", "maxStartsPerSlot")]
    [InlineData("""{"openingHours":[{"day":"Monday","opens":"17:00","closes":"08:00"}]}""", "openingHours[0].closes")]
    public async Task A_bad_change_is_a_400_naming_the_field(string body, string field)
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();

        using var response = await clinic.Client.PatchAsync(clinic.Base, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(1, (int)(await clinic.GetAsync(clinic.Base))["version"]!);
    }

    [Fact]
    public async Task A_scheduler_may_not_change_the_clinic()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var scheduler = await clinic.ClientForAsync("scheduler");

        using var response = await scheduler.PatchAsJsonAsync(clinic.Base, new { name = "Mine now" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
