using System.Net;
using System.Text.Json.Nodes;
using KetamineScheduling.Tests.Api;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Tests.Integration;

/// <summary>Webhooks deliver every change at least once, in order, signed, however often the receiver fails first.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class WebhookTests(IntegrationFactory factory)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly HttpClient client = factory.NewClient();

    [Fact]
    public async Task Registering_a_webhook_returns_its_id_and_a_whsec_secret_that_is_never_shown_again()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();

        using var response = await clinic.Client.PostAsync($"{clinic.Base}/webhooks", System.Net.Http.Json.JsonContent.Create(new { url = "https://ehr.example.org/hook" }));

        var created = await ClinicDriver.ReadAsync(response, HttpStatusCode.Created);
        var secret = (string)created["secret"]!;
        Assert.StartsWith("whsec_", secret);
        Assert.True(Convert.FromBase64String(secret[6..]).Length >= 24);
        Assert.Equal($"{clinic.Base}/webhooks/{created["id"]}", response.Headers.Location?.OriginalString);
        var read = await clinic.GetAsync($"{clinic.Base}/webhooks/{created["id"]}");
        Assert.False(read.ContainsKey("secret"));
        Assert.Null(read["events"]);
        var listed = (await clinic.GetAsync($"{clinic.Base}/webhooks"))["items"]!.AsArray().Single()!.AsObject();
        Assert.Equal((string)created["id"]!, (string)listed["id"]!);
        Assert.False(listed.ContainsKey("secret"));
    }

    [Fact]
    public async Task A_receiver_that_fails_its_first_deliveries_still_gets_every_event_in_order_with_valid_signatures()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 3);
        var cursor = (string)(await clinic.GetAsync($"{clinic.Base}/events"))["nextCursor"]!;
        var webhook = await RegisterAsync(clinic, receiver);

        var first = await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair, "2027-05-03T10:00"), HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair, "2027-05-04T10:00"), HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/sessions/{first["id"]}/reschedule", new { start = "2027-05-05T10:00" }, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/sessions/{first["id"]}/cancel", new { reason = "Unwell" }, HttpStatusCode.OK);
        var expected = (await clinic.GetAsync($"{clinic.Base}/events?after={cursor}"))["items"]!.AsArray().Select(e => e!.AsObject()).ToList();

        // The clock only moves when the test moves it: each step lets the next backoff (1, 2, 4 s) pass.
        await Eventually.HoldsAsync(() => receiver.Received.Count >= expected.Count, Patience, () => factory.Clock.Advance(Duration.FromSeconds(5)), "every event");

        Assert.Equal(expected.Select(e => (long)e["id"]!), receiver.Received.Select(d => d.Id));
        Assert.Equal(["session.booked", "session.booked", "session.rescheduled", "session.cancelled"], receiver.Received.Select(d => (string)d.Payload["type"]!));
        // The receiver has the last event a moment before the API records that attempt.
        var deliveries = $"{clinic.Base}/webhooks/{webhook}/deliveries";
        await Eventually.HoldsAsync(async () => (await clinic.GetAsync(deliveries))["items"]!.AsArray().Count >= 7, Patience, what: "every attempt in the log");
        var log = (await clinic.GetAsync(deliveries))["items"]!.AsArray().Reverse().ToList();
        Assert.Equal([500, 500, 500, 204, 204, 204, 204], log.Select(a => (int)a!["statusCode"]!));
        Assert.Equal([1, 2, 3, 4, 1, 1, 1], log.Select(a => (int)a!["attempt"]!));
        Assert.All(log.Take(4), a => Assert.Equal((long)expected[0]["id"]!, (long)a!["eventId"]!));
    }

    [Fact]
    public async Task A_payload_names_the_change_and_carries_no_patient_details()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        await using var receiver = await WebhookReceiver.StartAsync();
        await RegisterAsync(clinic, receiver);

        var session = await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair), HttpStatusCode.Created);

        await Eventually.HoldsAsync(() => receiver.Received.Count == 1, Patience);
        var delivery = receiver.Received.Single();
        var payload = delivery.Payload;
        Assert.Equal(["type", "timestamp", "data"], payload.Select(p => p.Key));
        Assert.Equal("session.booked", (string)payload["type"]!);
        Assert.Equal(InstantPattern.General.Format(factory.Clock.GetCurrentInstant()), (string)payload["timestamp"]!);
        var data = payload["data"]!.AsObject();
        Assert.Equal(["clinicId", "resourceType", "resourceId", "version", "eventId"], data.Select(p => p.Key));
        Assert.Equal(clinic.ClinicId, (string)data["clinicId"]!);
        Assert.Equal((string)session["id"]!, (string)data["resourceId"]!);
        Assert.Equal(1, (int)data["version"]!);
        Assert.Equal(delivery.Id, (long)data["eventId"]!);
        Assert.Equal(factory.Clock.GetCurrentInstant().ToUnixTimeSeconds(), delivery.Timestamp);
    }

    [Fact]
    public async Task A_failed_delivery_is_tried_again_after_a_backoff_that_doubles()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: int.MaxValue);
        var webhook = await RegisterAsync(clinic, receiver);
        await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair), HttpStatusCode.Created);

        await Eventually.HoldsAsync(() => receiver.Requests == 1, Patience);
        var afterFirst = await RecordedAsync(clinic, webhook, failedAttempts: 1);
        await Task.Delay(300);
        var stillOne = receiver.Requests;
        factory.Clock.Advance(Duration.FromSeconds(1));
        await Eventually.HoldsAsync(() => receiver.Requests == 2, Patience);
        var afterSecond = await RecordedAsync(clinic, webhook, failedAttempts: 2);
        factory.Clock.Advance(Duration.FromSeconds(1));
        await Task.Delay(300);
        var stillTwo = receiver.Requests;
        factory.Clock.Advance(Duration.FromSeconds(1));
        await Eventually.HoldsAsync(() => receiver.Requests == 3, Patience);

        Assert.Equal(1, stillOne);
        Assert.Equal(2, stillTwo);
        Assert.Equal(1, (int)afterFirst["failedAttempts"]!);
        Assert.Equal(2, (int)afterSecond["failedAttempts"]!);
        var start = factory.Clock.GetCurrentInstant() - Duration.FromSeconds(3);
        Assert.Equal(InstantPattern.General.Format(start + Duration.FromSeconds(1)), (string)afterFirst["nextAttemptAt"]!);
        Assert.Equal(InstantPattern.General.Format(start + Duration.FromSeconds(3)), (string)afterSecond["nextAttemptAt"]!);
        await clinic.Client.DeleteAsync($"{clinic.Base}/webhooks/{webhook}");
    }

    [Fact]
    public async Task A_webhook_receives_only_the_event_types_it_subscribed_to()
    {
        var (clinic, session) = await Requests.StartedSessionAsync(factory.Clock, client);
        await using var receiver = await WebhookReceiver.StartAsync();
        await RegisterAsync(clinic, receiver, ["session.cancelled"]);

        await clinic.PostAsync($"{session}/check-in", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{session}/complete", null, HttpStatusCode.OK);
        var other = await BookAnotherAsync(clinic);
        await clinic.PostAsync($"{other}/cancel", new { reason = "Unwell" }, HttpStatusCode.OK);

        await Eventually.HoldsAsync(() => receiver.Received.Count == 1, Patience);
        await Task.Delay(300);
        Assert.Equal(["session.cancelled"], receiver.Received.Select(d => (string)d.Payload["type"]!));
    }

    [Fact]
    public async Task A_deleted_webhook_receives_nothing_more_and_is_gone()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        await using var receiver = await WebhookReceiver.StartAsync();
        var webhook = await RegisterAsync(clinic, receiver);
        await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair, "2027-05-03T10:00"), HttpStatusCode.Created);
        await Eventually.HoldsAsync(() => receiver.Received.Count == 1, Patience);

        using var deleted = await clinic.Client.DeleteAsync($"{clinic.Base}/webhooks/{webhook}");
        await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair, "2027-05-04T10:00"), HttpStatusCode.Created);
        await Task.Delay(300);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Single(receiver.Received);
        await clinic.GetAsync($"{clinic.Base}/webhooks/{webhook}", HttpStatusCode.NotFound);
        Assert.Empty((await clinic.GetAsync($"{clinic.Base}/webhooks"))["items"]!.AsArray());
    }

    [Fact]
    public async Task An_unknown_event_type_is_a_400_naming_it()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();

        using var response = await clinic.Client.PostAsync($"{clinic.Base}/webhooks",
            System.Net.Http.Json.JsonContent.Create(new { url = "https://ehr.example.org/hook", events = new[] { "session.booked", "session.moved" } }));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("session.moved", (string)problem["errors"]!["events[1]"]![0]!);
    }

    [Fact]
    public async Task Every_event_type_the_API_appends_is_one_a_webhook_can_subscribe_to()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        var plan = await clinic.PostAsync($"{clinic.Base}/treatment-plans", OptimisticConcurrencyTests.Plan(patient), HttpStatusCode.Created);
        var plans = $"{clinic.Base}/treatment-plans/{plan["id"]}";
        await clinic.PostAsync($"{plans}/book", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{plans}/hold", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{plans}/resume", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{plans}/discontinue", null, HttpStatusCode.OK);
        var session = $"{clinic.Base}/sessions/{(await clinic.BookStartedAsync(factory.Clock, chairId: chair))["id"]}";
        await clinic.PostAsync($"{session}/check-in", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{session}/complete", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/sessions/{(await clinic.BookStartedAsync(factory.Clock))["id"]}/no-show", null, HttpStatusCode.OK);
        await clinic.PatchAsync($"{clinic.Base}/chairs/{chair}", new { name = "Renamed chair" }, HttpStatusCode.OK);
        await clinic.PatchAsync($"{clinic.Base}/patients/{patient}", new { displayName = "Renamed Patient" }, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/closed-dates", new { date = "2027-12-24" }, HttpStatusCode.Created);
        var types = (await clinic.GetAsync($"{clinic.Base}/events?limit=200"))["items"]!.AsArray().Select(e => (string)e!["type"]!).Distinct().ToList();

        using var response = await clinic.Client.PostAsync($"{clinic.Base}/webhooks",
            System.Net.Http.Json.JsonContent.Create(new { url = "https://ehr.example.org/hook", events = types }));

        Assert.True(types.Count >= 10, string.Join(", ", types));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Registers a webhook to <paramref name="receiver"/> and gives the receiver its secret; returns the webhook's id.</summary>
    private static async Task<string> RegisterAsync(ClinicDriver clinic, WebhookReceiver receiver, string[]? events = null)
    {
        var created = await clinic.PostAsync($"{clinic.Base}/webhooks", new { url = receiver.Url, events }, HttpStatusCode.Created);
        receiver.Secret = (string)created["secret"]!;
        return (string)created["id"]!;
    }

    /// <summary>
    /// Reads the webhook once the API has recorded <paramref name="failedAttempts"/> failures: the receiver
    /// answers a moment before the API writes down how that attempt went.
    /// </summary>
    private static async Task<JsonObject> RecordedAsync(ClinicDriver clinic, string webhook, int failedAttempts)
    {
        JsonObject read = [];
        await Eventually.HoldsAsync(
            async () => (int)(read = await clinic.GetAsync($"{clinic.Base}/webhooks/{webhook}"))["failedAttempts"]! >= failedAttempts,
            Patience, what: $"{failedAttempts} recorded failures");
        return read;
    }

    private static int booked;

    /// <summary>Books a further session for a new patient on the next of June's working days; returns its path.</summary>
    private static async Task<string> BookAnotherAsync(ClinicDriver clinic, string? chair = null)
    {
        int[] workingDays = [7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26];
        var day = workingDays[Interlocked.Increment(ref booked) % workingDays.Length];
        var session = await clinic.PostAsync($"{clinic.Base}/sessions",
            Requests.Booking(await clinic.AddPatientAsync(), chair ?? await clinic.AddChairAsync(), $"2027-06-{day:00}T10:00"), HttpStatusCode.Created);
        return $"{clinic.Base}/sessions/{session["id"]}";
    }
}
