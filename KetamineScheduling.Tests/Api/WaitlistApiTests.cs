using System.Net;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Tests.Api;

/// <summary>Freed chair time goes to the first waiting entry whose window fits, as a reservation it may accept.</summary>
[Collection(ApiCollection.Name)]
public sealed class WaitlistApiTests(ApiFactory factory)
{
    [Fact]
    public async Task Cancelling_a_session_offers_its_time_to_the_first_matching_entry_which_accepts_it()
    {
        var (clinic, chair, day, session) = await FullChairAsync();
        var first = await AddEntryAsync(clinic, day);
        var second = await AddEntryAsync(clinic, day);
        Assert.Equal("Waiting", (string)first["status"]!);

        await clinic.PostAsync($"{clinic.Base}/sessions/{session}/cancel", new { reason = "Unwell" }, HttpStatusCode.OK);

        var queue = await QueueAsync(clinic);
        Assert.Equal(["Offered", "Waiting"], queue.Select(e => (string)e!["status"]!));
        Assert.Equal((string)first["id"]!, (string)queue[0]!["id"]!);
        var offer = await clinic.GetAsync($"{clinic.Base}/reservations/{queue[0]!["reservationId"]}");
        Assert.Equal($"{day}T10:00:00+01:00"[..16], ((string)offer["start"]!)[..16]);
        Assert.Equal(chair, (string)offer["chairId"]!);
        var events = (await clinic.GetAsync($"{clinic.Base}/events?limit=100"))["items"]!.AsArray();
        Assert.Contains(events, e => (string)e!["type"]! == "waitlist.offered" && (string)e["resourceId"]! == (string)first["id"]!);

        var booked = await clinic.PostAsync($"{clinic.Base}/waitlist/{first["id"]}/accept", null, HttpStatusCode.Created);

        Assert.Equal((string)queue[0]!["reservationId"]!, (string)booked["id"]!);
        Assert.Equal((string)first["patientId"]!, (string)booked["patientId"]!);
        var after = await QueueAsync(clinic);
        Assert.Equal([(string)second["id"]!], after.Select(e => (string)e!["id"]!));
    }

    [Fact]
    public async Task An_offer_that_expires_after_the_clinics_offer_minutes_passes_to_the_next_entry()
    {
        var (clinic, _, day, session) = await FullChairAsync();
        var updated = await clinic.PatchAsync(clinic.Base, new { waitlistOfferMinutes = 5 }, HttpStatusCode.OK);
        Assert.Equal(5, (int)updated["clinic"]!["waitlistOfferMinutes"]!);
        var first = await AddEntryAsync(clinic, day);
        var second = await AddEntryAsync(clinic, day);
        await clinic.PostAsync($"{clinic.Base}/sessions/{session}/cancel", new { reason = "Unwell" }, HttpStatusCode.OK);
        var offer = await clinic.GetAsync($"{clinic.Base}/reservations/{(await QueueAsync(clinic))[0]!["reservationId"]}");
        Assert.Equal(
            factory.Clock.GetCurrentInstant().Plus(Duration.FromMinutes(5)).ToUnixTimeSeconds(),
            InstantPattern.ExtendedIso.Parse((string)offer["expiresAt"]!).Value.ToUnixTimeSeconds());

        factory.Clock.Reset(InstantPattern.ExtendedIso.Parse((string)offer["expiresAt"]!).Value);
        var queue = await QueueAsync(clinic);

        Assert.Equal([(string)second["id"]!, (string)first["id"]!], queue.Select(e => (string)e!["id"]!));
        Assert.Equal(["Offered", "Waiting"], queue.Select(e => (string)e!["status"]!));
        using var late = await clinic.Client.PostAsync($"{clinic.Base}/waitlist/{first["id"]}/accept", null);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task Removing_an_offered_entry_releases_its_offer_to_the_next_entry()
    {
        var (clinic, _, day, session) = await FullChairAsync();
        var first = await AddEntryAsync(clinic, day);
        var second = await AddEntryAsync(clinic, day);
        await clinic.PostAsync($"{clinic.Base}/sessions/{session}/cancel", new { reason = "Unwell" }, HttpStatusCode.OK);

        using var removed = await clinic.Client.DeleteAsync($"{clinic.Base}/waitlist/{first["id"]}");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        var queue = await QueueAsync(clinic);
        Assert.Equal([(string)second["id"]!], queue.Select(e => (string)e!["id"]!));
        Assert.Equal("Offered", (string)queue[0]!["status"]!);
    }

    [Fact]
    public async Task A_window_that_ends_before_it_starts_is_a_400_naming_latestDate()
    {
        var (clinic, _, day, _) = await FullChairAsync();

        using var response = await clinic.Client.PostAsync($"{clinic.Base}/waitlist", System.Net.Http.Json.JsonContent.Create(new
        {
            patientId = await clinic.AddPatientAsync(), earliestDate = day, latestDate = LocalDatePattern.Iso.Format(LocalDatePattern.Iso.Parse(day).Value.PlusDays(-1)), infusionMinutes = 40,
        }));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["latestDate"]);
    }

