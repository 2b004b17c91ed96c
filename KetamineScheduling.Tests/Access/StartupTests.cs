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

    [Fact]
    public async Task Demo_keys_of_a_database_first_used_in_development_are_refused_and_revoked_when_it_starts_in_production()
    {
        using var development = ApiFactory.With("Development");
        await new ClinicDriver(development.NewClient("ks_demo_clinic_admin")).GetAsync($"{DemoClinic}/chairs");

        using var production = ApiFactory.With("Production", databasePath: development.DatabasePath);
        foreach (var key in DemoKeys)
        {
            await new ClinicDriver(production.NewClient(key)).GetAsync(key == "ks_demo_platform_admin" ? "/v1/clinics" : $"{DemoClinic}/chairs", HttpStatusCode.Unauthorized);
        }

        var keys = await new ClinicDriver(production.NewClient()).GetAsync($"{DemoClinic}/api-keys");
        Assert.All(keys["items"]!.AsArray(), k => Assert.NotNull((string?)k!["revokedAt"]));
        Assert.Contains(production.Logs, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("Revoked 5 demo API keys", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_demo_secret_is_refused_outside_development_even_when_its_key_was_never_revoked()
    {
        using var development = ApiFactory.With("Development");
        development.NewClient();

        // Another instance still running in Development could store the key again after a production start revoked it.
        using var production = ApiFactory.With("Testing", databasePath: development.DatabasePath);
        var scheduler = production.NewClient("ks_demo_scheduler");
        await UnrevokeEveryKeyAsync(development.DatabasePath);

        await new ClinicDriver(scheduler).GetAsync($"{DemoClinic}/chairs", HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Development", null, true)]
    [InlineData("Production", null, false)]
    [InlineData("Production", "true", true)]
    [InlineData("Development", "false", false)]
    public async Task Swagger_UI_is_served_only_where_OpenApi_ServeUi_allows_and_the_document_always(string environment, string? serveUi, bool served)
    {
        using var factory = ApiFactory.With(environment, serveUi is null ? null : new Dictionary<string, string?> { ["OpenApi:ServeUi"] = serveUi });
        var client = factory.NewClient(null);

        using var page = await client.GetAsync("/swagger/index.html");
        using var document = await client.GetAsync("/swagger/v1/swagger.json");

        Assert.Equal(served, page.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }

    [Fact]
    public async Task The_READMEs_production_command_starts_production_and_the_demo_keys_open_nothing()
    {
        using var database = new TempDatabase("readme-production");
        var admin = "ks_operator_" + Guid.NewGuid().ToString("N");

        await using var api = await ApiProcess.DotnetRunAsync(database.Path, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Auth__BootstrapAdminKey"] = admin,
        });
        using var demo = await api.NewClient("ks_demo_platform_admin").GetAsync("/v1/clinics");
        using var operatorKey = await api.NewClient(admin).GetAsync("/v1/clinics");
        using var ui = await api.NewClient(admin).GetAsync("/swagger/index.html");

        Assert.True(await api.WritesAsync("Hosting environment: Production"), string.Join(Environment.NewLine, api.Output));
        Assert.Equal(HttpStatusCode.Unauthorized, demo.StatusCode);
        Assert.Equal(HttpStatusCode.OK, operatorKey.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, ui.StatusCode);
        Assert.Empty((await ClinicDriver.ReadAsync(operatorKey, HttpStatusCode.OK))["items"]!.AsArray());
    }

    [Fact]
    public async Task The_READMEs_first_command_starts_development_with_the_demo_clinic()
    {
        using var database = new TempDatabase("readme-development");

        await using var api = await ApiProcess.DotnetRunAsync(database.Path, new Dictionary<string, string>());
        using var demo = await api.NewClient("ks_demo_scheduler").GetAsync($"{DemoClinic}/chairs");

        Assert.True(await api.WritesAsync("Hosting environment: Development"), string.Join(Environment.NewLine, api.Output));
        Assert.Equal(HttpStatusCode.OK, demo.StatusCode);
    }

    [Fact]
    public void The_launch_profiles_listen_where_the_READMEs_walkthrough_calls()
    {
        var settings = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(OpenApiContractTests.RepositoryRoot(), "KetamineScheduling.Api", "Properties", "launchSettings.json")))!;
        var readme = File.ReadAllText(Path.Combine(OpenApiContractTests.RepositoryRoot(), "README.md"));

        foreach (var (_, profile) in settings["profiles"]!.AsObject())
        {
            Assert.Equal("http://localhost:5195", (string?)profile!["applicationUrl"]);

            // A profile that set ASPNETCORE_ENVIRONMENT or DOTNET_ENVIRONMENT would override the operator's shell.
            Assert.Null(profile["environmentVariables"]?["ASPNETCORE_ENVIRONMENT"]);
            Assert.Null(profile["environmentVariables"]?["DOTNET_ENVIRONMENT"]);
        }

        Assert.Contains("http://localhost:5195", readme, StringComparison.Ordinal);
    }

    private static async Task UnrevokeEveryKeyAsync(string databasePath)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE api_keys SET revoked_at = NULL";
        await command.ExecuteNonQueryAsync();
    }
}
