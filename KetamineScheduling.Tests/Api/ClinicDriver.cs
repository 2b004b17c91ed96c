using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Testing;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// Sets up a clinic the way a client would, over HTTP, and reads JSON answers. Made with a platform admin's
/// client; once the clinic exists, <see cref="Client"/> carries a clinic-admin key of that clinic.
/// </summary>
internal sealed class ClinicDriver(HttpClient client)
{
    // One handler for every client the tests make, so each key does not open its own connections.
    private static readonly SocketsHttpHandler SharedHandler = new();

    public static readonly string[] MondayToSaturday = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    public static readonly string[] EveryDay = [.. MondayToSaturday, "Sunday"];

    private static int chairs;

    public HttpClient Client { get; private set; } = client;

    /// <summary>The clinic-admin key <see cref="Client"/> carries once the clinic exists.</summary>
    public string Key { get; private set; } = "";

    /// <summary>The id of <see cref="Key"/>.</summary>
    public string KeyId { get; private set; } = "";

    public string ClinicId { get; private set; } = "";

    public string Base => $"/v1/clinics/{ClinicId}";

    /// <summary>
    /// A clinic open Monday to Saturday, 08:00 to 17:00, with the given zone and closed dates, and a clinic-admin key
    /// for it. Unlike the API's default, its plans need no intake before booking unless <paramref name="intakeRequired"/>.
    /// </summary>
    /// <remarks>
    /// Unlike the API's own default, too, the clinic does not require readiness unless <paramref name="readinessRequired"/>
    /// says so: tests that are not about readiness check a session in and complete it, as a clinic without readiness
    /// checks does. Tests of readiness, dosing and discharge ask for it; a clinic created without the field requiring
    /// readiness is tested in InfusionApiTests.
    /// </remarks>
    public async Task<ClinicDriver> CreateClinicAsync(
        string timeZone = "Europe/London", string[]? closedDates = null, int? maxStartsPerSlot = null, string opens = "08:00", string closes = "17:00", string[]? days = null,
        bool patientsMayCancel = false, int slotMinutes = 15, int turnoverMinutes = 15, int observationMinutes = 30, string? calendarEventTitle = null,
        bool intakeRequired = false, bool readinessRequired = false)
    {
        var hours = (days ?? MondayToSaturday).Select(d => new { day = d, opens, closes });
        var clinic = await PostAsync("/v1/clinics", new
        {
            name = "Test clinic",
            timeZone,
            openingHours = hours,
            closedDates = closedDates ?? [],
            maxStartsPerSlot,
            patientsMayCancel,
            slotMinutes,
            turnoverMinutes,
            observationMinutes,
            calendarEventTitle,
            intakeRequired,
            readinessRequired,
        }, HttpStatusCode.Created);
        ClinicId = (string)clinic["id"]!;
        (KeyId, Key) = await IssueKeyAsync("clinic-admin");
        Client = NewClient(Client.BaseAddress!, Key);
        return this;
    }

    /// <summary>Issues a key of this clinic with <paramref name="role"/>; a patient-app key needs <paramref name="patientId"/>.</summary>
    public async Task<(string Id, string Key)> IssueKeyAsync(string role, string? patientId = null, string? expiresAt = null)
    {
        var key = await PostAsync($"{Base}/api-keys", new { name = $"Test {role}", role, patientId, expiresAt }, HttpStatusCode.Created);
        return ((string)key["id"]!, (string)key["key"]!);
    }

    /// <summary>This clinic, driven with another of its keys.</summary>
    public ClinicDriver WithKey(string key) => new(NewClient(Client.BaseAddress!, key)) { ClinicId = ClinicId };

    /// <summary>This clinic, driven with the same key on another instance of the API.</summary>
    public ClinicDriver On(ApiProcess instance) => new(instance.NewClient(Client.DefaultRequestHeaders.Authorization!.Parameter!)) { ClinicId = ClinicId };

    /// <inheritdoc cref="On(ApiProcess)"/>
    public ClinicDriver On(ApiFactory instance) => new(instance.NewClient(Client.DefaultRequestHeaders.Authorization!.Parameter!)) { ClinicId = ClinicId };

    /// <summary>A client carrying a new key of this clinic with <paramref name="role"/>.</summary>
    public async Task<HttpClient> ClientForAsync(string role, string? patientId = null) =>
        NewClient(Client.BaseAddress!, (await IssueKeyAsync(role, patientId)).Key);

