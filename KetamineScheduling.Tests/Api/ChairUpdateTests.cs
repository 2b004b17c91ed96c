using System.Net;

namespace KetamineScheduling.Tests.Api;

/// <summary>PATCH /v1/clinics/{id}/chairs/{id}: renaming chairs and taking them out of service.</summary>
[Collection(ApiCollection.Name)]
public sealed class ChairUpdateTests(ApiFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    private static object Booking(string patientId, string chairId, string start) => new { patientId, chairId, start, infusionMinutes = 40 };

    [Fact]
    public async Task Renaming_a_chair_answers_with_its_new_version_as_the_ETag()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var chair = await clinic.AddChairAsync("Chair 1");
        using var read = await clinic.Client.GetAsync($"{clinic.Base}/chairs/{chair}");

        using var response = await clinic.PatchAsync($"{clinic.Base}/chairs/{chair}", new { name = "Window chair" }, read.Headers.ETag!.ToString());

        var changed = await ClinicDriver.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal("\"1\"", read.Headers.ETag!.ToString());
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());
        Assert.Equal(("Window chair", true, 2), ((string)changed["chair"]!["name"]!, (bool)changed["chair"]!["inService"]!, (int)changed["chair"]!["version"]!));
        Assert.Equal("Window chair", (string)(await clinic.GetAsync($"{clinic.Base}/chairs/{chair}"))["name"]!);
        var feed = (await clinic.GetAsync($"{clinic.Base}/events"))["items"]!.AsArray();
        Assert.Contains(feed, e => (string)e!["type"]! == "chair.updated" && (string)e["resourceId"]! == chair && (int)e["version"]! == 2);
    }

    [Fact]
    public async Task Patching_a_chair_with_a_stale_ETag_is_a_412_and_changes_nothing()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var chair = await clinic.AddChairAsync("Chair 1");
        await clinic.PatchAsync($"{clinic.Base}/chairs/{chair}", new { name = "Chair A" }, HttpStatusCode.OK);

        using var response = await clinic.PatchAsync($"{clinic.Base}/chairs/{chair}", new { inService = false }, "\"1\"");

        await ClinicDriver.ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.True((bool)(await clinic.GetAsync($"{clinic.Base}/chairs/{chair}"))["inService"]!);
    }

    [Fact]
    public async Task A_duplicate_chair_name_is_a_409_when_adding_and_when_renaming_but_another_clinic_may_use_it()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.AddChairAsync("Chair 1");
        var other = await clinic.AddChairAsync("Chair 2");

        var added = await clinic.PostAsync($"{clinic.Base}/chairs", new { name = "Chair 1" }, HttpStatusCode.Conflict);
        await clinic.PostAsync($"{clinic.Base}/chairs", new { name = "chair 1" }, HttpStatusCode.Conflict);
        using var renamed = await clinic.PatchAsync($"{clinic.Base}/chairs/{other}", new { name = "Chair 1" });

        Assert.Contains("Chair 1", (string)added["detail"]!);
        await ClinicDriver.ProblemAsync(renamed, HttpStatusCode.Conflict);
        Assert.Equal(2, (await clinic.GetAsync($"{clinic.Base}/chairs"))["items"]!.AsArray().Count);
        var another = await new ClinicDriver(client).CreateClinicAsync();
        await another.AddChairAsync("Chair 1");
    }

    [Fact]
    public async Task A_chair_out_of_service_takes_no_new_booking_and_lists_its_sessions_still_to_come()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var (broken, spare) = (await clinic.AddChairAsync("Chair 1"), await clinic.AddChairAsync("Chair 2"));
        var booked = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), broken, "2027-05-03T10:00"), HttpStatusCode.Created);
        var cancelled = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), broken, "2027-05-04T10:00"), HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/sessions/{cancelled["id"]}/cancel", new { reason = "Unwell" }, HttpStatusCode.OK);

        var changed = await clinic.PatchAsync($"{clinic.Base}/chairs/{broken}", new { inService = false }, HttpStatusCode.OK);
        var refused = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), broken, "2027-05-05T10:00"), HttpStatusCode.Conflict);

        Assert.False((bool)changed["chair"]!["inService"]!);
        var listed = Assert.Single(changed["futureSessions"]!.AsArray())!;
        Assert.Equal(((string)booked["id"]!, "2027-05-03T10:00:00+01:00"), ((string)listed["id"]!, (string)listed["start"]!));
        Assert.Equal("chair-out-of-service", (string)refused["rule"]!);
        Assert.Contains("out of service", (string)refused["detail"]!);
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), spare, "2027-05-05T10:00"), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Availability_leaves_out_a_chair_out_of_service()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var (broken, spare) = (await clinic.AddChairAsync("Chair 1"), await clinic.AddChairAsync("Chair 2"));

        await clinic.PatchAsync($"{clinic.Base}/chairs/{broken}", new { inService = false }, HttpStatusCode.OK);
        var free = await clinic.GetAsync($"{clinic.Base}/availability?date=2027-05-03&infusionMinutes=40");
        var onBroken = await clinic.GetAsync($"{clinic.Base}/availability?date=2027-05-03&infusionMinutes=40&chairId={broken}");

        Assert.NotEmpty(free["items"]!.AsArray());
        Assert.All(free["items"]!.AsArray(), f => Assert.Equal(spare, (string)f!["chairId"]!));
        Assert.Empty(onBroken["items"]!.AsArray());
    }

    [Fact]
    public async Task A_session_cannot_be_moved_on_a_chair_out_of_service_but_can_be_moved_off_it()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var (broken, spare) = (await clinic.AddChairAsync("Chair 1"), await clinic.AddChairAsync("Chair 2"));
        var onBroken = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), broken, "2027-05-03T10:00"), HttpStatusCode.Created);
        var onSpare = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), spare, "2027-05-03T13:00"), HttpStatusCode.Created);
        await clinic.PatchAsync($"{clinic.Base}/chairs/{broken}", new { inService = false }, HttpStatusCode.OK);

        var stays = await clinic.PostAsync($"{clinic.Base}/sessions/{onBroken["id"]}/reschedule", new { start = "2027-05-03T11:00" }, HttpStatusCode.Conflict);
        await clinic.PostAsync($"{clinic.Base}/sessions/{onSpare["id"]}/reschedule", new { start = "2027-05-03T14:00", chairId = broken }, HttpStatusCode.Conflict);
        var moved = await clinic.PostAsync($"{clinic.Base}/sessions/{onBroken["id"]}/reschedule", new { start = "2027-05-03T10:00", chairId = spare }, HttpStatusCode.OK);

        Assert.Equal("chair-out-of-service", (string)stays["rule"]!);
        Assert.Equal(spare, (string)moved["session"]!["chairId"]!);
    }

    [Fact]
    public async Task Booking_a_plan_places_no_session_on_a_chair_out_of_service()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var broken = await clinic.AddChairAsync("Chair 1");
        var spare = await clinic.AddChairAsync("Chair 2");
        await clinic.PatchAsync($"{clinic.Base}/chairs/{broken}", new { inService = false }, HttpStatusCode.OK);

        var booked = await clinic.BookPlanAsync(await clinic.AddPatientAsync(), 4);

        Assert.All(booked["sessions"]!.AsArray(), s => Assert.Equal(spare, (string)s!["session"]!["chairId"]!));
    }
}
