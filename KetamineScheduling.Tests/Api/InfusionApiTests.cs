using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// Readiness, dosing and discharge over HTTP (issue 11 §5): check-in, readiness, the start of the infusion with its
/// dose, and completion with the discharge, in a clinic that requires readiness; and every refusal on the way.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class InfusionApiTests(ApiFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    /// <summary>Readiness that passes every default limit, at 70.5 kg.</summary>
    private static object Ready(int systolic = 128, decimal fastingHours = 6, bool rideHomeArranged = true, decimal weightKg = 70.5m, string? pregnancyTest = "not-applicable") => new
    {
        fastingHours,
        rideHomeArranged,
        escortName = "Escort Person",
        vitals = new { systolic, diastolic = 82, heartRate = 74, spo2 = 98 },
        weightKg,
        pregnancyTest,
    };

    /// <summary>A clinic that requires readiness, with one session booked and started and checked in: its path.</summary>
    private async Task<(ClinicDriver Clinic, string Session)> CheckedInAsync()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync(readinessRequired: true);
        var booked = await clinic.BookStartedAsync(factory.Clock);
        var session = $"{clinic.Base}/sessions/{booked["id"]}";
        await clinic.PostAsync($"{session}/check-in", null, HttpStatusCode.OK);
        return (clinic, session);
    }

    private static async Task<JsonObject> PutAsync(ClinicDriver clinic, string path, object body, HttpStatusCode expected)
    {
        using var response = await clinic.Client.PutAsJsonAsync(path, body);
        return await ClinicDriver.ReadAsync(response, expected);
    }

    [Fact]
    public async Task A_clinic_created_without_the_setting_requires_readiness_with_the_documented_limits_and_a_patch_changes_only_what_it_names()
    {
        using var created = await client.PostAsJsonAsync("/v1/clinics", new
        {
            name = "Defaults",
            timeZone = "Europe/London",
            openingHours = new[] { new { day = "Monday", opens = "08:00", closes = "17:00" } },
        });
        var clinic = await ClinicDriver.ReadAsync(created, HttpStatusCode.Created);

        Assert.True((bool)clinic["readinessRequired"]!);
        Assert.Equal(
            """{"minFastingHours":4,"maxSystolic":160,"maxDiastolic":100,"maxHeartRate":110,"minSpo2":94,"rideHomeRequired":true}""",
            clinic["readinessLimits"]!.ToJsonString());

        var patched = await new ClinicDriver(client).PatchAsync($"/v1/clinics/{clinic["id"]}", new { readinessRequired = false, readinessLimits = new { maxSystolic = 150, minFastingHours = 2.5 } }, HttpStatusCode.OK);

        Assert.False((bool)patched["clinic"]!["readinessRequired"]!);
        Assert.Equal(
            """{"minFastingHours":2.5,"maxSystolic":150,"maxDiastolic":100,"maxHeartRate":110,"minSpo2":94,"rideHomeRequired":true}""",
            patched["clinic"]!["readinessLimits"]!.ToJsonString());
    }

    [Fact]
    public async Task Readiness_limits_out_of_range_are_refused_naming_the_limit()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();

        var problem = await clinic.PatchAsync(clinic.Base, new { readinessLimits = new { minSpo2 = 101, minFastingHours = 80 } }, HttpStatusCode.BadRequest);

        Assert.Equal("Must be from 50 to 100; it was 101.", (string)problem["errors"]!["readinessLimits.minSpo2"]![0]!);
        Assert.Equal("Must be from 0 to 72; it was 80.", (string)problem["errors"]!["readinessLimits.minFastingHours"]![0]!);
    }

    [Fact]
    public async Task The_full_flow_checks_in_records_readiness_starts_the_infusion_and_completes_with_the_discharge()
    {
        var (clinic, session) = await CheckedInAsync();

        var direct = await clinic.PostAsync($"{session}/complete", null, HttpStatusCode.Conflict);
        var readiness = await PutAsync(clinic, $"{session}/readiness", Ready(), HttpStatusCode.OK);
        var started = await clinic.PostAsync($"{session}/start-infusion", new { doseMgPerKg = 0.5 }, HttpStatusCode.OK);
        var completed = await clinic.PostAsync($"{session}/complete", new
        {
            dischargeScore = 9,
            vitalsAtDischarge = new { systolic = 132, diastolic = 84, heartRate = 78, spo2 = 97 },
            escortConfirmed = true,
            adverseEvents = new[] { "nausea", "dizziness" },
            note = "Mild nausea, settled.",
        }, HttpStatusCode.OK);
        var read = await clinic.GetAsync(session);

        Assert.Equal("infusion-not-started", (string)direct["rule"]!);
        Assert.True((bool)readiness["ready"]!);
        Assert.Empty(readiness["failures"]!.AsArray());
        Assert.Equal("CheckedIn", (string)readiness["session"]!["status"]!);
        Assert.Equal(70.5m, (decimal)readiness["session"]!["readiness"]!["weightKg"]!);
        Assert.Equal("InInfusion", (string)started["status"]!);
        Assert.Equal(35.3m, (decimal)started["infusion"]!["totalDoseMg"]!);
        Assert.Equal(70.5m, (decimal)started["infusion"]!["weightKg"]!);
        Assert.Null(started["infusion"]!["override"]);
        Assert.Equal("Completed", (string)completed["status"]!);
        Assert.Equal(9, (int)read["discharge"]!["dischargeScore"]!);
        Assert.Equal(["nausea", "dizziness"], read["discharge"]!["adverseEvents"]!.AsArray().Select(e => (string)e!));
        Assert.Equal(35.3m, (decimal)read["infusion"]!["totalDoseMg"]!);
        Assert.True((bool)read["readiness"]!["ready"]!);
        Assert.Equal((int)readiness["session"]!["version"]! + 2, (int)read["version"]!);
    }

    [Fact]
    public async Task Failing_readiness_lists_every_failure_and_refuses_the_start_as_not_ready()
    {
        var (clinic, session) = await CheckedInAsync();

        var readiness = await PutAsync(clinic, $"{session}/readiness", Ready(systolic: 161, fastingHours: 3.5m, rideHomeArranged: false), HttpStatusCode.OK);
        using var refused = await clinic.Client.PostAsJsonAsync($"{session}/start-infusion", new { doseMgPerKg = 0.5 });
        var problem = await ClinicDriver.ProblemAsync(refused, HttpStatusCode.Conflict);

        Assert.False((bool)readiness["ready"]!);
        Assert.Equal(
            """[{"check":"fasting-hours","value":"3.5","limit":"at least 4"},{"check":"systolic","value":"161","limit":"at most 160"},{"check":"ride-home","value":"false","limit":"true"}]""",
            readiness["failures"]!.ToJsonString());
        Assert.EndsWith(":not-ready", (string)problem["type"]!, StringComparison.Ordinal);
        Assert.Equal(readiness["failures"]!.ToJsonString(), problem["failures"]!.ToJsonString());
        Assert.Equal("CheckedIn", (string)(await clinic.GetAsync(session))["status"]!);
    }

    [Fact]
    public async Task Without_readiness_the_start_is_not_ready_and_a_prescribers_override_starts_it_recorded_and_announced()
    {
        var (clinic, session) = await CheckedInAsync();
        var prescriber = await clinic.AddPrescriberAsync();
        var (nurseKeyId, nurseKey) = await clinic.IssueKeyAsync("clinician");
        var nurse = clinic.WithKey(nurseKey);
        object Override(object prescriberId) => new { prescriberId, reason = "Seen by the prescriber" };

        var missing = await nurse.PostAsync($"{session}/start-infusion", new { doseMgPerKg = 0.4 }, HttpStatusCode.Conflict);
        var noWeight = await nurse.PostAsync($"{session}/start-infusion", new { doseMgPerKg = 0.4, @override = Override(prescriber) }, HttpStatusCode.BadRequest);
        var started = await nurse.PostAsync($"{session}/start-infusion", new { doseMgPerKg = 0.4, weightKg = 81.3, @override = Override(prescriber) }, HttpStatusCode.OK);
        var events = await clinic.GetAsync($"{clinic.Base}/events");

        Assert.False((bool)missing["readinessRecorded"]!);
        Assert.EndsWith(":not-ready", (string)missing["type"]!, StringComparison.Ordinal);
        Assert.True(noWeight["errors"]!.AsObject().ContainsKey("weightKg"));
        Assert.Equal("InInfusion", (string)started["status"]!);
        Assert.Equal(32.5m, (decimal)started["infusion"]!["totalDoseMg"]!);
        Assert.Equal(prescriber, (string)started["infusion"]!["override"]!["prescriberId"]!);
        Assert.Equal("Seen by the prescriber", (string)started["infusion"]!["override"]!["reason"]!);
        Assert.False((bool)started["infusion"]!["override"]!["readinessRecorded"]!);
        Assert.Equal(nurseKeyId, (string)started["infusion"]!["startedBy"]!["keyId"]!);
        var types = events["items"]!.AsArray().Where(e => (string)e!["resourceId"]! == (string)started["id"]!).Select(e => (string)e!["type"]!).ToList();
        Assert.Equal(["session.booked", "session.checked_in", "session.infusion_started", "session.readiness_overridden"], types);
    }

    [Fact]
    public async Task An_override_needs_an_active_prescriber_of_the_clinics_staff()
    {
        var (clinic, session) = await CheckedInAsync();
        await PutAsync(clinic, $"{session}/readiness", Ready(systolic: 175), HttpStatusCode.OK);
        var nurse = (string)(await clinic.PostAsync($"{clinic.Base}/staff", new { name = "A Nurse", kinds = new[] { "nurse" } }, HttpStatusCode.Created))["id"]!;
        var retired = await clinic.AddPrescriberAsync("Dr Retired");
        await clinic.PatchAsync($"{clinic.Base}/staff/{retired}", new { active = false }, HttpStatusCode.OK);
        object Start(object prescriberId) => new { @override = new { prescriberId, reason = "Reviewed" } };

        var unknown = await clinic.PostAsync($"{session}/start-infusion", Start(Guid.NewGuid()), HttpStatusCode.NotFound);
        var notPrescriber = await clinic.PostAsync($"{session}/start-infusion", Start(nurse), HttpStatusCode.UnprocessableEntity);
        var inactive = await clinic.PostAsync($"{session}/start-infusion", Start(retired), HttpStatusCode.UnprocessableEntity);

        Assert.True(unknown["errors"]!.AsObject().ContainsKey("override.prescriberId"));
        Assert.Contains("not a prescriber", (string)notPrescriber["errors"]!["override.prescriberId"]![0]!, StringComparison.Ordinal);
        Assert.Contains("no longer active", (string)inactive["errors"]!["override.prescriberId"]![0]!, StringComparison.Ordinal);
        Assert.Equal("CheckedIn", (string)(await clinic.GetAsync(session))["status"]!);
    }

    [Fact]
    public async Task An_Aldrete_score_under_9_is_not_fit_for_discharge_and_leaves_the_session_in_infusion()
    {
        var (clinic, session) = await CheckedInAsync();
        await PutAsync(clinic, $"{session}/readiness", Ready(), HttpStatusCode.OK);
        await clinic.PostAsync($"{session}/start-infusion", new { doseMgPerKg = 0.5 }, HttpStatusCode.OK);

        using var response = await clinic.Client.PostAsJsonAsync($"{session}/complete", new { dischargeScore = 8, adverseEvents = Array.Empty<string>() });
        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        var read = await clinic.GetAsync(session);

        Assert.Equal("Not fit for discharge", (string)problem["title"]!);
        Assert.EndsWith(":not-fit-for-discharge", (string)problem["type"]!, StringComparison.Ordinal);
        Assert.Equal("InInfusion", (string)read["status"]!);
        Assert.Null(read["discharge"]);
    }

    [Fact]
    public async Task Every_bad_field_is_a_400_naming_it_and_writes_nothing()
    {
        var (clinic, session) = await CheckedInAsync();

        var weight = await PutAsync(clinic, $"{session}/readiness", Ready(weightKg: 0), HttpStatusCode.BadRequest);
        var pregnancy = await PutAsync(clinic, $"{session}/readiness", Ready(pregnancyTest: "maybe"), HttpStatusCode.BadRequest);
        var vitals = await PutAsync(clinic, $"{session}/readiness", new { fastingHours = 6, rideHomeArranged = true, vitals = new { systolic = 1200, diastolic = 82, heartRate = 74, spo2 = 98 }, weightKg = 70 }, HttpStatusCode.BadRequest);
        var dose = await clinic.PostAsync($"{session}/start-infusion", new { doseMgPerKg = 5 }, HttpStatusCode.BadRequest);
        var reason = await clinic.PostAsync($"{session}/start-infusion", new { @override = new { prescriberId = Guid.NewGuid(), reason = " " } }, HttpStatusCode.BadRequest);
        var adverse = await clinic.PostAsync($"{session}/complete", new { adverseEvents = new[] { "nausea", "sneezing" } }, HttpStatusCode.BadRequest);
        var other = await clinic.PostAsync($"{session}/complete", new { adverseEvents = new[] { "other" } }, HttpStatusCode.BadRequest);
        var score = await clinic.PostAsync($"{session}/complete", new { dischargeScore = 11 }, HttpStatusCode.BadRequest);
        var read = await clinic.GetAsync(session);

        Assert.Equal("Must be from 30 to 250; it was 0.", (string)weight["errors"]!["weightKg"]![0]!);
        Assert.Equal("Must be one of negative, positive, not-applicable.", (string)pregnancy["errors"]!["pregnancyTest"]![0]!);
        Assert.Equal("Must be from 50 to 300; it was 1200.", (string)vitals["errors"]!["vitals.systolic"]![0]!);
        Assert.Equal("Must be from 0.1 to 1; it was 5.", (string)dose["errors"]!["doseMgPerKg"]![0]!);
        Assert.True(reason["errors"]!.AsObject().ContainsKey("override.reason"));
        Assert.Equal("Must be one of nausea, vomiting, dizziness, headache, hypertension, agitation, dissociation-severe, other.", (string)adverse["errors"]!["adverseEvents[1]"]![0]!);
        Assert.True(other["errors"]!.AsObject().ContainsKey("note"));
        Assert.Equal("Must be from 0 to 10; it was 11.", (string)score["errors"]!["dischargeScore"]![0]!);
        Assert.Equal("CheckedIn", (string)read["status"]!);
        Assert.Null(read["readiness"]);
        Assert.Null(read["infusion"]);
    }

    [Fact]
    public async Task Readiness_is_taken_only_once_checked_in_and_not_once_the_infusion_has_started()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync(readinessRequired: true);
        var booked = await clinic.BookStartedAsync(factory.Clock);
        var session = $"{clinic.Base}/sessions/{booked["id"]}";

        var early = await PutAsync(clinic, $"{session}/readiness", Ready(), HttpStatusCode.Conflict);
        await clinic.PostAsync($"{session}/check-in", null, HttpStatusCode.OK);
        await PutAsync(clinic, $"{session}/readiness", Ready(systolic: 170), HttpStatusCode.OK);
        var again = await PutAsync(clinic, $"{session}/readiness", Ready(), HttpStatusCode.OK);
        await clinic.PostAsync($"{session}/start-infusion", null, HttpStatusCode.OK);
        var late = await PutAsync(clinic, $"{session}/readiness", Ready(), HttpStatusCode.Conflict);
        var cancel = await clinic.PostAsync($"{session}/cancel", new { reason = "Changed mind" }, HttpStatusCode.Conflict);

        Assert.Equal("not-checked-in", (string)early["rule"]!);
        Assert.True((bool)again["ready"]!);
        Assert.Equal("not-checked-in", (string)late["rule"]!);
        Assert.Contains("InInfusion", (string)cancel["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scheduler_may_complete_a_session_but_not_record_its_discharge()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var booked = await clinic.BookStartedAsync(factory.Clock);
        var session = $"{clinic.Base}/sessions/{booked["id"]}";
        await clinic.PostAsync($"{session}/check-in", null, HttpStatusCode.OK);
        var desk = clinic.WithKey((await clinic.IssueKeyAsync("scheduler")).Key);

        await desk.PostAsync($"{session}/complete", new { dischargeScore = 10 }, HttpStatusCode.Forbidden);
        var completed = await desk.PostAsync($"{session}/complete", null, HttpStatusCode.OK);

        Assert.Equal("Completed", (string)completed["status"]!);
        Assert.Null(completed["discharge"]);
    }
}
