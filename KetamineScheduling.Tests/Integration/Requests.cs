using System.Net.Http.Json;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Integration;

/// <summary>Requests with the headers EHR integrations send: Idempotency-Key and If-Match.</summary>
internal static class Requests
{
    /// <summary>Sends a POST with a JSON body (none when null) and the given headers.</summary>
    public static async Task<HttpResponseMessage> PostAsync(this ClinicDriver clinic, string path, object? body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await clinic.Client.SendAsync(request);
    }

    /// <summary>A session an integration books: 40 minutes in the chair on a weekday in May.</summary>
    public static object Booking(string patientId, string chairId, string start = "2027-05-03T10:00") =>
        new { patientId, chairId, start, infusionMinutes = 40 };

    /// <summary>A clinic with one chair and one patient.</summary>
    public static async Task<(ClinicDriver Clinic, string Chair, string Patient)> ClinicWithChairAndPatientAsync(HttpClient client)
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        return (clinic, await clinic.AddChairAsync(), await clinic.AddPatientAsync());
    }

    /// <summary>
    /// A clinic with one session booked, at version 1, that has just started by <paramref name="clock"/>, which is
    /// moved on to its start: it may be checked in, completed or marked a no-show. <c>Session</c> is its path.
    /// </summary>
    public static async Task<(ClinicDriver Clinic, string Session)> StartedSessionAsync(NodaTime.Testing.FakeClock clock, HttpClient client)
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var booked = await clinic.BookStartedAsync(clock);
        return (clinic, $"{clinic.Base}/sessions/{booked["id"]}");
    }

    /// <summary>A clinic with one session booked, at version 1; <c>Session</c> is its path.</summary>
    public static async Task<(ClinicDriver Clinic, string Session)> BookedSessionAsync(HttpClient client)
    {
        var (clinic, chair, patient) = await ClinicWithChairAndPatientAsync(client);
        var booked = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(patient, chair), System.Net.HttpStatusCode.Created);
        return (clinic, $"{clinic.Base}/sessions/{booked["id"]}");
    }
}
