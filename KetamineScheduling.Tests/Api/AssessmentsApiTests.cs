using System.Net;
using NodaTime;

namespace KetamineScheduling.Tests.Api;

/// <summary>/v1/clinics/{id}/patients/{id}/assessments: questionnaires scored by the server, listed and retracted.</summary>
[Collection(ApiCollection.Name)]
public sealed class AssessmentsApiTests(ApiFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    [Fact]
    public async Task A_patient_app_submits_its_own_PHQ9_and_reads_it_scored_but_another_patients_is_a_404()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var other = await clinic.AddPatientAsync();
        var app = clinic.WithKey((await clinic.IssueKeyAsync("patient-app", patient)).Key);

        var mine = await app.PostAsync($"{clinic.Base}/patients/{patient}/assessments", new { instrument = "phq9", answers = new[] { 2, 2, 2, 2, 2, 2, 2, 2, 1 }, timing = "pre-infusion" }, HttpStatusCode.Created);
        var theirs = await app.PostAsync($"{clinic.Base}/patients/{other}/assessments", new { instrument = "phq9", answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 } }, HttpStatusCode.NotFound);
        var listed = await app.GetAsync($"{clinic.Base}/patients/{patient}/assessments");
        await app.GetAsync($"{clinic.Base}/patients/{other}/assessments", HttpStatusCode.NotFound);

        Assert.Equal((17, "moderately-severe", "self-harm-item-positive"), ((int)mine["total"]!, (string)mine["severity"]!, (string)mine["riskFlags"]![0]!));
        Assert.StartsWith(factory.Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).LocalDateTime.ToString("uuuu-MM-dd'T'HH:mm", null), (string)mine["takenAt"]!);
        Assert.Equal((string)mine["id"]!, (string)Assert.Single(listed["items"]!.AsArray())!["id"]!);
        Assert.Equal("Not found", (string)theirs["title"]!);
        var events = (await clinic.GetAsync($"{clinic.Base}/events"))["items"]!.AsArray();
        Assert.Contains(events, e => (string)e!["type"]! == "assessment.risk-flagged" && (string)e["resourceId"]! == (string)mine["id"]!);
    }

    [Fact]
    public async Task Each_band_and_flag_comes_from_the_published_scoring()
    {
        var (clinic, patient) = await ClinicianAsync();
        var path = $"{clinic.Base}/patients/{patient}/assessments";

        var gad = await clinic.PostAsync(path, new { instrument = "gad7", answers = new[] { 3, 3, 3, 3, 3, 0, 0 } }, HttpStatusCode.Created);
        var pcl = await clinic.PostAsync(path, new { instrument = "pcl5", answers = Enumerable.Repeat(2, 17).Concat([0, 0, 0]).ToArray() }, HttpStatusCode.Created);
        var pain = await clinic.PostAsync(path, new { instrument = "pain-nrs", answers = new[] { 0 } }, HttpStatusCode.Created);

        Assert.Equal((15, "severe"), ((int)gad["total"]!, (string)gad["severity"]!));
        Assert.Equal((34, "probable-ptsd"), ((int)pcl["total"]!, (string)pcl["riskFlags"]![0]!));
        Assert.Equal("none", (string)pain["severity"]!);
    }

    [Fact]
    public async Task A_value_out_of_range_names_its_index_and_a_future_takenAt_or_an_unknown_instrument_is_a_400()
    {
        var (clinic, patient) = await ClinicianAsync();
        var path = $"{clinic.Base}/patients/{patient}/assessments";
        var future = factory.Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).LocalDateTime.PlusHours(1).ToString("uuuu-MM-dd'T'HH:mm", null);

        var range = await clinic.PostAsync(path, new { instrument = "phq9", answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 4 } }, HttpStatusCode.BadRequest);
        var count = await clinic.PostAsync(path, new { instrument = "phq9", answers = new[] { 0, 0 } }, HttpStatusCode.BadRequest);
        var later = await clinic.PostAsync(path, new { instrument = "phq9", answers = new int[9], takenAt = future }, HttpStatusCode.BadRequest);
        var unknown = await clinic.PostAsync(path, new { instrument = "bdi", answers = new int[9], timing = "lunch" }, HttpStatusCode.BadRequest);

        Assert.Equal("Must be from 0 to 3; it was 4.", (string)range["errors"]!["answers[8]"]![0]!);
        Assert.NotNull(count["errors"]!["answers"]);
        Assert.NotNull(later["errors"]!["takenAt"]);
        Assert.Contains("pain-nrs", (string)unknown["errors"]!["instrument"]![0]!);
        Assert.Contains("follow-up", (string)unknown["errors"]!["timing"]![0]!);
        Assert.Empty((await clinic.GetAsync(path))["items"]!.AsArray());
    }

    [Fact]
    public async Task Assessments_page_by_cursor_filter_by_instrument_and_date_and_a_retracted_one_says_why()
    {
        var (clinic, patient) = await ClinicianAsync();
        var path = $"{clinic.Base}/patients/{patient}/assessments";
        var today = factory.Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).Date;
        var day = (int n) => today.PlusDays(-n).ToString("uuuu-MM-dd", null);
        var first = await clinic.PostAsync(path, new { instrument = "phq9", answers = new int[9], takenAt = $"{day(3)}T09:00" }, HttpStatusCode.Created);
        await clinic.PostAsync(path, new { instrument = "phq9", answers = new int[9], takenAt = $"{day(2)}T09:00" }, HttpStatusCode.Created);
        await clinic.PostAsync(path, new { instrument = "gad7", answers = new int[7], takenAt = $"{day(1)}T09:00" }, HttpStatusCode.Created);

        var page = await clinic.GetAsync($"{path}?instrument=phq9&limit=1");
        var next = await clinic.GetAsync($"{path}?instrument=phq9&limit=1&cursor={page["nextCursor"]}");
        var dated = await clinic.GetAsync($"{path}?from={day(2)}&to={day(1)}");
        var retracted = await clinic.PostAsync($"{path}/{first["id"]}/retract", new { reason = "Wrong patient" }, HttpStatusCode.OK);
        var again = await clinic.PostAsync($"{path}/{first["id"]}/retract", new { reason = "Wrong patient" }, HttpStatusCode.Conflict);

        Assert.Equal((string)first["id"]!, (string)Assert.Single(page["items"]!.AsArray())!["id"]!);
        Assert.Null(Assert.Single(next["items"]!.AsArray()) is { } n ? next["nextCursor"] : null);
        Assert.Equal(2, dated["items"]!.AsArray().Count);
        Assert.Equal("Wrong patient", (string)retracted["retractReason"]!);
        Assert.NotNull(retracted["retractedAt"]);
        Assert.Equal("Conflict", (string)again["title"]!);
    }

    private async Task<(ClinicDriver Clinic, string Patient)> ClinicianAsync()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        return (clinic.WithKey((await clinic.IssueKeyAsync("clinician")).Key), patient);
    }
}
