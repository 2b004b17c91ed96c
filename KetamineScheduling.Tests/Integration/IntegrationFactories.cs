using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Integration;

/// <summary>
/// The API as an EHR integration meets it, with its own database and clock (tests here move the clock): webhooks
/// may target receivers on loopback, and the delivery worker polls every 50 ms.
/// </summary>
public sealed class IntegrationFactory() : ApiFactory(new Dictionary<string, string?>
{
    ["Webhooks:AllowPrivateNetworkTargets"] = "true",
    ["Webhooks:PollSeconds"] = "0.05",
});

[CollectionDefinition(Name)]
public sealed class IntegrationCollection : ICollectionFixture<IntegrationFactory>
{
    public const string Name = "EHR integration";
}

/// <summary>The API configured to refuse changes that carry no If-Match.</summary>
public sealed class RequireIfMatchFactory() : ApiFactory(new Dictionary<string, string?>
{
    ["Concurrency:RequireIfMatch"] = "true",
});

[CollectionDefinition(Name)]
public sealed class RequireIfMatchCollection : ICollectionFixture<RequireIfMatchFactory>
{
    public const string Name = "If-Match required";
}
