using System.Net;
using KetamineScheduling.Api.Fhir;
using KetamineScheduling.Tests.Api;
using NodaTime;

namespace KetamineScheduling.Tests.Fhir;

/// <summary>Assessments as survey Observations: LOINC for the PHQ-9 and GAD-7 totals, ours otherwise, a patient's app confined to its patient.</summary>
[Collection(FhirCollection.Name)]
public sealed class FhirObservationTests(ApiFactory factory, FhirValidation validation)
{
    [Fact]
    public async Task Assessments_are_survey_Observations_coded_in_LOINC_or_ours_with_the_clinics_offset_and_a_retracted_one_is_entered_in_error()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync(timeZone: "America/New_York");
        var patient = await clinic.AddPatientAsync();
        var neighbour = await clinic.AddPatientAsync();
        var ehr = clinic.WithKey((await clinic.IssueKeyAsync("integration")).Key);
        var app = await clinic.ClientForAsync("patient-app", patient);
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var day = factory.Clock.GetCurrentInstant().InZone(zone).Date.PlusDays(-10);
        var takenAt = day.At(new LocalTime(9, 30));
        var path = $"{clinic.Base}/patients/{patient}/assessments";
        var phq9 = (string)(await ehr.PostAsync(path, new { instrument = "phq9", answers = new[] { 2, 2, 2, 2, 2, 2, 2, 2, 1 }, takenAt = takenAt.ToString("uuuu-MM-dd'T'HH:mm", null) }, HttpStatusCode.Created))["id"]!;
        var gad7 = (string)(await ehr.PostAsync(path, new { instrument = "gad7", answers = new[] { 1, 1, 1, 1, 1, 1, 1 } }, HttpStatusCode.Created))["id"]!;
        var pcl5 = (string)(await ehr.PostAsync(path, new { instrument = "pcl5", answers = Enumerable.Repeat(1, 20).ToArray() }, HttpStatusCode.Created))["id"]!;
        await clinic.PostAsync($"{path}/{gad7}/retract", new { reason = "Wrong patient" }, HttpStatusCode.OK);
        var theirs = (string)(await ehr.PostAsync($"{clinic.Base}/patients/{neighbour}/assessments", new { instrument = "phq9", answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 } }, HttpStatusCode.Created))["id"]!;

        var read = await FhirDriver.GetAsync(app, $"/fhir/r4/Observation/{phq9}");
        var retracted = await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Observation/{gad7}");
        var byLoinc = await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Observation?patient=Patient/{patient}&code={FhirMapping.LoincSystem}|70274-6");
        var byOurs = await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Observation?code={FhirMapping.InstrumentSystem}|pcl5");
        var onDay = await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Observation?patient=Patient/{patient}&date={day:uuuu-MM-dd}");
        var mine = await FhirDriver.GetAsync(app, "/fhir/r4/Observation");

        var json = FhirDriver.Json(read);
        Assert.Equal("final", (string)json["status"]!);
        Assert.Equal("survey", (string)json["category"]![0]!["coding"]![0]!["code"]!);
        Assert.Equal(FhirMapping.LoincSystem, (string)json["code"]!["coding"]![0]!["system"]!);
        Assert.Equal("44261-6", (string)json["code"]!["coding"]![0]!["code"]!);
        Assert.Equal(17, (int)json["valueInteger"]!);
        Assert.Equal($"Patient/{patient}", (string)json["subject"]!["reference"]!);
        Assert.Equal(takenAt.InZoneLeniently(zone).ToOffsetDateTime().ToDateTimeOffset(), DateTimeOffset.Parse((string)json["effectiveDateTime"]!, null));
        Assert.EndsWith(zone.GetUtcOffset(takenAt.InZoneLeniently(zone).ToInstant()).ToString("m", null), (string)json["effectiveDateTime"]!);
        var gone = FhirDriver.Json(retracted);
        Assert.Equal("entered-in-error", (string)gone["status"]!);
        Assert.Equal("70274-6", (string)gone["code"]!["coding"]![0]!["code"]!);
        Assert.Equal([gad7], FhirDriver.Ids(FhirDriver.Json(byLoinc)));
        Assert.Equal([pcl5], FhirDriver.Ids(FhirDriver.Json(byOurs)));
        Assert.Equal(FhirMapping.InstrumentSystem, (string)FhirDriver.Json(byOurs)["entry"]![0]!["resource"]!["code"]!["coding"]![0]!["system"]!);
        Assert.Equal([phq9], FhirDriver.Ids(FhirDriver.Json(onDay)));
        Assert.Equal(new[] { phq9, gad7, pcl5 }.Order(), FhirDriver.Ids(FhirDriver.Json(mine)).Order());
        Assert.Empty(FhirDriver.Ids(FhirDriver.Json(await FhirDriver.GetAsync(clinic.Client, "/fhir/r4/Observation?code=http://loinc.org|pcl5"))));

        // A patient's app sees only its own patient's; another clinic sees none; a bad date is named.
        await FhirDriver.GetAsync(app, $"/fhir/r4/Observation/{theirs}", HttpStatusCode.NotFound);
        await FhirDriver.GetAsync(app, $"/fhir/r4/Observation?patient=Patient/{neighbour}", HttpStatusCode.NotFound);
        var other = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        await FhirDriver.GetAsync(other.Client, $"/fhir/r4/Observation/{phq9}", HttpStatusCode.NotFound);
        await FhirDriver.GetAsync(clinic.Client, "/fhir/r4/Observation?date=yesterday", HttpStatusCode.BadRequest);

        // Reading them is in the patient's audit trail, as a /v1 read is.
        var trail = await clinic.GetAsync($"{clinic.Base}/audit-events?patientId={patient}");
        Assert.Contains(trail["items"]!.AsArray(), e => (string)e!["action"]! == "FhirReadObservation");
        Assert.Contains(trail["items"]!.AsArray(), e => (string)e!["action"]! == "FhirSearchObservation");

        var errors = new[] { read, retracted, byLoinc, byOurs, onDay, mine }.SelectMany(validation.Errors).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }
}
