using System.Net;
using System.Text;
using System.Text.Json;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
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
        var first = await ClaimAsFirstRequestAsync(clinic, chair, patient);

        using var retry = await RetryAsync(clinic, first);

        var problem = await ClinicDriver.ProblemAsync(retry, HttpStatusCode.Conflict);
        Assert.Contains("still being processed", (string)problem["title"]!, StringComparison.Ordinal);
        Assert.Empty((await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-05-03"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_claim_left_by_a_process_that_died_before_changing_anything_is_taken_over_by_a_retry_after_a_minute()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        var first = await ClaimAsFirstRequestAsync(clinic, chair, patient);
        using var early = await RetryAsync(clinic, first);

        factory.Clock.Advance(Duration.FromSeconds(61));
        using var retry = await RetryAsync(clinic, first);
        using var again = await RetryAsync(clinic, first);

        await ClinicDriver.ProblemAsync(early, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(["true"], again.Headers.GetValues("Idempotent-Replayed"));
        Assert.Single((await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-05-03"))["items"]!.AsArray());

        // The booking's own transaction marked the claim, which is what a retry after a crash would have read.
        var now = factory.Clock.GetCurrentInstant();
        var (_, kept) = await IdempotencyStore.ClaimAsync(Db, first.Key, "", "POST", first.Path, now, now, now, default);
        Assert.True(kept!.ChangeCommitted);
    }

    [Fact]
    public async Task A_claim_whose_change_committed_but_whose_answer_was_lost_is_reported_and_never_run_again()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        var first = await ClaimAsFirstRequestAsync(clinic, chair, patient);
        // The first request's change committed, marking its claim; then its process died before keeping the answer.
        await CommitFirstRequestsChangeAsync(first);

        factory.Clock.Advance(Duration.FromSeconds(61));
        using var retry = await RetryAsync(clinic, first);

        var problem = await ClinicDriver.ProblemAsync(retry, HttpStatusCode.Conflict);
        Assert.Contains("made its change", (string)problem["title"]!, StringComparison.Ordinal);
        Assert.Empty((await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-05-03"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_request_whose_claim_a_retry_took_over_cannot_commit_its_change()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        var first = await ClaimAsFirstRequestAsync(clinic, chair, patient);
        factory.Clock.Advance(Duration.FromSeconds(61));
        using var retry = await RetryAsync(clinic, first);

        // The first request, slow rather than dead, now reaches its commit.
        await Assert.ThrowsAsync<ConflictException>(() => CommitFirstRequestsChangeAsync(first));

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
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
        var (clinic, session) = await Requests.StartedSessionAsync(factory.Clock, client);
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

    private Database Db => factory.Services.GetRequiredService<Database>();

    /// <summary>
    /// What the middleware does first when a booking arrives with an Idempotency-Key: claims the key (scoped to
    /// the clinic and the caller's API key), with no response yet. The request itself never runs: it is still
    /// running, or its process died.
    /// </summary>
    private async Task<FirstRequest> ClaimAsFirstRequestAsync(ClinicDriver clinic, string chair, string patient)
    {
        var path = $"{clinic.Base}/sessions";
        var body = JsonSerializer.Serialize(Requests.Booking(patient, chair));
        var key = new IdempotencyKey(clinic.ClinicId, clinic.KeyId, Guid.NewGuid().ToString());
        var now = factory.Clock.GetCurrentInstant();
        var (token, holder) = await IdempotencyStore.ClaimAsync(
            Db, key, IdempotencyMiddleware.Fingerprint("POST", path, Encoding.UTF8.GetBytes(body)), "POST", path, now, now + Duration.FromHours(24), now - Duration.FromSeconds(60), default);
        Assert.Null(holder);
        return new FirstRequest(key, token!.Value, path, body);
    }

    /// <summary>What the first request's change transaction does as it commits: marks the claim it holds.</summary>
    private Task<int> CommitFirstRequestsChangeAsync(FirstRequest first) => Db.WriteAsync(async (connection, transaction) =>
    {
        await IdempotencyStore.MarkChangeAsync(connection, transaction, first.Key, first.Token);
        return 0;
    }, default);

    /// <summary>The same request again, with the same key.</summary>
    private static async Task<HttpResponseMessage> RetryAsync(ClinicDriver clinic, FirstRequest first)
    {
        using var content = new StringContent(first.Body, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, first.Path) { Content = content, Headers = { { "Idempotency-Key", first.Key.Key } } };
        return await clinic.Client.SendAsync(request);
    }

    private sealed record FirstRequest(IdempotencyKey Key, Guid Token, string Path, string Body);
}
