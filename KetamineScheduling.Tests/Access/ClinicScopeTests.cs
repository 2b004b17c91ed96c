using System.Net;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Access;

/// <summary>Another clinic's ids answer exactly as ids that do not exist, wherever the request puts them.</summary>
[Collection(ApiCollection.Name)]
public sealed class ClinicScopeTests(ApiFactory factory)
{
    [Fact]
    public async Task Another_clinic_in_the_path_is_a_404_like_a_clinic_that_does_not_exist()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var elsewhere = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var nowhere = Guid.NewGuid();

        var theirs = await clinic.GetAsync($"{elsewhere.Base}/chairs", HttpStatusCode.NotFound);
        var none = await clinic.GetAsync($"/v1/clinics/{nowhere}/chairs", HttpStatusCode.NotFound);

        Assert.Equal((string)none["title"]!, (string)theirs["title"]!);
        Assert.Equal(((string)none["detail"]!).Replace(nowhere.ToString(), elsewhere.ClinicId, StringComparison.Ordinal), (string)theirs["detail"]!);
        await clinic.GetAsync(elsewhere.Base, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_platform_admin_naming_a_clinic_that_does_not_exist_gets_a_404_and_issues_no_key()
    {
        var admin = new ClinicDriver(factory.NewClient());

        await admin.GetAsync($"/v1/clinics/{Guid.NewGuid()}/api-keys", HttpStatusCode.NotFound);
        await admin.PostAsync($"/v1/clinics/{Guid.NewGuid()}/api-keys", new { name = "Nowhere", role = "scheduler" }, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_clinics_ids_in_the_query_are_a_404()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var elsewhere = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();

        await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-05-03&chairId={await elsewhere.AddChairAsync()}", HttpStatusCode.NotFound);
        await clinic.GetAsync($"{clinic.Base}/treatment-plans?patientId={await elsewhere.AddPatientAsync()}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_clinics_ids_in_the_body_are_a_404_and_change_nothing()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var elsewhere = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();

        var problem = await clinic.PostAsync(
            $"{clinic.Base}/sessions", new { patientId = await elsewhere.AddPatientAsync(), chairId = await clinic.AddChairAsync(), start = "2027-05-03T10:00", infusionMinutes = 40 }, HttpStatusCode.NotFound);

        Assert.True(problem["errors"]!.AsObject().ContainsKey("patientId"));
        Assert.Empty((await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-05-03"))["items"]!.AsArray());
    }
}
