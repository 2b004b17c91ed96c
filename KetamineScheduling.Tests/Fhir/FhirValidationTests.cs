using System.Net;
using System.Net.Http.Json;
using KetamineScheduling.Api.Fhir;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Fhir;

/// <summary>Everything the FHIR API emits is valid base FHIR R4, by Firely's validator: zero errors.</summary>
[Collection(FhirCollection.Name)]
public sealed class FhirValidationTests(ApiFactory factory, FhirValidation validation)
{
    [Fact]
    public async Task Every_resource_and_bundle_the_API_emits_validates_against_base_R4()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var fhir = clinic.Client;

        // One Appointment in each status; the started ones move the clock, as their time rules need.
        var booked = await clinic.BookStartedAsync(factory.Clock);
        var checkedIn = await clinic.BookStartedAsync(factory.Clock);
        await clinic.PostAsync($"{clinic.Base}/sessions/{checkedIn["id"]}/check-in", null, HttpStatusCode.OK);
        var inInfusion = await clinic.BookStartedAsync(factory.Clock);
        await clinic.PostAsync($"{clinic.Base}/sessions/{inInfusion["id"]}/check-in", null, HttpStatusCode.OK);
        using (var readiness = await fhir.PutAsJsonAsync($"{clinic.Base}/sessions/{inInfusion["id"]}/readiness", new
        {
            fastingHours = 6,
            rideHomeArranged = true,
            escortName = "Escort Person",
            vitals = new { systolic = 128, diastolic = 82, heartRate = 74, spo2 = 98 },
            weightKg = 70.5,
            pregnancyTest = "not-applicable",
        }))
        {
            await ClinicDriver.ReadAsync(readiness, HttpStatusCode.OK);
        }

