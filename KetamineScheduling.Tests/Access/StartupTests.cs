using System.Net;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Access;

/// <summary>What a start-up creates: the demo clinic and its keys in Development, and nothing of the kind anywhere else.</summary>
public sealed class StartupTests
{
    private const string DemoClinic = "/v1/clinics/de000000-0000-4000-8000-000000000001";

    private static readonly string[] DemoKeys = ["ks_demo_platform_admin", "ks_demo_clinic_admin", "ks_demo_integration", "ks_demo_scheduler", "ks_demo_patient_app"];

    [Fact]
    public async Task A_development_start_creates_the_demo_clinic_with_a_working_key_for_each_role_and_prints_the_keys()
    {
        using var factory = ApiFactory.With("Development");

        var chairs = await new ClinicDriver(factory.NewClient("ks_demo_scheduler")).GetAsync($"{DemoClinic}/chairs");
        var clinic = await new ClinicDriver(factory.NewClient("ks_demo_platform_admin")).GetAsync(DemoClinic);
        var keys = await new ClinicDriver(factory.NewClient("ks_demo_clinic_admin")).GetAsync($"{DemoClinic}/api-keys");
        await new ClinicDriver(factory.NewClient("ks_demo_integration")).GetAsync($"{DemoClinic}/patients/de000000-0000-4000-8000-000000000002");
        await new ClinicDriver(factory.NewClient("ks_demo_patient_app")).GetAsync("/v1/me/upcoming-sessions");

        Assert.Equal(4, chairs["items"]!.AsArray().Count);
        Assert.Equal("Europe/London", (string)clinic["timeZone"]!);
        Assert.Equal(["clinic-admin", "integration", "patient-app", "scheduler"], keys["items"]!.AsArray().Select(k => (string)k!["role"]!).Order());
        Assert.All(DemoKeys, key => Assert.Contains(factory.Logs, line => line.Contains(key, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Starting_twice_in_development_creates_the_demo_clinic_once()
    {
        using var first = ApiFactory.With("Development");
        first.NewClient();

        using var second = ApiFactory.With("Development", databasePath: first.DatabasePath);
        var chairs = await new ClinicDriver(second.NewClient("ks_demo_clinic_admin")).GetAsync($"{DemoClinic}/chairs");
        var keys = await new ClinicDriver(second.NewClient("ks_demo_clinic_admin")).GetAsync($"{DemoClinic}/api-keys");

        Assert.Equal(4, chairs["items"]!.AsArray().Count);
        Assert.Equal(4, keys["items"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Testing")]
    public async Task Outside_development_a_start_creates_no_demo_clinic_and_no_demo_keys(string environment)
    {
        using var factory = ApiFactory.With(environment);

        await new ClinicDriver(factory.NewClient()).GetAsync(DemoClinic, HttpStatusCode.NotFound);
        foreach (var key in DemoKeys)
        {
            await new ClinicDriver(factory.NewClient(key)).GetAsync("/v1/clinics", HttpStatusCode.Unauthorized);
        }

        Assert.DoesNotContain(factory.Logs, line => line.Contains("ks_demo", StringComparison.Ordinal));
    }
}
