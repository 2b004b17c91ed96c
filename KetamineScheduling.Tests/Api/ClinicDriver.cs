using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

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

    public HttpClient Client { get; private set; } = client;

    /// <summary>The clinic-admin key <see cref="Client"/> carries once the clinic exists.</summary>
    public string Key { get; private set; } = "";

    /// <summary>The id of <see cref="Key"/>.</summary>
    public string KeyId { get; private set; } = "";

    public string ClinicId { get; private set; } = "";

    public string Base => $"/v1/clinics/{ClinicId}";

    /// <summary>A clinic open Monday to Saturday, 08:00 to 17:00, with the given zone and closed dates, and a clinic-admin key for it.</summary>
    public async Task<ClinicDriver> CreateClinicAsync(
        string timeZone = "Europe/London", string[]? closedDates = null, int? maxStartsPerSlot = null, string opens = "08:00", string closes = "17:00", string[]? days = null,
        bool patientsMayCancel = false, int slotMinutes = 15, int turnoverMinutes = 15, int observationMinutes = 30, string? calendarEventTitle = null)
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

    public async Task<string> AddChairAsync(string name = "Chair") =>
        (string)(await PostAsync($"{Base}/chairs", new { name }, HttpStatusCode.Created))["id"]!;

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

    public async Task<JsonObject> PostAsync(string path, object? body, HttpStatusCode expected)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
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
}
