using System.Net;
using System.Net.Http.Json;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Integration;

/// <summary>With its default settings the API refuses webhook URLs that are not https on a public address.</summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookUrlTests(ApiFactory factory)
{
    [Theory]
    [InlineData("http://ehr.example.org/hook")]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://localhost:8443/hook")]
    [InlineData("https://10.0.0.5/hook")]
    [InlineData("https://192.168.1.20/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fd00::5]/hook")]
    [InlineData("https://user:password@ehr.example.org/hook")]
    [InlineData("ftp://ehr.example.org/hook")]
    [InlineData("not a url")]
    public async Task A_url_that_is_not_https_on_a_public_address_is_a_400_naming_url(string url)
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();

        using var response = await clinic.Client.PostAsJsonAsync($"{clinic.Base}/webhooks", new { url });

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["url"]);
        Assert.Empty((await clinic.GetAsync($"{clinic.Base}/webhooks"))["items"]!.AsArray());
    }
}
