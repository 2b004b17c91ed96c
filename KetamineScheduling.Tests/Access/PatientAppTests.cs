using System.Net;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Access;

/// <summary>A patient's app sees its own patient and nobody else, and cancels only where and when the clinic allows.</summary>
[Collection(ApiCollection.Name)]
public sealed class PatientAppTests(ApiFactory factory)
{
    private sealed record Patient(string Id, string Plan, string Session);

    private static async Task<Patient> AddPatientWithPlanAndSessionAsync(ClinicDriver clinic, string chair, string start)
    {
        var patient = await clinic.AddPatientAsync();
        var plan = await clinic.AddPlanAsync(patient, "2027-03-01");
        var session = await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start, infusionMinutes = 40 }, HttpStatusCode.Created);
        return new Patient(patient, (string)plan["id"]!, (string)session["id"]!);
    }

    private async Task<(ClinicDriver Clinic, ClinicDriver App, Patient Own, Patient Other)> ArrangeAsync(bool patientsMayCancel)
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync(patientsMayCancel: patientsMayCancel);
        var chair = await clinic.AddChairAsync();
        var own = await AddPatientWithPlanAndSessionAsync(clinic, chair, "2027-05-03T10:00");
        var other = await AddPatientWithPlanAndSessionAsync(clinic, chair, "2027-05-03T13:00");
        return (clinic, new ClinicDriver(await clinic.ClientForAsync("patient-app", own.Id)), own, other);
    }

    [Fact]
    public async Task A_patient_app_reads_its_own_patients_plans_and_sessions()
    {
        var (clinic, app, own, _) = await ArrangeAsync(patientsMayCancel: false);

        var plan = await app.GetAsync($"{clinic.Base}/treatment-plans/{own.Plan}");
        var plans = await app.GetAsync($"{clinic.Base}/treatment-plans");
        var session = await app.GetAsync($"{clinic.Base}/sessions/{own.Session}");
        var upcoming = await app.GetAsync($"{clinic.Base}/patients/{own.Id}/sessions/upcoming");

        Assert.Equal(own.Id, (string)plan["patientId"]!);
        Assert.Equal([own.Plan], plans["items"]!.AsArray().Select(p => (string)p!["id"]!));
        Assert.Equal(own.Id, (string)session["patientId"]!);
        Assert.Equal([own.Session], upcoming["items"]!.AsArray().Select(s => (string)s!["id"]!));
    }

    [Fact]
    public async Task Another_patients_ids_are_not_found_for_a_patient_app()
    {
        var (clinic, app, _, other) = await ArrangeAsync(patientsMayCancel: true);

        await app.GetAsync($"{clinic.Base}/treatment-plans/{other.Plan}", HttpStatusCode.NotFound);
        await app.GetAsync($"{clinic.Base}/treatment-plans?patientId={other.Id}", HttpStatusCode.NotFound);
        await app.GetAsync($"{clinic.Base}/sessions/{other.Session}", HttpStatusCode.NotFound);
        await app.GetAsync($"{clinic.Base}/patients/{other.Id}/sessions/upcoming", HttpStatusCode.NotFound);
        await app.PostAsync($"{clinic.Base}/sessions/{other.Session}/cancel", null, HttpStatusCode.NotFound);
        Assert.Equal("Booked", (string)(await clinic.GetAsync($"{clinic.Base}/sessions/{other.Session}"))["status"]!);
    }

    [Fact]
    public async Task A_patient_app_may_not_use_the_staff_routes()
    {
        var (clinic, app, own, _) = await ArrangeAsync(patientsMayCancel: true);

        await app.GetAsync($"{clinic.Base}/patients/{own.Id}", HttpStatusCode.Forbidden);
        await app.GetAsync($"{clinic.Base}/sessions?date=2027-05-03", HttpStatusCode.Forbidden);
        await app.PostAsync($"{clinic.Base}/sessions/{own.Session}/reschedule", new { start = "2027-05-04T10:00" }, HttpStatusCode.Forbidden);
        await app.PostAsync($"{clinic.Base}/treatment-plans/{own.Plan}/book", null, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Me_upcoming_sessions_lists_the_keys_patients_sessions_without_any_ids()
    {
        var (_, app, own, _) = await ArrangeAsync(patientsMayCancel: false);

        var upcoming = await app.GetAsync("/v1/me/upcoming-sessions");

        Assert.Equal([own.Session], upcoming["items"]!.AsArray().Select(s => (string)s!["id"]!));
    }

    [Fact]
    public async Task Only_a_patient_app_key_has_a_me()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();

        await clinic.GetAsync("/v1/me/upcoming-sessions", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_patient_app_cancels_its_own_future_session_when_the_clinic_allows_it()
    {
        var (clinic, app, own, _) = await ArrangeAsync(patientsMayCancel: true);

        var cancelled = await app.PostAsync($"{clinic.Base}/sessions/{own.Session}/cancel", new { reason = "Away" }, HttpStatusCode.OK);

        Assert.Equal("Cancelled", (string)cancelled["status"]!);
    }

    [Fact]
    public async Task A_patient_app_may_not_cancel_where_the_clinic_does_not_allow_it()
    {
        var (clinic, app, own, _) = await ArrangeAsync(patientsMayCancel: false);

        var problem = await app.PostAsync($"{clinic.Base}/sessions/{own.Session}/cancel", null, HttpStatusCode.Forbidden);

        Assert.Contains("does not let patients cancel", (string)problem["detail"]!);
        Assert.Equal("Booked", (string)(await clinic.GetAsync($"{clinic.Base}/sessions/{own.Session}"))["status"]!);
    }

    [Fact]
    public async Task A_patient_app_cannot_cancel_a_session_that_has_started()
    {
        using var own = ApiFactory.With();
        var clinic = await new ClinicDriver(own.NewClient()).CreateClinicAsync(patientsMayCancel: true);
        var chair = await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        var session = await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start = "2027-01-04T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        var app = new ClinicDriver(await clinic.ClientForAsync("patient-app", patient));

        own.Clock.AdvanceMinutes(61);

        var problem = await app.PostAsync($"{clinic.Base}/sessions/{session["id"]}/cancel", null, HttpStatusCode.Forbidden);
        Assert.Contains("has started", (string)problem["detail"]!);
    }
}
