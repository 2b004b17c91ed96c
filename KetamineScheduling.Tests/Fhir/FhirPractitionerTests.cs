using System.Net;
using KetamineScheduling.Api.Fhir;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Fhir;

/// <summary>The clinic's staff as Practitioners: the NPI as their identifier, active while they work here, valid base R4.</summary>
[Collection(FhirCollection.Name)]
public sealed class FhirPractitionerTests(ApiFactory factory, FhirValidation validation)
{
    [Fact]
    public async Task A_prescriber_is_a_Practitioner_with_their_NPI_and_staff_who_left_are_found_by_active_false()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var prescriber = await clinic.AddPrescriberAsync("Dr P. Practitioner");
        var nurse = (string)(await clinic.PostAsync($"{clinic.Base}/staff", new { name = "N. Left", kinds = new[] { "nurse" } }, HttpStatusCode.Created))["id"]!;
        await clinic.PatchAsync($"{clinic.Base}/staff/{nurse}", new { active = false }, HttpStatusCode.OK, ifMatch: "\"1\"");
        var other = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var clinician = await clinic.ClientForAsync("clinician");

        var read = await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Practitioner/{prescriber}");
        var byNpi = await FhirDriver.GetAsync(clinician, $"/fhir/r4/Practitioner?identifier={FhirMapping.NpiSystem}|1234567893");
        var left = await FhirDriver.GetAsync(clinic.Client, "/fhir/r4/Practitioner?active=false");
        var byId = await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Practitioner?_id={nurse}");
        var all = await FhirDriver.GetAsync(clinic.Client, "/fhir/r4/Practitioner");

        var json = FhirDriver.Json(read);
        Assert.Equal(FhirMapping.NpiSystem, (string)json["identifier"]![0]!["system"]!);
        Assert.Equal("1234567893", (string)json["identifier"]![0]!["value"]!);
        Assert.True((bool)json["active"]!);
        Assert.Equal("Dr P. Practitioner", (string)json["name"]![0]!["text"]!);
        Assert.Equal([prescriber], FhirDriver.Ids(FhirDriver.Json(byNpi)));
        Assert.Equal([nurse], FhirDriver.Ids(FhirDriver.Json(left)));
        Assert.False((bool)FhirDriver.Json(byId)["entry"]![0]!["resource"]!["active"]!);
        Assert.Equal(2, (int)FhirDriver.Json(all)["total"]!);
        Assert.Empty(FhirDriver.Ids(FhirDriver.Json(await FhirDriver.GetAsync(clinic.Client, "/fhir/r4/Practitioner?identifier=urn:other|1234567893"))));
        await FhirDriver.GetAsync(other.Client, $"/fhir/r4/Practitioner/{prescriber}", HttpStatusCode.NotFound);
        await FhirDriver.GetAsync(clinic.Client, "/fhir/r4/Practitioner?active=maybe", HttpStatusCode.BadRequest);
        var errors = new[] { read, byNpi, left, all }.SelectMany(validation.Errors).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task A_session_in_a_clinic_that_counts_nurses_names_its_nurse_as_a_Practitioner_participant()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var date = ClinicDriver.NextWeekday(factory.Clock.GetCurrentInstant());
        await clinic.PatchAsync(clinic.Base, new { nursing = new { enabled = true } }, HttpStatusCode.OK);
        var nurse = (string)(await clinic.PostAsync($"{clinic.Base}/staff", new { name = "N. Nurse", kinds = new[] { "nurse" } }, HttpStatusCode.Created))["id"]!;
        await clinic.PostAsync($"{clinic.Base}/staff/{nurse}/shifts", new { date, starts = "08:00", ends = "17:00" }, HttpStatusCode.Created);
        var session = await clinic.PostAsync(
            $"{clinic.Base}/sessions", new { patientId = await clinic.AddPatientAsync(), chairId = await clinic.AddChairAsync(), start = $"{date}T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);

        var read = await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Appointment/{session["id"]}");

        var actors = FhirDriver.Json(read)["participant"]!.AsArray().Select(p => (string)p!["actor"]!["reference"]!).ToList();
        Assert.Contains($"Practitioner/{nurse}", actors);
        await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Practitioner/{nurse}");
        var errors = validation.Errors(read).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }
}
