using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Ical.Net;
using Ical.Net.CalendarComponents;
using KetamineScheduling.Tests.Integration;

namespace KetamineScheduling.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class CalendarFeedsApiTests(ApiFactory factory)
{
    private readonly HttpClient phone = factory.NewClient(key: null);

    private static object Booking(string patientId, string chairId, string start) =>
        new { patientId, chairId, start, infusionMinutes = 40 };

    private static string FeedsOf(ClinicDriver clinic, string patientId) => $"{clinic.Base}/patients/{patientId}/calendar-feeds";

    private async Task<(ClinicDriver Clinic, string Chair, string Patient)> ArrangeAsync(string timeZone = "America/New_York")
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync(timeZone);
        return (clinic, await clinic.AddChairAsync(), await clinic.AddPatientAsync());
    }

    private async Task<Calendar> FetchAsync(string url)
    {
        using var response = await phone.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        return Calendar.Load(await response.Content.ReadAsStringAsync())!;
    }

    private static CalendarEvent EventOf(Calendar calendar, string sessionId) =>
        Assert.Single(calendar.Events, e => e.Uid == $"{sessionId}@ketamine-scheduling");

    [Fact]
    public async Task A_feed_shows_each_sessions_local_start_and_instant_on_both_sides_of_the_spring_change()
    {
        var (clinic, chair, patient) = await ArrangeAsync();
        // New York moves its clocks forward on Sunday 14 March 2027: 10:00 is 15:00 UTC on the Saturday, 14:00 UTC on the Monday.
        var before = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(patient, chair, "2027-03-13T10:00"), HttpStatusCode.Created);
        var after = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(patient, chair, "2027-03-15T10:00"), HttpStatusCode.Created);
        var feed = await clinic.PostAsync(FeedsOf(clinic, patient), null, HttpStatusCode.Created);

        var calendar = await FetchAsync((string)feed["url"]!);

        Assert.Equal("2.0", calendar.Version);
        Assert.Equal("PUBLISH", calendar.Method);
        Assert.False(string.IsNullOrEmpty(calendar.ProductId));
        Assert.Equal("Test clinic", calendar.Properties["X-WR-CALNAME"]?.Value);
        Assert.Equal("America/New_York", Assert.Single(calendar.TimeZones).TzId);
        foreach (var (session, utcHour) in new[] { (before, 15), (after, 14) })
        {
            var e = EventOf(calendar, (string)session["id"]!);
            Assert.Equal("America/New_York", e.DtStart!.TzId);
            Assert.Equal((10, 0), (e.DtStart.Hour, e.DtStart.Minute));
            Assert.Equal(new DateTime(2027, 3, e.DtStart.Day, utcHour, 0, 0, DateTimeKind.Utc), e.DtStart.AsUtc);
            // Infusion and observation: 40 + 30 minutes, cleaning left out.
            Assert.Equal((11, 10), (e.DtEnd!.Hour, e.DtEnd.Minute));
            Assert.Equal("CONFIRMED", e.Status);
            Assert.Equal("Appointment at Test clinic", e.Summary);
            Assert.NotNull(e.DtStamp);
            Assert.NotNull(e.LastModified);
        }

        Assert.Equal([13, 15], calendar.Events.Select(e => e.DtStart!.Day).Order());
    }

    [Fact]
    public async Task A_rescheduled_session_has_a_higher_sequence_and_a_cancelled_or_missed_one_is_cancelled()
    {
        var (clinic, chair, patient) = await ArrangeAsync();
        var moved = (string)(await clinic.PostAsync($"{clinic.Base}/sessions", Booking(patient, chair, "2027-02-01T10:00"), HttpStatusCode.Created))["id"]!;
        var cancelled = (string)(await clinic.PostAsync($"{clinic.Base}/sessions", Booking(patient, chair, "2027-02-03T10:00"), HttpStatusCode.Created))["id"]!;
        // A no-show is recorded only once the session has started: this one starts now, on the shared clock.
        var started = await clinic.BookStartedAsync(factory.Clock, patient, chair);
        var missed = (string)started["id"]!;
        var startedAt = NodaTime.Text.OffsetDateTimePattern.Rfc3339.Parse((string)started["start"]!).Value.ToInstant();
        if (startedAt > factory.Clock.GetCurrentInstant())
        {
            factory.Clock.Reset(startedAt);
        }
        var url = (string)(await clinic.PostAsync(FeedsOf(clinic, patient), null, HttpStatusCode.Created))["url"]!;
        var first = await FetchAsync(url);

        await clinic.PostAsync($"{clinic.Base}/sessions/{moved}/reschedule", new { start = "2027-02-02T11:00" }, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/sessions/{cancelled}/cancel", new { reason = "Away" }, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/sessions/{missed}/no-show", null, HttpStatusCode.OK);
        var second = await FetchAsync(url);

        Assert.True(EventOf(second, moved).Sequence > EventOf(first, moved).Sequence);
        Assert.Equal((2, 11), (EventOf(second, moved).DtStart!.Day, EventOf(second, moved).DtStart!.Hour));
        Assert.Equal("CONFIRMED", EventOf(second, moved).Status);
        Assert.Equal("CANCELLED", EventOf(second, cancelled).Status);
        Assert.Equal("CANCELLED", EventOf(second, missed).Status);
        Assert.True(EventOf(second, cancelled).Sequence > EventOf(first, cancelled).Sequence);
    }

    [Fact]
    public async Task An_unchanged_feed_answers_304_to_its_etag_and_a_changed_one_sends_the_new_calendar()
    {
        var (clinic, chair, patient) = await ArrangeAsync();
        var session = (string)(await clinic.PostAsync($"{clinic.Base}/sessions", Booking(patient, chair, "2027-02-01T10:00"), HttpStatusCode.Created))["id"]!;
        var url = (string)(await clinic.PostAsync(FeedsOf(clinic, patient), null, HttpStatusCode.Created))["url"]!;
        using var first = await phone.GetAsync(url);
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);

        // An hour later nothing has changed: the text, and so its tag, does not depend on the time of the fetch.
        factory.Clock.AdvanceMinutes(60);
        using var again = await Conditional(url, etag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(etag, again.Headers.ETag);
        factory.Clock.AdvanceMinutes(-60);

        await clinic.PostAsync($"{clinic.Base}/sessions/{session}/cancel", new { reason = "Away" }, HttpStatusCode.OK);
        using var changed = await Conditional(url, etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    [Fact]
    public async Task HEAD_on_a_feed_answers_its_headers_without_the_calendar_and_404_for_an_unknown_token()
    {
        var (clinic, chair, patient) = await ArrangeAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(patient, chair, "2027-02-01T10:00"), HttpStatusCode.Created);
        var url = (string)(await clinic.PostAsync(FeedsOf(clinic, patient), null, HttpStatusCode.Created))["url"]!;
        using var fetched = await phone.GetAsync(url);

        using var head = await phone.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        using var unknown = await phone.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/calendar-feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(fetched.Headers.ETag, head.Headers.ETag);
        Assert.Equal("text/calendar", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<HttpResponseMessage> Conditional(string url, EntityTagHeaderValue etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(etag);
        return await phone.SendAsync(request);
    }

    [Fact]
    public async Task A_revoked_feed_and_an_unknown_token_answer_404()
    {
        var (clinic, _, patient) = await ArrangeAsync();
        var feed = await clinic.PostAsync(FeedsOf(clinic, patient), null, HttpStatusCode.Created);
        var url = (string)feed["url"]!;
        await FetchAsync(url);

        using var revoked = await clinic.Client.DeleteAsync($"{FeedsOf(clinic, patient)}/{feed["id"]}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        var problem = await ClinicDriver.ProblemAsync(await phone.GetAsync(url), HttpStatusCode.NotFound);
        Assert.DoesNotContain(url[(url.LastIndexOf('/') + 1)..^4], problem.ToJsonString(), StringComparison.Ordinal);
        await ClinicDriver.ProblemAsync(await phone.GetAsync("/v1/calendar-feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics"), HttpStatusCode.NotFound);
        var listed = Assert.Single((await clinic.GetAsync(FeedsOf(clinic, patient)))["items"]!.AsArray())!;
        Assert.NotNull(listed["revokedAt"]);
    }

    [Fact]
    public async Task The_token_is_shown_once_and_the_database_keeps_only_its_hash()
    {
        var (clinic, _, patient) = await ArrangeAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, FeedsOf(clinic, patient));
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await clinic.Client.SendAsync(request);
        var feed = await ClinicDriver.ReadAsync(response, HttpStatusCode.Created);
        var url = (string)feed["url"]!;
        var token = url[(url.LastIndexOf('/') + 1)..^".ics".Length];

        Assert.True(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "=").Length >= 16);
        var list = (await clinic.GetAsync(FeedsOf(clinic, patient))).ToJsonString();
        Assert.Contains((string)feed["id"]!, list, StringComparison.Ordinal);
        Assert.DoesNotContain(token, list, StringComparison.Ordinal);
        Assert.False(DatabaseDump.Holds(factory.DatabasePath, token));
    }

    [Fact]
    public async Task A_patients_app_makes_its_own_feeds_and_gets_404_for_another_patients()
    {
        var (clinic, _, patient) = await ArrangeAsync();
        var other = await clinic.AddPatientAsync();
        var app = clinic.WithKey((await clinic.IssueKeyAsync("patient-app", patient)).Key);

        await app.PostAsync(FeedsOf(clinic, patient), null, HttpStatusCode.Created);
        await app.PostAsync(FeedsOf(clinic, other), null, HttpStatusCode.NotFound);
        await app.GetAsync(FeedsOf(clinic, other), HttpStatusCode.NotFound);
        Assert.Single((await app.GetAsync(FeedsOf(clinic, patient)))["items"]!.AsArray());
    }

    [Fact]
    public async Task Every_fetch_is_in_the_patients_audit_trail()
    {
        var (clinic, _, patient) = await ArrangeAsync();
        var feed = await clinic.PostAsync(FeedsOf(clinic, patient), null, HttpStatusCode.Created);
        await FetchAsync((string)feed["url"]!);

        var trail = (await clinic.GetAsync($"{clinic.Base}/audit-events?patientId={patient}"))["items"]!.AsArray().Select(e => e!.AsObject()).ToList();

        var fetch = Assert.Single(trail, e => (string)e["action"]! == "FetchCalendarFeed");
        Assert.Equal(("calendar-feed", (string)feed["id"]!, "succeeded"), ((string)fetch["resourceType"]!, (string?)fetch["resourceId"], (string)fetch["outcome"]!));
        Assert.Contains(trail, e => (string)e["action"]! == "CreateCalendarFeed" && (string?)e["resourceId"] == (string)feed["id"]!);
    }

    [Fact]
    public async Task A_clinic_may_name_its_events_itself()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync(calendarEventTitle: "Riverside visit");
        var chair = await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", Booking(patient, chair, "2027-02-01T10:00"), HttpStatusCode.Created);
        var url = (string)(await clinic.PostAsync(FeedsOf(clinic, patient), null, HttpStatusCode.Created))["url"]!;

        Assert.Equal("Riverside visit", (string)(await clinic.GetAsync(clinic.Base))["calendarEventTitle"]!);
        Assert.Equal("Riverside visit", Assert.Single((await FetchAsync(url)).Events).Summary);
    }

    [Fact]
    public async Task An_event_title_longer_than_100_characters_is_a_400_naming_it()
    {
        using var response = await factory.NewClient().PostAsJsonAsync("/v1/clinics", new
        {
            name = "Long title clinic",
            timeZone = "Europe/London",
            openingHours = new[] { new { day = "Monday", opens = "08:00", closes = "17:00" } },
            calendarEventTitle = new string('x', 101),
        });

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["calendarEventTitle"]);
    }
}
