using System.Net;

namespace KetamineScheduling.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class PatientsApiTests(ApiFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    [Fact]
    public async Task A_duplicate_external_id_in_one_clinic_is_a_409()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.AddPatientAsync("MRN-1");

        using var response = await clinic.Client.PostAsync($"{clinic.Base}/patients", System.Net.Http.Json.JsonContent.Create(new { externalId = "MRN-1", displayName = "Someone else" }));

        await ClinicDriver.ProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_same_external_id_may_exist_in_two_clinics()
    {
        var first = await new ClinicDriver(client).CreateClinicAsync();
        var second = await new ClinicDriver(client).CreateClinicAsync();

        await first.AddPatientAsync("MRN-7");
        await second.AddPatientAsync("MRN-7");

        var found = await second.GetAsync($"{second.Base}/patients?externalId=MRN-7");
        Assert.Single(found["items"]!.AsArray());
    }

    [Fact]
    public async Task A_patient_of_another_clinic_is_not_found()
    {
        var first = await new ClinicDriver(client).CreateClinicAsync();
        var second = await new ClinicDriver(client).CreateClinicAsync();
        var patient = await first.AddPatientAsync();

        await second.GetAsync($"{second.Base}/patients/{patient}", HttpStatusCode.NotFound);
    }
}
