using System.Net;

namespace KetamineScheduling.Tests.Api;

/// <summary>/v1/clinics/{id}/staff: the registry of prescribers and nurses, and clinician keys that act for one.</summary>
[Collection(ApiCollection.Name)]
public sealed class StaffApiTests(ApiFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    [Fact]
    public async Task A_prescriber_is_registered_read_listed_by_kind_and_changed_with_If_Match()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var prescriber = await clinic.AddPrescriberAsync("Dr A. Prescriber");
        var nurse = (string)(await clinic.PostAsync($"{clinic.Base}/staff", new { name = "N. Nurse", kinds = new[] { "nurse" }, licenceNumber = "RN-1" }, HttpStatusCode.Created))["id"]!;

        var read = await clinic.GetAsync($"{clinic.Base}/staff/{prescriber}");
        var prescribers = (await clinic.GetAsync($"{clinic.Base}/staff?kind=prescriber"))["items"]!.AsArray();
        var nurses = (await clinic.GetAsync($"{clinic.Base}/staff?kind=nurse"))["items"]!.AsArray();
        var changed = await clinic.PatchAsync($"{clinic.Base}/staff/{prescriber}", new { kinds = new[] { "nurse", "prescriber" }, active = false }, HttpStatusCode.OK, "\"1\"");

        Assert.Equal(("Dr A. Prescriber", "1234567893", true), ((string)read["name"]!, (string)read["npi"]!, (bool)read["active"]!));
        Assert.Equal(prescriber, (string)Assert.Single(prescribers)!["id"]!);
        Assert.Equal(nurse, (string)Assert.Single(nurses)!["id"]!);
        Assert.Equal(["prescriber", "nurse"], changed["kinds"]!.AsArray().Select(k => (string)k!));
        Assert.Equal((false, 2), ((bool)changed["active"]!, (int)changed["version"]!));
        using var stale = await clinic.PatchAsync($"{clinic.Base}/staff/{prescriber}", new { name = "Late" }, "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
    }

    [Fact]
    public async Task An_NPI_with_a_wrong_check_digit_an_unknown_kind_and_no_kinds_are_400s_naming_the_field()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();

        var npi = await clinic.PostAsync($"{clinic.Base}/staff", new { name = "Dr X", kinds = new[] { "prescriber" }, npi = "1234567890" }, HttpStatusCode.BadRequest);
        var kind = await clinic.PostAsync($"{clinic.Base}/staff", new { name = "Dr X", kinds = new[] { "prescriber", "surgeon" } }, HttpStatusCode.BadRequest);
        var none = await clinic.PostAsync($"{clinic.Base}/staff", new { name = "Dr X", kinds = Array.Empty<string>() }, HttpStatusCode.BadRequest);
        var filter = await clinic.GetAsync($"{clinic.Base}/staff?kind=surgeon", HttpStatusCode.BadRequest);

        Assert.NotNull(npi["errors"]!["npi"]);
        Assert.Contains("prescriber, nurse", (string)kind["errors"]!["kinds[1]"]![0]!);
        Assert.NotNull(none["errors"]!["kinds"]);
        Assert.NotNull(filter["errors"]!["kind"]);
    }

    [Fact]
    public async Task A_clinician_key_names_a_member_of_staff_and_only_a_clinic_admin_issues_one()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var prescriber = await clinic.AddPrescriberAsync();
        var platform = new ClinicDriver(client);

        var key = await clinic.PostAsync($"{clinic.Base}/api-keys", new { name = "Dr's tablet", role = "clinician", staffId = prescriber }, HttpStatusCode.Created);
        var byPlatform = await platform.PostAsync($"{clinic.Base}/api-keys", new { name = "Dr's tablet", role = "clinician" }, HttpStatusCode.Forbidden);
        var notClinician = await clinic.PostAsync($"{clinic.Base}/api-keys", new { name = "Desk", role = "scheduler", staffId = prescriber }, HttpStatusCode.BadRequest);
        var unknown = await clinic.PostAsync($"{clinic.Base}/api-keys", new { name = "Dr's tablet", role = "clinician", staffId = Guid.NewGuid() }, HttpStatusCode.NotFound);

        Assert.Equal(("clinician", prescriber), ((string)key["role"]!, (string)key["staffId"]!));
        Assert.Contains("clinic admin", (string)byPlatform["detail"]!);
        Assert.NotNull(notClinician["errors"]!["staffId"]);
        Assert.Contains("staffId", unknown.ToJsonString());
        var clinician = clinic.WithKey((string)key["key"]!);
        Assert.Equal(prescriber, (string)(await clinician.GetAsync($"{clinic.Base}/staff/{prescriber}"))["id"]!);
    }
}
