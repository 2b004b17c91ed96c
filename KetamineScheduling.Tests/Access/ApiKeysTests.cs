using System.Net;
using System.Net.Http.Json;
using KetamineScheduling.Tests.Api;
using NodaTime;

namespace KetamineScheduling.Tests.Access;

[Collection(ApiCollection.Name)]
public sealed class ApiKeysTests(ApiFactory factory)
{
    [Fact]
    public async Task A_request_without_a_key_is_a_401_with_WWW_Authenticate()
    {
        using var response = await factory.NewClient(key: null).GetAsync("/v1/clinics");

        await ClinicDriver.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("ks_this-key-was-never-issued")]
    [InlineData("x")]
    public async Task An_unknown_key_is_a_401_saying_the_token_is_invalid(string key)
    {
        using var response = await factory.NewClient(key).GetAsync("/v1/clinics");

        await ClinicDriver.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().Parameter);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_on_its_very_next_request()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var (id, key) = await clinic.IssueKeyAsync("scheduler");
        var scheduler = clinic.WithKey(key);
        await scheduler.GetAsync($"{clinic.Base}/chairs");

        using var revoked = await clinic.Client.DeleteAsync($"{clinic.Base}/api-keys/{id}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        using var response = await scheduler.Client.GetAsync($"{clinic.Base}/chairs");
        await ClinicDriver.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().Parameter);
    }

    [Fact]
    public async Task A_key_stops_working_when_it_expires()
    {
        using var own = ApiFactory.With();
        var clinic = await new ClinicDriver(own.NewClient()).CreateClinicAsync();
        var (_, key) = await clinic.IssueKeyAsync("scheduler", expiresAt: "2027-01-04T10:00:00Z");
        var scheduler = clinic.WithKey(key);
        await scheduler.GetAsync($"{clinic.Base}/chairs");

        own.Clock.AdvanceMinutes(60);

        await scheduler.GetAsync($"{clinic.Base}/chairs", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_role_that_may_not_do_something_gets_a_403_problem()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var scheduler = new ClinicDriver(await clinic.ClientForAsync("scheduler"));

        var problem = await scheduler.PostAsync($"{clinic.Base}/chairs", new { name = "Chair" }, HttpStatusCode.Forbidden);

        Assert.Contains("scheduler", (string)problem["detail"]!);
    }

    [Fact]
    public async Task A_platform_admin_creates_clinics_and_keys_but_reads_no_patient_data()
    {
        var admin = new ClinicDriver(factory.NewClient());
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();

        await admin.GetAsync($"{clinic.Base}/patients", HttpStatusCode.Forbidden);
        await admin.GetAsync($"{clinic.Base}/patients/{patient}", HttpStatusCode.Forbidden);
        await admin.GetAsync($"{clinic.Base}/patients/{patient}/sessions/upcoming", HttpStatusCode.Forbidden);
        await admin.GetAsync(clinic.Base);
        await admin.GetAsync($"{clinic.Base}/api-keys");
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_need_no_key()
    {
        var anonymous = factory.NewClient(key: null);

        foreach (var path in new[] { "/health/live", "/health/ready", "/swagger/v1/swagger.json" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task The_secret_is_shown_once_and_key_lists_hold_no_secrets()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();

        var created = await clinic.PostAsync($"{clinic.Base}/api-keys", new { name = "Front desk", role = "scheduler" }, HttpStatusCode.Created);
        using var listed = await clinic.Client.GetAsync($"{clinic.Base}/api-keys");

        var secret = (string)created["key"]!;
        Assert.StartsWith("ks_", secret);
        var text = await listed.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret))), text, StringComparison.Ordinal);
        var key = ClinicDriver.ReadJson(text)["items"]!.AsArray().Single(k => (string)k!["id"]! == (string)created["id"]!)!;
        Assert.Equal(secret[..10], (string)key["keyPrefix"]!);
        Assert.Equal(["createdAt", "expiresAt", "id", "keyPrefix", "name", "patientId", "revokedAt", "role", "staffId"], key.AsObject().Select(p => p.Key).Order());
    }

    [Theory]
    [InlineData("""{"name":"X","role":"platform-admin"}""", "role")]
    [InlineData("""{"name":"X","role":"owner"}""", "role")]
    [InlineData("""{"name":"X","role":"patient-app"}""", "patientId")]
    [InlineData("""{"name":"X","role":"scheduler","patientId":"0193a5b0-7c1e-7d2a-9f00-000000000001"}""", "patientId")]
    [InlineData("""{"name":"X","role":"scheduler","expiresAt":"2027-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("""{"name":"","role":"scheduler"}""", "name")]
    public async Task A_key_request_that_makes_no_sense_is_a_400_naming_the_field(string body, string field)
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();

        using var response = await clinic.Client.PostAsync($"{clinic.Base}/api-keys", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task A_patient_app_key_for_another_clinics_patient_is_a_404()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var elsewhere = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();

        var problem = await clinic.PostAsync($"{clinic.Base}/api-keys", new { name = "App", role = "patient-app", patientId = await elsewhere.AddPatientAsync() }, HttpStatusCode.NotFound);

        Assert.True(problem["errors"]!.AsObject().ContainsKey("patientId"));
    }

    [Fact]
    public async Task A_clinic_admin_cannot_see_or_revoke_another_clinics_keys()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var elsewhere = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var (theirs, _) = await elsewhere.IssueKeyAsync("scheduler");

        await clinic.GetAsync($"{elsewhere.Base}/api-keys", HttpStatusCode.NotFound);
        using var revoke = await clinic.Client.DeleteAsync($"{clinic.Base}/api-keys/{theirs}");

        await ClinicDriver.ProblemAsync(revoke, HttpStatusCode.NotFound);
        Assert.DoesNotContain(theirs, (await clinic.GetAsync($"{clinic.Base}/api-keys")).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_bootstrap_key_in_configuration_revokes_the_old_one()
    {
        const string next = "ks_test_rotated_platform_admin_9876543210";
        using var first = ApiFactory.With();
        await new ClinicDriver(first.NewClient()).GetAsync("/v1/clinics");

        using var second = ApiFactory.With(settings: new Dictionary<string, string?> { ["Auth:BootstrapAdminKey"] = next }, databasePath: first.DatabasePath);

        await new ClinicDriver(second.NewClient()).GetAsync("/v1/clinics", HttpStatusCode.Unauthorized);
        await new ClinicDriver(second.NewClient(next)).GetAsync("/v1/clinics");
    }

    [Fact]
    public void A_short_bootstrap_key_stops_the_server_from_starting()
    {
        using var weak = ApiFactory.With(settings: new Dictionary<string, string?> { ["Auth:BootstrapAdminKey"] = "admin" });

        var failure = Assert.ThrowsAny<InvalidOperationException>(() => weak.NewClient());

        Assert.Contains("Auth:BootstrapAdminKey", failure.Message);
    }
}
