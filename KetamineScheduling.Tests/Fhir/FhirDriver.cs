using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Fhir;

/// <summary>FHIR requests over HTTP, as a FHIR client sends them, and their answers checked for FHIR's media type.</summary>
internal static class FhirDriver
{
    public const string MediaType = "application/fhir+json";

    /// <summary>GETs <paramref name="path"/> and answers the body, after checking the status and the media type.</summary>
    public static async Task<string> GetAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path);
        return await ReadAsync(response, expected);
    }

    /// <summary>POSTs a FHIR resource's JSON to <paramref name="path"/>.</summary>
    public static async Task<string> PostAsync(HttpClient client, string path, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var content = new StringContent(body as string ?? System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, MediaType);
        using var response = await client.PostAsync(path, content);
        return await ReadAsync(response, expected);
    }

    public static async Task<string> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "fhirVersion" && p.Value == "4.0");
        return text;
    }

    public static JsonObject Json(string text) => ClinicDriver.ReadJson(text);

    /// <summary>The Parameters of a $find from <paramref name="start"/> to <paramref name="end"/>, with the other parameters given.</summary>
    public static object Find(string start, string end, string? patient = null, string? location = null, int? count = null, int? minutes = null) => new
    {
        resourceType = "Parameters",
        parameter = new object?[]
        {
            new { name = "start", valueDateTime = start },
            new { name = "end", valueDateTime = end },
            patient is null ? null : new { name = "patient-reference", valueReference = new { reference = $"Patient/{patient}" } },
            location is null ? null : new { name = "location-reference", valueReference = new { reference = $"Location/{location}" } },
            count is null ? null : new { name = "_count", valueInteger = count },
            minutes is null ? null : new { name = "minutes-duration", valueInteger = minutes },
        }.OfType<object>(),
    };

    /// <summary>The ids of a Bundle's entries' resources.</summary>
    public static List<string> Ids(JsonObject bundle) =>
        [.. (bundle["entry"]?.AsArray() ?? []).Select(e => (string)e!["resource"]!["id"]!)];
}
