using System.Net;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Access;

public sealed class RateLimitTests
{
    [Fact]
    public async Task A_key_over_its_rate_limit_gets_429_with_Retry_After_and_other_keys_do_not()
    {
        using var factory = ApiFactory.With(settings: new Dictionary<string, string?> { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "3" });
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var (_, otherKey) = await clinic.IssueKeyAsync("scheduler");

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 10; i++)
        {
            responses.Add(await clinic.Client.GetAsync($"{clinic.Base}/chairs"));
        }

        Assert.All(responses.Take(2), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var limited = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
        await ClinicDriver.ProblemAsync(limited, HttpStatusCode.TooManyRequests);
        using var other = await ClinicDriver.NewClient(clinic.Client.BaseAddress!, otherKey).GetAsync($"{clinic.Base}/chairs");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        responses.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task Every_answer_says_how_much_of_the_keys_bucket_is_left_as_the_contract_declares()
    {
        using var factory = ApiFactory.With(settings: new Dictionary<string, string?> { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "3" });
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();

        var responses = new List<HttpResponseMessage> { await clinic.Client.GetAsync($"{clinic.Base}/chairs/{Guid.NewGuid()}") };
        while (responses.Count < 10 && responses[^1].StatusCode != HttpStatusCode.TooManyRequests)
        {
            responses.Add(await clinic.Client.GetAsync($"{clinic.Base}/chairs"));
        }

        Assert.Equal(HttpStatusCode.NotFound, responses[0].StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, responses[^1].StatusCode);
        foreach (var response in responses)
        {
            var (limit, remaining, reset) = (Field(response, "RateLimit-Limit"), Field(response, "RateLimit-Remaining"), Field(response, "RateLimit-Reset"));
            Assert.Equal(3, limit);
            Assert.InRange(remaining, 0, 2);
            Assert.Equal(3 - remaining, reset);
        }

        Assert.Equal(0, Field(responses[^1], "RateLimit-Remaining"));
        responses.ForEach(r => r.Dispose());
    }

    private static int Field(HttpResponseMessage response, string name) =>
        int.Parse(Assert.Single(response.Headers.GetValues(name)), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_calendar_feed_fetched_over_the_rate_limit_gets_429_and_another_feed_from_the_same_address_does_not()
    {
        using var factory = ApiFactory.With(settings: new Dictionary<string, string?> { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "3" });
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var feeds = $"{clinic.Base}/patients/{patient}/calendar-feeds";
        var busy = (string)(await clinic.PostAsync(feeds, null, HttpStatusCode.Created))["url"]!;
        var quiet = (string)(await clinic.PostAsync(feeds, null, HttpStatusCode.Created))["url"]!;
        using var phone = factory.NewClient(key: null);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await phone.GetAsync(busy);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        using var other = await phone.GetAsync(quiet);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_read_of_patient_data_the_rate_limiter_turned_away_is_audited_as_refused()
    {
        using var factory = ApiFactory.With(settings: new Dictionary<string, string?> { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "4" });
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var (_, auditorKey) = await clinic.IssueKeyAsync("clinic-admin");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await clinic.Client.GetAsync($"{clinic.Base}/patients/{patient}");
            statuses.Add(response.StatusCode);
        }

        var trail = (await clinic.WithKey(auditorKey).GetAsync($"{clinic.Base}/audit-events?patientId={patient}"))["items"]!.AsArray();
        var limited = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.True(limited > 0, string.Join(", ", statuses));
        Assert.Equal(limited, trail.Count(e => (int)e!["statusCode"]! == 429 && (string)e["outcome"]! == "refused" && (string)e["action"]! == "GetPatient"));
    }

    [Fact]
    public async Task Health_checks_are_not_rate_limited()
    {
        using var factory = ApiFactory.With(settings: new Dictionary<string, string?> { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "1" });
        var client = factory.NewClient(key: null);

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