    [Fact]
    public async Task Two_API_processes_freeing_and_offering_time_together_make_one_offer_of_it()
    {
        using var database = new TempDatabase("two-processes-waitlist");
        await using var first = await ApiProcess.StartAsync(database.Path);
        await using var second = await ApiProcess.StartAsync(database.Path);
        var clinic = await new ClinicDriver(first.NewClient()).CreateClinicAsync();
        var other = clinic.On(second);
        var chair = await clinic.AddChairAsync();
        var date = SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).Date.PlusDays(7);
        while (date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
        {
            date = date.PlusDays(1);
        }

        var day = LocalDatePattern.Iso.Format(date);
        var session = await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = await clinic.AddPatientAsync(), chairId = chair, start = $"{day}T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        for (var i = 0; i < 6; i++)
        {
            await AddEntryAsync(i % 2 == 0 ? clinic : other, day);
        }

        await Task.WhenAll(
            [
                clinic.PostAsync($"{clinic.Base}/sessions/{session["id"]}/cancel", new { reason = "Unwell" }, HttpStatusCode.OK),
                .. Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? other : clinic).GetAsync($"{clinic.Base}/waitlist")),
            ]);

        var queue = await QueueAsync(other);
        Assert.Single(queue, e => (string)e!["status"]! == "Offered");
        Assert.Equal(6, queue.Count);
    }

    [Fact]
    public async Task A_new_chair_offers_its_time_to_a_waiting_entry_at_once_before_anyone_reads_the_waitlist()
    {
        var (clinic, _, day, _) = await FullChairAsync();
        var entry = await AddEntryAsync(clinic, day);
        Assert.Empty(await OffersAsync(clinic));

        var chair = (string)(await clinic.PostAsync($"{clinic.Base}/chairs", new { name = "Chair 2" }, HttpStatusCode.Created))["id"]!;

        var offer = Assert.Single(await OffersAsync(clinic));
        Assert.Equal((string)entry["id"]!, (string)offer!["resourceId"]!);
        var reservation = await clinic.GetAsync($"{clinic.Base}/reservations/{(await QueueAsync(clinic))[0]!["reservationId"]}");
        Assert.Equal(chair, (string)reservation["chairId"]!);
    }

    [Fact]
    public async Task A_chair_back_in_service_offers_its_time_to_a_waiting_entry_at_once()
    {
        var (clinic, _, day, _) = await FullChairAsync();
        var spare = await clinic.AddChairAsync();
        await clinic.PatchAsync($"{clinic.Base}/chairs/{spare}", new { inService = false }, HttpStatusCode.OK);
        await AddEntryAsync(clinic, day);
        Assert.Empty(await OffersAsync(clinic));

        await clinic.PatchAsync($"{clinic.Base}/chairs/{spare}", new { inService = true }, HttpStatusCode.OK);

        Assert.Single(await OffersAsync(clinic));
    }

    [Fact]
    public async Task Raising_the_clinics_start_limit_offers_the_starts_it_adds_to_a_waiting_entry_at_once()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync(maxStartsPerSlot: 1);
        var chair = await clinic.AddChairAsync();
        await clinic.AddChairAsync();
        var day = ClinicDriver.NextWeekday(factory.Clock.GetCurrentInstant());
        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = await clinic.AddPatientAsync(), chairId = chair, start = $"{day}T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        await AddEntryAsync(clinic, day);
        Assert.Empty(await OffersAsync(clinic));

        await clinic.PatchAsync(clinic.Base, new { maxStartsPerSlot = 2 }, HttpStatusCode.OK);

        Assert.Single(await OffersAsync(clinic));
    }

    [Fact]
    public async Task A_nurses_new_shift_offers_the_time_it_staffs_to_a_waiting_entry_at_once()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        await clinic.AddChairAsync();
        await clinic.PatchAsync(clinic.Base, new { nursing = new { enabled = true } }, HttpStatusCode.OK);
        var day = ClinicDriver.NextWeekday(factory.Clock.GetCurrentInstant());
        var nurse = (string)(await clinic.PostAsync($"{clinic.Base}/staff", new { name = "Test Nurse", kinds = new[] { "nurse" } }, HttpStatusCode.Created))["id"]!;
        await AddEntryAsync(clinic, day);
        Assert.Empty(await OffersAsync(clinic));

        await clinic.PostAsync($"{clinic.Base}/staff/{nurse}/shifts", new { date = day, starts = "08:00", ends = "17:00" }, HttpStatusCode.Created);

        var offer = Assert.Single(await OffersAsync(clinic));
        var booked = await clinic.PostAsync($"{clinic.Base}/waitlist/{offer!["resourceId"]}/accept", null, HttpStatusCode.Created);
        Assert.Equal(nurse, (string)booked["nurseId"]!);
    }

    [Fact]
    public async Task Two_entries_wanting_time_only_one_nurse_can_staff_get_one_offer_with_that_nurse_and_the_other_waits()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        await clinic.AddChairAsync();
        await clinic.PatchAsync(clinic.Base, new { nursing = new { enabled = true, patientsPerNurse = 1, setupMinutes = 0 } }, HttpStatusCode.OK);
        var day = ClinicDriver.NextWeekday(factory.Clock.GetCurrentInstant());
        var nurse = (string)(await clinic.PostAsync($"{clinic.Base}/staff", new { name = "Test Nurse", kinds = new[] { "nurse" } }, HttpStatusCode.Created))["id"]!;
        await clinic.PostAsync($"{clinic.Base}/staff/{nurse}/shifts", new { date = day, starts = "08:00", ends = "17:00" }, HttpStatusCode.Created);
        var session = await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = await clinic.AddPatientAsync(), chairId = chair, start = $"{day}T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        var first = await AddEntryAsync(clinic, day);
        await AddEntryAsync(clinic, day);
        Assert.Empty(await OffersAsync(clinic));

        await clinic.PostAsync($"{clinic.Base}/sessions/{session["id"]}/cancel", new { reason = "Unwell" }, HttpStatusCode.OK);

        var queue = await QueueAsync(clinic);
        Assert.Equal(["Offered", "Waiting"], queue.Select(e => (string)e!["status"]!));
        Assert.Equal((string)first["id"]!, (string)queue[0]!["id"]!);
        var offer = await clinic.GetAsync($"{clinic.Base}/reservations/{queue[0]!["reservationId"]}");
        Assert.Equal(nurse, (string)offer["nurseId"]!);
    }

    /// <summary>The clinic's <c>waitlist.offered</c> events, read from the feed, which makes no offers itself.</summary>
    private static async Task<List<JsonNode?>> OffersAsync(ClinicDriver clinic) =>
        (await clinic.GetAsync($"{clinic.Base}/events?limit=100"))["items"]!.AsArray().Where(e => (string)e!["type"]! == "waitlist.offered").ToList();

    /// <summary>A clinic whose one chair is booked at 10:00 on a weekday a week or more after the clock's today.</summary>
    private async Task<(ClinicDriver Clinic, string Chair, string Day, string Session)> FullChairAsync()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        var date = factory.Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).Date.PlusDays(7);
        while (date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
        {
            date = date.PlusDays(1);
        }

        var day = LocalDatePattern.Iso.Format(date);
        var session = await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = await clinic.AddPatientAsync(), chairId = chair, start = $"{day}T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        return (clinic, chair, day, (string)session["id"]!);
    }

    /// <summary>An entry that fits only a 10:00 start on <paramref name="day"/>.</summary>
    private static async Task<JsonObject> AddEntryAsync(ClinicDriver clinic, string day) =>
        await clinic.PostAsync($"{clinic.Base}/waitlist", new
        {
            patientId = await clinic.AddPatientAsync(), earliestDate = day, latestDate = day, earliestTime = "10:00", latestTime = "10:00", infusionMinutes = 40, note = "Prefers mornings",
        }, HttpStatusCode.Created);

    private static async Task<JsonArray> QueueAsync(ClinicDriver clinic) => (await clinic.GetAsync($"{clinic.Base}/waitlist"))["items"]!.AsArray();
}