        await clinic.PostAsync($"{clinic.Base}/sessions/{inInfusion["id"]}/start-infusion", new { doseMgPerKg = 0.5 }, HttpStatusCode.OK);
        var completed = await clinic.BookStartedAsync(factory.Clock);
        await clinic.PostAsync($"{clinic.Base}/sessions/{completed["id"]}/check-in", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/sessions/{completed["id"]}/complete", null, HttpStatusCode.OK);
        var noShow = await clinic.BookStartedAsync(factory.Clock);
        await clinic.PostAsync($"{clinic.Base}/sessions/{noShow["id"]}/no-show", null, HttpStatusCode.OK);
        var chair = await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync("MRN-VALID");
        var day = factory.Clock.GetCurrentInstant().InUtc().Date.PlusDays(21);
        while (day.DayOfWeek is NodaTime.IsoDayOfWeek.Sunday or NodaTime.IsoDayOfWeek.Saturday)
        {
            day = day.PlusDays(1);
        }

        var date = day.ToString("uuuu-MM-dd", null);
        var cancelled = await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start = $"{date}T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/sessions/{cancelled["id"]}/cancel", new { reason = "Patient unwell" }, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start = $"{date}T14:00", infusionMinutes = 40 }, HttpStatusCode.Created);

        // A plan still a draft (every session a detail) and one booked (every session a reference).
        var draft = await clinic.AddPlanAsync(patient, day.PlusDays(7).ToString("uuuu-MM-dd", null), inductionSessions: 3);
        var bookedPlanPatient = await clinic.AddPatientAsync();
        var plan = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{(await clinic.AddPlanAsync(bookedPlanPatient, day.PlusDays(2).ToString("uuuu-MM-dd", null), inductionSessions: 2))["id"]}/book", null, HttpStatusCode.OK);

        var paths = new List<string>
        {
            "/fhir/r4/metadata",
            $"/fhir/r4/Patient/{patient}",
            "/fhir/r4/Patient?identifier=MRN-VALID",
            $"/fhir/r4/Location/{chair}",
            "/fhir/r4/Location",
            $"/fhir/r4/Schedule/{chair}",
            $"/fhir/r4/Schedule?actor=Location/{chair}",
            $"/fhir/r4/Slot?schedule=Schedule/{chair}&start=ge{date}&start=lt{day.PlusDays(1):uuuu-MM-dd}",
            $"/fhir/r4/Appointment?patient=Patient/{patient}&_count=1",
            $"/fhir/r4/CarePlan/{draft["id"]}",
            $"/fhir/r4/CarePlan/{plan["id"]}",
            $"/fhir/r4/CarePlan?patient=Patient/{patient}",
        };
        paths.AddRange(new[] { booked, checkedIn, inInfusion, completed, noShow, cancelled }.Select(s => $"/fhir/r4/Appointment/{s["id"]}"));
        var answers = new List<string>();
        foreach (var path in paths)
        {
            answers.Add(await FhirDriver.GetAsync(fhir, path));
        }

        answers.Add(await FhirDriver.PostAsync(fhir, "/fhir/r4/Appointment/$find", FhirDriver.Find($"{date}T08:00:00+00:00", $"{date}T12:00:00+00:00", patient, chair, count: 3)));
        var arrived = FhirDriver.Json(await FhirDriver.GetAsync(fhir, "/fhir/r4/Appointment?status=arrived"));
        Assert.Equal([(string)inInfusion["id"]!], FhirDriver.Ids(arrived));
        answers.Add(await FhirDriver.GetAsync(fhir, $"/fhir/r4/Appointment/{Guid.NewGuid()}", HttpStatusCode.NotFound));
        answers.Add(await FhirDriver.GetAsync(fhir, "/fhir/r4/Appointment?status=unknown-status", HttpStatusCode.BadRequest));

        // A plan's indication, as a contained Condition coded in ICD-10-CM, and one with no code.
        var indicated = await clinic.PostAsync($"{clinic.Base}/treatment-plans", new
        {
            patientId = await clinic.AddPatientAsync(),
            startDate = day.PlusDays(3).ToString("uuuu-MM-dd", null),
            preferredStartTime = "10:00",
            indication = new { condition = "treatment-resistant-depression", icd10 = "F33.2", note = "Two failed SSRI trials" },
        }, HttpStatusCode.Created);
        var uncoded = await clinic.PostAsync($"{clinic.Base}/treatment-plans", new
        {
            patientId = await clinic.AddPatientAsync(),
            startDate = day.PlusDays(3).ToString("uuuu-MM-dd", null),
            preferredStartTime = "10:00",
            indication = new { condition = "ptsd" },
        }, HttpStatusCode.Created);
        var carePlan = FhirDriver.Json(await FhirDriver.GetAsync(fhir, $"/fhir/r4/CarePlan/{indicated["id"]}"));
        answers.Add(carePlan.ToJsonString());
        answers.Add(await FhirDriver.GetAsync(fhir, $"/fhir/r4/CarePlan/{uncoded["id"]}"));
        Assert.Equal("#indication", (string)carePlan["addresses"]![0]!["reference"]!);
        var condition = carePlan["contained"]![0]!;
        Assert.Equal("Condition", (string)condition["resourceType"]!);
        Assert.Equal("Treatment-resistant depression", (string)condition["code"]!["text"]!);
        Assert.Equal(FhirMapping.Icd10CmSystem, (string)condition["code"]!["coding"]![0]!["system"]!);
        Assert.Equal("F33.2", (string)condition["code"]!["coding"]![0]!["code"]!);

        var errors = answers.SelectMany(validation.Errors).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        var types = answers.Select(a => FhirValidation.Parse(a).TypeName).Distinct().Order().ToList();
        Assert.Equal(["Appointment", "Bundle", "CapabilityStatement", "CarePlan", "Location", "OperationOutcome", "Patient", "Schedule"], types);
        Assert.Equal(
            ["arrived", "booked", "cancelled", "checked-in", "fulfilled", "noshow"],
            answers.Select(FhirDriver.Json).Where(j => (string?)j["resourceType"] == "Appointment").Select(j => (string)j["status"]!).Order());
    }

    [Fact]
    public void The_validator_finds_the_errors_of_an_invalid_appointment()
    {
        // Booked needs a start and an end (app-3), and a participant an actor or a type (app-1): a validator that passed this would prove nothing.
        var errors = validation.Errors("""{"resourceType": "Appointment", "id": "x", "status": "booked", "participant": [{"status": "accepted"}]}""");

        Assert.NotEmpty(errors);
    }
}
