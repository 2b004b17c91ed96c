using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KetamineScheduling.Tests.Api;

/// <summary>Sets up a clinic the way a client would, over HTTP, and reads JSON answers.</summary>
internal sealed class ClinicDriver(HttpClient client)
{
    public static readonly string[] MondayToSaturday = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    public static readonly string[] EveryDay = [.. MondayToSaturday, "Sunday"];

    public HttpClient Client { get; } = client;

    public string ClinicId { get; private set; } = "";

    public string Base => $"/v1/clinics/{ClinicId}";

    /// <summary>A clinic open Monday to Saturday, 08:00 to 17:00, with the given zone and closed dates.</summary>
    public async Task<ClinicDriver> CreateClinicAsync(
        string timeZone = "Europe/London", string[]? closedDates = null, int? maxStartsPerSlot = null, string opens = "08:00", string closes = "17:00", string[]? days = null)
    {
        var hours = (days ?? MondayToSaturday).Select(d => new { day = d, opens, closes });
        var clinic = await PostAsync("/v1/clinics", new { name = "Test clinic", timeZone, openingHours = hours, closedDates = closedDates ?? [], maxStartsPerSlot }, HttpStatusCode.Created);
        ClinicId = (string)clinic["id"]!;
        return this;
    }

    public async Task<string> AddChairAsync(string name = "Chair") =>
        (string)(await PostAsync($"{Base}/chairs", new { name }, HttpStatusCode.Created))["id"]!;

    public async Task<string> AddPatientAsync(string? externalId = null, string displayName = "Test Patient") =>
        (string)(await PostAsync($"{Base}/patients", new { externalId = externalId ?? Guid.NewGuid().ToString("N"), displayName }, HttpStatusCode.Created))["id"]!;

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
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

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
