using System.Net;

namespace KetamineScheduling.Tests.Api;

/// <summary>PATCH /v1/clinics/{id}/patients/{id}: correcting a patient's EHR identifier and name.</summary>
[Collection(ApiCollection.Name)]
public sealed class PatientUpdateTests(ApiFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    [Fact]
    public async Task Correcting_a_patient_changes_its_name_and_external_id_and_its_version()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync("MRN-1", "A. Patiant");
        using var read = await clinic.Client.GetAsync($"{clinic.Base}/patients/{patient}");

        using var response = await clinic.PatchAsync($"{clinic.Base}/patients/{patient}", new { externalId = "MRN-0001", displayName = "A. Patient" }, read.Headers.ETag!.ToString());

        var changed = await ClinicDriver.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal(("MRN-0001", "A. Patient", 2), ((string)changed["externalId"]!, (string)changed["displayName"]!, (int)changed["version"]!));
        Assert.Equal(("\"1\"", "\"2\""), (read.Headers.ETag!.ToString(), response.Headers.ETag?.ToString()));
        var found = await clinic.GetAsync($"{clinic.Base}/patients?externalId=MRN-0001");
        Assert.Equal(patient, (string)Assert.Single(found["items"]!.AsArray())!["id"]!);
        var feed = (await clinic.GetAsync($"{clinic.Base}/events"))["items"]!.AsArray();
        Assert.Contains(feed, e => (string)e!["type"]! == "patient.updated" && (string)e["resourceId"]! == patient);
    }

    [Fact]
    public async Task Leaving_a_field_out_keeps_it()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync("MRN-1", "A. Patient");

        var changed = await clinic.PatchAsync($"{clinic.Base}/patients/{patient}", new { displayName = "B. Patient" }, HttpStatusCode.OK);

        Assert.Equal(("MRN-1", "B. Patient"), ((string)changed["externalId"]!, (string)changed["displayName"]!));
    }

    [Fact]
    public async Task An_external_id_another_patient_has_is_a_409()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.AddPatientAsync("MRN-1");
        var patient = await clinic.AddPatientAsync("MRN-2");

        var problem = await clinic.PatchAsync($"{clinic.Base}/patients/{patient}", new { externalId = "MRN-1" }, HttpStatusCode.Conflict);

        Assert.Contains("MRN-1", (string)problem["detail"]!);
        Assert.Equal("MRN-2", (string)(await clinic.GetAsync($"{clinic.Base}/patients/{patient}"))["externalId"]!);
    }

    [Fact]
    public async Task Patching_a_patient_with_a_stale_ETag_is_a_412()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync("MRN-1");
        await clinic.PatchAsync($"{clinic.Base}/patients/{patient}", new { displayName = "First" }, HttpStatusCode.OK);

        using var response = await clinic.PatchAsync($"{clinic.Base}/patients/{patient}", new { displayName = "Second" }, "\"1\"");

        await ClinicDriver.ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Equal("First", (string)(await clinic.GetAsync($"{clinic.Base}/patients/{patient}"))["displayName"]!);
    }

    [Fact]
    public async Task An_empty_name_is_a_400_naming_the_field()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();

        var problem = await clinic.PatchAsync($"{clinic.Base}/patients/{patient}", new { displayName = "" }, HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]!["displayName"]);
    }
}
