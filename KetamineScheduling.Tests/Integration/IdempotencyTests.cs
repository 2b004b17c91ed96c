using System.Net;
using System.Text;
using System.Text.Json;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Idempotency;
using KetamineScheduling.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace KetamineScheduling.Tests.Integration;

/// <summary>An EHR that retries a POST with the same Idempotency-Key never makes the change twice.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class IdempotencyTests(IntegrationFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_replays_the_first_response_and_books_once()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        var booking = Requests.Booking(patient, chair);
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());

        using var first = await clinic.PostAsync($"{clinic.Base}/sessions", booking, key);
        using var retry = await clinic.PostAsync($"{clinic.Base}/sessions", booking, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal("application/json; charset=utf-8", retry.Content.Headers.ContentType?.ToString());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        Assert.Single((await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-05-03"))["items"]!.AsArray());
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_a_422_and_books_nothing()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        using var first = await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair, "2027-05-03T10:00"), key);

        using var other = await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair, "2027-05-04T10:00"), key);

        await ClinicDriver.ProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        Assert.Empty((await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-05-04"))["items"]!.AsArray());
    }

    [Fact]
    public async Task The_same_key_while_the_first_request_is_still_running_is_a_409()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        var path = $"{clinic.Base}/sessions";
        var body = JsonSerializer.Serialize(Requests.Booking(patient, chair));
        // What the middleware does first when a request arrives: claim the key (scoped to the clinic and the
        // caller's API key), with no response yet.
        var now = factory.Clock.GetCurrentInstant();
        Assert.Null(await IdempotencyStore.ClaimAsync(
            factory.Services.GetRequiredService<Database>(), new IdempotencyKey(clinic.ClinicId, clinic.KeyId, "still-running"),
            IdempotencyMiddleware.Fingerprint("POST", path, Encoding.UTF8.GetBytes(body)), "POST", path, now, now + Duration.FromHours(24), default));

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content, Headers = { { "Idempotency-Key", "still-running" } } };
        using var retry = await clinic.Client.SendAsync(request);

        await ClinicDriver.ProblemAsync(retry, HttpStatusCode.Conflict);
        Assert.Empty((await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-05-03"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Twenty_concurrent_retries_of_one_booking_create_one_session()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        var booking = Requests.Booking(patient, chair);
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await clinic.PostAsync($"{clinic.Base}/sessions", booking, key);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        using var late = await clinic.PostAsync($"{clinic.Base}/sessions", booking, key);

        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var created = answers.Where(a => a.StatusCode == HttpStatusCode.Created).Select(a => a.Body).Distinct().ToList();
        Assert.Single(created);
        Assert.Equal(created[0], await late.Content.ReadAsStringAsync());
        Assert.Single((await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-05-03"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_refusal_is_kept_and_replayed_like_a_success()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        var closedSunday = Requests.Booking(patient, chair, "2027-05-02T10:00");
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        using var first = await clinic.PostAsync($"{clinic.Base}/sessions", closedSunday, key);

        using var retry = await clinic.PostAsync($"{clinic.Base}/sessions", closedSunday, key);

        await ClinicDriver.ProblemAsync(retry, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
    }

    [Fact]
    public async Task A_retried_change_replays_its_ETag_and_changes_the_session_once()
    {
        var (clinic, session) = await Requests.BookedSessionAsync(client);
        var key = ("Idempotency-Key", $"\"{Guid.NewGuid()}\"");
        using var first = await clinic.PostAsync($"{session}/check-in", null, key, ("If-Match", "\"1\""));

        using var retry = await clinic.PostAsync($"{session}/check-in", null, key, ("If-Match", "\"1\""));

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("\"2\"", retry.Headers.ETag?.ToString());
        Assert.Equal(2, (int)(await clinic.GetAsync(session))["version"]!);
    }

    [Fact]
    public async Task A_key_is_kept_per_clinic_so_two_clinics_may_use_the_same_one()
    {
        var one = await new ClinicDriver(client).CreateClinicAsync();
        var two = await new ClinicDriver(client).CreateClinicAsync();
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        var patient = new { externalId = "MRN-1", displayName = "A. Patient" };

        using var first = await one.PostAsync($"{one.Base}/patients", patient, key);
        using var second = await two.PostAsync($"{two.Base}/patients", patient, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task A_key_that_has_expired_runs_the_request_again()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var patient = new { externalId = Guid.NewGuid().ToString(), displayName = "A. Patient" };
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        using var first = await clinic.PostAsync($"{clinic.Base}/patients", patient, key);

        factory.Clock.Advance(Duration.FromHours(24) + Duration.FromSeconds(1));
        using var later = await clinic.PostAsync($"{clinic.Base}/patients", patient, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await ClinicDriver.ProblemAsync(later, HttpStatusCode.Conflict); // it ran: the patient exists already
        Assert.False(later.Headers.Contains("Idempotent-Replayed"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"\"")]
    [InlineData("line\tbreak")]
    public async Task A_key_that_is_empty_or_not_visible_ASCII_is_a_400_naming_the_header(string key)
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();

        using var response = await clinic.PostAsync($"{clinic.Base}/chairs", new { name = "Chair" }, ("Idempotency-Key", key));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["Idempotency-Key"]);
    }

    [Fact]
    public async Task A_key_longer_than_255_characters_is_a_400()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();

        using var response = await clinic.PostAsync($"{clinic.Base}/chairs", new { name = "Chair" }, ("Idempotency-Key", new string('k', 256)));

        await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
