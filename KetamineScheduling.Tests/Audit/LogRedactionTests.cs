using System.Net;
using System.Net.Http.Json;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Audit;

/// <summary>Patient names never reach the logs or the audit trail, not even when a request about them fails.</summary>
public sealed class LogRedactionTests
{
    private const string Name = "Zebulon Quixwhistle";

    [Fact]
    public async Task A_patients_name_appears_in_no_log_line_and_no_audit_event_through_a_whole_flow_with_failures()
    {
        using var factory = ApiFactory.With(settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        });
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync(patientsMayCancel: true);
        var chair = await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync("MRN-ZQ", Name);
        var booked = await clinic.BookPlanAsync(patient, inductionSessions: 2);
        var session = (string)booked["sessions"]![0]!["session"]!["id"]!;
        await clinic.PostAsync($"{clinic.Base}/sessions/{session}/reschedule", new { start = "2027-01-11T11:00", chairId = chair }, HttpStatusCode.OK);
        await clinic.GetAsync($"{clinic.Base}/patients/{patient}");
        await clinic.GetAsync($"{clinic.Base}/patients?externalId=MRN-ZQ");

        // Failures that carry the name: a duplicate, one too long, malformed JSON, and no key at all.
        await clinic.PostAsync($"{clinic.Base}/patients", new { externalId = "MRN-ZQ", displayName = Name }, HttpStatusCode.Conflict);
        await clinic.PostAsync($"{clinic.Base}/patients", new { externalId = "MRN-ZQ2", displayName = Name + new string('!', 300) }, HttpStatusCode.BadRequest);
        using var malformed = await clinic.Client.PostAsync($"{clinic.Base}/patients", new StringContent($$"""{"externalId":"MRN-ZQ3","displayName":"{{Name}}","notes":"{{Name}} is anxious"}""", System.Text.Encoding.UTF8, "application/json"));
        using var truncated = await clinic.Client.PostAsync($"{clinic.Base}/patients", new StringContent($$"""{"externalId":"MRN-ZQ4","displayName":"{{Name}}""", System.Text.Encoding.UTF8, "application/json"));
        using var anonymous = await factory.NewClient(key: null).PostAsJsonAsync($"{clinic.Base}/patients", new { externalId = "MRN-ZQ5", displayName = Name });
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized], [malformed.StatusCode, truncated.StatusCode, anonymous.StatusCode]);
        var audit = await clinic.GetAsync($"{clinic.Base}/audit-events?patientId={patient}");

        Assert.NotEmpty(audit["items"]!.AsArray());
        Assert.DoesNotContain("Zebulon", audit.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(factory.Logs, line => line.Contains($"{clinic.Base}/patients", StringComparison.Ordinal));
        Assert.All(new[] { 400, 401, 409 }, status => Assert.Contains(factory.Logs, line => line.Contains($"/patients - {status} ", StringComparison.Ordinal)));
        var leaks = factory.Logs.Where(line => line.Contains("Zebulon", StringComparison.OrdinalIgnoreCase) || line.Contains("Quixwhistle", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    [Fact]
    public async Task Answers_scores_and_clinical_notes_appear_in_no_log_line_and_no_audit_event()
    {
        const string Note = "Xylophorbic";
        using var factory = ApiFactory.With(settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        });
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync(intakeRequired: true);
        var prescriber = await clinic.AddPrescriberAsync();
        var patient = await clinic.AddPatientAsync();
        var clinician = clinic.WithKey((await clinic.IssueKeyAsync("clinician", null)).Key);
        var plan = await clinic.PostAsync($"{clinic.Base}/treatment-plans", new
        {
            patientId = patient, startDate = "2027-01-11", preferredStartTime = "10:00", indication = new { condition = "ptsd", note = Note }, prescriberId = prescriber,
        }, HttpStatusCode.Created);
        int[] answers = [3, 1, 2, 3, 1, 2, 3, 1, 2];
        var path = $"{clinic.Base}/patients/{patient}/assessments";
        var assessment = await clinician.PostAsync(path, new { instrument = "phq9", answers }, HttpStatusCode.Created);
        await clinician.PostAsync(path, new { instrument = "phq9", answers = new[] { 3, 1, 2, 3, 1, 2, 3, 1, 7 } }, HttpStatusCode.BadRequest);
        await clinician.PostAsync($"{path}/{assessment["id"]}/retract", new { reason = Note }, HttpStatusCode.OK);
        await clinician.GetAsync(path);
        await clinician.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/intake", new
        {
            prescriberId = prescriber, historyReviewed = true, medicationsReviewed = true, consentSignedOn = "2027-01-04", contraindications = new[] { "pregnancy" }, decision = "approved", note = Note,
        }, HttpStatusCode.UnprocessableEntity);
        using var malformed = await clinician.Client.PostAsync(path, new StringContent($$"""{"instrument":"phq9","answers":[3,1,2,"{{Note}}"]""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var audit = await clinic.GetAsync($"{clinic.Base}/audit-events?patientId={patient}");

        Assert.NotEmpty(audit["items"]!.AsArray());
        Assert.Contains(factory.Logs, line => line.Contains("/assessments", StringComparison.Ordinal));
        var leaks = factory.Logs.Append(audit.ToJsonString())
            .Where(line => line.Contains(Note, StringComparison.OrdinalIgnoreCase) || line.Contains("3,1,2", StringComparison.Ordinal) || line.Contains("\"total\"", StringComparison.Ordinal)
                || line.Contains("moderately", StringComparison.OrdinalIgnoreCase) || line.Contains("self-harm", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    [Fact]
    public async Task Readiness_vitals_doses_and_discharge_notes_appear_in_no_log_line_and_no_audit_event_even_when_refused()
    {
        using var factory = ApiFactory.With(settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        });
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync(readinessRequired: true);
        var booked = await clinic.BookStartedAsync(factory.Clock);
        var session = $"{clinic.Base}/sessions/{booked["id"]}";
        await clinic.PostAsync($"{session}/check-in", null, HttpStatusCode.OK);
        object Readiness(int systolic) => new { fastingHours = 6.25, rideHomeArranged = true, escortName = Name, vitals = new { systolic, diastolic = 91, heartRate = 77, spo2 = 96 }, weightKg = 88.8, pregnancyTest = "negative" };

        // Refused first: a vital no one could measure, readiness that fails, a start without an override, an Aldrete of 8.
        using var impossible = await clinic.Client.PutAsJsonAsync($"{session}/readiness", Readiness(1200));
        using var failing = await clinic.Client.PutAsJsonAsync($"{session}/readiness", Readiness(171));
        await clinic.PostAsync($"{session}/start-infusion", new { doseMgPerKg = 0.45 }, HttpStatusCode.Conflict);
        using var passing = await clinic.Client.PutAsJsonAsync($"{session}/readiness", Readiness(139));
        await clinic.PostAsync($"{session}/start-infusion", new { doseMgPerKg = 0.45 }, HttpStatusCode.OK);
        const string Note = "Quixwhistle felt floaty";
        await clinic.PostAsync($"{session}/complete", new { dischargeScore = 8, adverseEvents = new[] { "other" }, note = Note }, HttpStatusCode.UnprocessableEntity);
        await clinic.PostAsync($"{session}/complete", new { dischargeScore = 10, adverseEvents = new[] { "other" }, note = Note }, HttpStatusCode.OK);
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.OK], [impossible.StatusCode, failing.StatusCode, passing.StatusCode]);
        var audit = await clinic.GetAsync($"{clinic.Base}/audit-events?patientId={booked["patientId"]}");

        string[] secrets = [Name, "Quixwhistle", "floaty", "it was", "1200", "systolic", "fastingHours", "88.8", "39.96", "dischargeScore"];
        Assert.Contains(audit["items"]!.AsArray(), e => (string)e!["action"]! == "StartSessionInfusion");
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, audit.ToJsonString(), StringComparison.OrdinalIgnoreCase));
        Assert.Contains(factory.Logs, line => line.Contains("/readiness - 400 ", StringComparison.Ordinal));
        var leaks = factory.Logs.Where(line => secrets.Any(secret => line.Contains(secret, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }
}
