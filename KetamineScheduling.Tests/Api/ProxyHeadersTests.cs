using System.Net;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// Behind a reverse proxy, the client's address comes from <c>X-Forwarded-For</c>, and only when the operator
/// turned it on and the request came from a proxy they trust. What shows it: requests without a key share one rate
/// limit per client address.
/// </summary>
public sealed class ProxyHeadersTests
{
    [Fact]
    public async Task With_forwarded_headers_on_each_client_behind_the_proxy_has_its_own_rate_limit()
    {
        var statuses = await AnonymousRequestsFromDistinctClientsAsync(new() { ["ForwardedHeaders:Enabled"] = "true" });

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
    }

    [Fact]
    public async Task With_forwarded_headers_off_a_clients_claimed_address_is_ignored()
    {
        var statuses = await AnonymousRequestsFromDistinctClientsAsync([]);

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task Forwarded_headers_from_a_proxy_that_is_not_named_are_ignored()
    {
        var statuses = await AnonymousRequestsFromDistinctClientsAsync(new()
        {
            ["ForwardedHeaders:Enabled"] = "true",
            ["ForwardedHeaders:KnownProxies:0"] = "192.0.2.10",
        });

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    /// <summary>
    /// Ten requests without a key, each claiming another client address, with one request a second allowed per
    /// address: sharing one limit, at most a few of them get through in the time they take.
    /// </summary>
    private static async Task<List<HttpStatusCode>> AnonymousRequestsFromDistinctClientsAsync(Dictionary<string, string?> settings)
    {
        settings["RateLimiting:PermitsPerSecond"] = "1";
        settings["RateLimiting:Burst"] = "1";
        using var factory = ApiFactory.With(settings: settings);
        var client = factory.NewClient(key: null);
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/clinics");
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i}");
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
