using System.Net;
using KetamineScheduling.Api.Webhooks;

namespace KetamineScheduling.Tests.Integration;

/// <summary>The rules of signing and retrying, as the Standard Webhooks specification and the backoff schedule state them.</summary>
public sealed class WebhookSigningTests
{
    [Fact]
    public void A_signature_matches_the_Standard_Webhooks_test_vector()
    {
        var signature = WebhookSigner.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void A_new_secret_is_whsec_and_the_base64_of_32_random_bytes()
    {
        var secrets = Enumerable.Range(0, 2).Select(_ => WebhookSigner.NewSecret()).ToList();

        Assert.All(secrets, s => Assert.Equal(32, Convert.FromBase64String(s["whsec_".Length..]).Length));
        Assert.NotEqual(secrets[0], secrets[1]);
    }

    [Fact]
    public void The_wait_after_each_failure_doubles_from_one_second_up_to_an_hour()
    {
        var options = new WebhookOptions();

        var waits = new[] { 1, 2, 3, 4, 12, 13, 40 }.Select(failures => options.Backoff(failures).TotalSeconds);

        Assert.Equal([1, 2, 4, 8, 2048, 3600, 3600], waits);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("64:ff9b::808:808", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.20.30.40", false)]
    [InlineData("172.16.5.4", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    public void Only_public_addresses_are_webhook_targets(string address, bool isPublic) =>
        Assert.Equal(isPublic, WebhookUrlGuard.IsPublic(IPAddress.Parse(address)));
}