    /// <summary>A client of the server at <paramref name="address"/> carrying <paramref name="key"/>, or no key for null.</summary>
    public static HttpClient NewClient(Uri address, string? key)
    {
        var client = new HttpClient(SharedHandler, disposeHandler: false) { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Adds a chair; chair names are unique in a clinic, so each gets its own unless one is given.</summary>
    public async Task<string> AddChairAsync(string? name = null) =>
        (string)(await PostAsync($"{Base}/chairs", new { name = name ?? $"Chair {Interlocked.Increment(ref chairs)}" }, HttpStatusCode.Created))["id"]!;

    /// <summary>Registers an active member of staff who prescribes (and, when asked, also nurses): their id.</summary>
    public async Task<string> AddPrescriberAsync(string name = "Dr Test Prescriber") =>
        (string)(await PostAsync($"{Base}/staff", new { name, kinds = new[] { "prescriber" }, npi = "1234567893" }, HttpStatusCode.Created))["id"]!;

    public async Task<string> AddPatientAsync(string? externalId = null, string displayName = "Test Patient") =>
        (string)(await PostAsync($"{Base}/patients", new { externalId = externalId ?? Guid.NewGuid().ToString("N"), displayName }, HttpStatusCode.Created))["id"]!;

    /// <summary>
    /// A draft plan starting <paramref name="startDate"/> at 10:00: the default protocol, or an induction of
    /// <paramref name="inductionSessions"/> two days apart and no maintenance.
    /// </summary>
    public Task<JsonObject> AddPlanAsync(string patientId, string startDate = "2027-01-11", int? inductionSessions = null) =>
        PostAsync($"{Base}/treatment-plans", inductionSessions is { } sessions
            ? new { patientId, startDate, preferredStartTime = "10:00", induction = new { sessions, intervalDays = 2, maxIntervalDays = 3 }, maintenance = new { sessions = 0 } }
            : new { patientId, startDate, preferredStartTime = "10:00" }, HttpStatusCode.Created);

    /// <summary>A plan of <paramref name="inductionSessions"/> induction sessions from 11 January 2027, booked: the booked plan.</summary>
    public async Task<JsonObject> BookPlanAsync(string patientId, int inductionSessions) =>
        await PostAsync($"{Base}/treatment-plans/{(await AddPlanAsync(patientId, inductionSessions: inductionSessions))["id"]}/book", null, HttpStatusCode.OK);

    /// <summary>
    /// A session of 40 minutes booked in a new chair for a new patient (or the ones given) at the next quarter hour
    /// at least fifteen minutes after <paramref name="clock"/>'s now, and the clock moved on to its start, so that it
    /// may be checked in, completed or marked a no-show. The clinic must be open 08:00-17:00 Monday to Saturday in
    /// Europe/London; when today has no room left, the session is on the next open morning.
    /// </summary>
    public async Task<JsonObject> BookStartedAsync(FakeClock clock, string? patientId = null, string? chairId = null)
    {
        var start = NextStart(clock.GetCurrentInstant());
        var session = await PostAsync($"{Base}/sessions", new
        {
            patientId = patientId ?? await AddPatientAsync(),
            chairId = chairId ?? await AddChairAsync(),
            start = start.LocalDateTime.ToString("uuuu-MM-dd'T'HH:mm", null),
            infusionMinutes = 40,
        }, HttpStatusCode.Created);
        if (start.ToInstant() > clock.GetCurrentInstant())
        {
            clock.Reset(start.ToInstant());
        }

        return session;
    }

    /// <summary>The first quarter hour at least 15 minutes after <paramref name="now"/> where 85 minutes of chair time end by 17:00 (15:30 at the latest), Monday to Saturday, London time.</summary>
    private static ZonedDateTime NextStart(Instant now)
    {
        var zone = DateTimeZoneProviders.Tzdb["Europe/London"];
        var local = now.Plus(Duration.FromMinutes(15)).InZone(zone).LocalDateTime;
        var candidate = local.Date.At(new LocalTime(local.Hour, 0)).PlusMinutes((local.Minute + 14) / 15 * 15);
        if (candidate.TimeOfDay > new LocalTime(15, 30))
        {
            candidate = candidate.Date.PlusDays(1).At(new LocalTime(8, 0));
        }

        if (candidate.TimeOfDay < new LocalTime(8, 0))
        {
            candidate = candidate.Date.At(new LocalTime(8, 0));
        }

        while (candidate.DayOfWeek == IsoDayOfWeek.Sunday)
        {
            candidate = candidate.Date.PlusDays(1).At(new LocalTime(8, 0));
        }

        return candidate.InZoneLeniently(zone);
    }

    public async Task<JsonObject> PostAsync(string path, object? body, HttpStatusCode expected)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
        return await ReadAsync(response, expected);
    }

    /// <summary>Sends a PATCH with a JSON body and, when given, an If-Match header.</summary>
    public async Task<HttpResponseMessage> PatchAsync(string path, object body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await Client.SendAsync(request);
    }

    public async Task<JsonObject> PatchAsync(string path, object body, HttpStatusCode expected, string? ifMatch = null)
    {
        using var response = await PatchAsync(path, body, ifMatch);
        return await ReadAsync(response, expected);
    }

    public async Task<JsonObject> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Client.GetAsync(path);
        return await ReadAsync(response, expected);
    }

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        return ReadJson(text);
    }

    public static JsonObject ReadJson(string text) => text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();

    /// <summary>The JSON a problem response carries, checking its media type.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadAsync(response, expected);
        Assert.Equal((int)expected, (int)problem["status"]!);
        return problem;
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>A weekday at least a week after <paramref name="now"/> in London (where test clinics open Monday to Saturday), as yyyy-MM-dd.</summary>
    public static string NextWeekday(Instant now)
    {
        var date = now.InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).Date.PlusDays(7);
        while (date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
        {
            date = date.PlusDays(1);
        }

        return NodaTime.Text.LocalDatePattern.Iso.Format(date);
    }
}
