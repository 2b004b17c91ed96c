using System.Net;
using System.Text.Json.Nodes;
using NodaTime;

namespace KetamineScheduling.Tests.Api;

/// <summary>A plan's indication, prescriber and measure, and the intake gate before booking.</summary>
[Collection(ApiCollection.Name)]
public sealed class IntakeApiTests(ApiFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    [Fact]
    public async Task A_clinic_created_without_the_setting_requires_an_intake_and_a_PATCH_turns_it_off()
    {
        var driver = new ClinicDriver(client);
        var created = await driver.PostAsync("/v1/clinics", new { name = "Intake", timeZone = "Europe/London", openingHours = new[] { new { day = "Monday", opens = "08:00", closes = "17:00" } } }, HttpStatusCode.Created);
        var clinic = await new ClinicDriver(client).CreateClinicAsync();

        var changed = await clinic.PatchAsync(clinic.Base, new { intakeRequired = true }, HttpStatusCode.OK);

        Assert.True((bool)created["intakeRequired"]!);
        Assert.True((bool)changed["clinic"]!["intakeRequired"]!);
    }

    [Fact]
    public async Task With_the_gate_on_a_plan_without_an_intake_is_a_409_and_books_once_a_prescriber_approves()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync(intakeRequired: true);
        await clinic.AddChairAsync();
        var prescriber = await clinic.AddPrescriberAsync();
        var plan = await AddPlanAsync(clinic, prescriber);

        var refused = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/book", null, HttpStatusCode.Conflict);
        var approved = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/intake", Approval(prescriber, "controlled-hypertension"), HttpStatusCode.OK);
        var booked = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/book", null, HttpStatusCode.OK);

        Assert.EndsWith("intake-required", (string)refused["type"]!);
        Assert.Equal(("treatment-resistant-depression", "F33.2", "phq9", prescriber),
            ((string)plan["indication"]!["condition"]!, (string)plan["indication"]!["icd10"]!, (string)plan["primaryMeasure"]!, (string)plan["prescriberId"]!));
        var intake = approved["intake"]!;
        Assert.Equal(("approved", prescriber, "controlled-hypertension"), ((string)intake["decision"]!, (string)intake["prescriberId"]!, (string)intake["contraindications"]![0]!));
        Assert.Equal(factory.Clock.GetCurrentInstant(), NodaTime.Text.InstantPattern.General.Parse((string)intake["decidedAt"]!).Value);
        Assert.Equal("Active", (string)booked["status"]!);
        var events = (await clinic.GetAsync($"{clinic.Base}/events"))["items"]!.AsArray();
        Assert.Contains(events, e => (string)e!["type"]! == "plan.intake-approved" && (string)e["resourceId"]! == (string)plan["id"]!);
    }

    [Fact]
    public async Task With_the_gate_off_a_plan_books_without_an_intake_but_a_declined_one_never_does()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        await clinic.AddChairAsync();
        var prescriber = await clinic.AddPrescriberAsync();
        var plain = await AddPlanAsync(clinic, prescriber);
        var declined = await AddPlanAsync(clinic, prescriber, startInDays: 60);

        await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plain["id"]}/book", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/treatment-plans/{declined["id"]}/intake", Intake(prescriber, "declined"), HttpStatusCode.OK);
        var refused = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{declined["id"]}/book", null, HttpStatusCode.Conflict);

        Assert.EndsWith("intake-required", (string)refused["type"]!);
        var events = (await clinic.GetAsync($"{clinic.Base}/events"))["items"]!.AsArray();
        Assert.Contains(events, e => (string)e!["type"]! == "plan.intake-declined");
    }

    [Fact]
    public async Task Approving_with_an_absolute_contraindication_is_a_422_that_names_it()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync(intakeRequired: true);
        var prescriber = await clinic.AddPrescriberAsync();
        var plan = await AddPlanAsync(clinic, prescriber);

        var refused = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/intake", Approval(prescriber, "glaucoma", "pregnancy"), HttpStatusCode.UnprocessableEntity);

        Assert.Contains("pregnancy", (string)refused["errors"]!["contraindications"]![0]!);
        Assert.DoesNotContain("glaucoma", (string)refused["errors"]!["contraindications"]![0]!);
        Assert.Null((await clinic.GetAsync($"{clinic.Base}/treatment-plans/{plan["id"]}"))["intake"]);
    }

    [Fact]
    public async Task Approval_needs_both_reviews_consent_by_today_an_indication_and_an_active_prescriber()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync(intakeRequired: true);
        var prescriber = await clinic.AddPrescriberAsync();
        await clinic.PatchAsync($"{clinic.Base}/staff/{prescriber}", new { active = false }, HttpStatusCode.OK);
        var patient = await clinic.AddPatientAsync();
        var plan = await clinic.PostAsync($"{clinic.Base}/treatment-plans", new { patientId = patient, startDate = StartDate(14), preferredStartTime = "10:00" }, HttpStatusCode.Created);
        var tomorrow = Today().PlusDays(1).ToString("uuuu-MM-dd", null);

        var refused = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/intake", new
        {
            prescriberId = prescriber, historyReviewed = false, medicationsReviewed = false, consentSignedOn = tomorrow, contraindications = Array.Empty<string>(), decision = "approved",
        }, HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["consentSignedOn", "historyReviewed", "indication", "medicationsReviewed", "prescriberId"], refused["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Equal("phq9", (string)plan["primaryMeasure"]!);
        Assert.Equal(0, (int)plan["maintenance"]!["sessions"]!);
    }

    [Fact]
    public async Task Bad_indication_codes_and_measures_are_400s_naming_the_field_and_the_measure_follows_the_condition()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var plans = $"{clinic.Base}/treatment-plans";

        var bad = await clinic.PostAsync(plans, new { patientId = patient, startDate = StartDate(14), preferredStartTime = "10:00", indication = new { condition = "flu", icd10 = "f33" }, primaryMeasure = "bdi" }, HttpStatusCode.BadRequest);
        var ptsd = await clinic.PostAsync(plans, new { patientId = patient, startDate = StartDate(14), preferredStartTime = "10:00", indication = new { condition = "ptsd" } }, HttpStatusCode.Created);
        var unknown = await clinic.PostAsync(plans, new { patientId = patient, startDate = StartDate(14), preferredStartTime = "10:00", prescriberId = Guid.NewGuid() }, HttpStatusCode.NotFound);

        Assert.Contains("major-depressive-disorder", (string)bad["errors"]!["indication.condition"]![0]!);
        Assert.NotNull(bad["errors"]!["indication.icd10"]);
        Assert.Contains("pain-nrs", (string)bad["errors"]!["primaryMeasure"]![0]!);
        Assert.Equal("pcl5", (string)ptsd["primaryMeasure"]!);
        Assert.NotNull(unknown["errors"]!["prescriberId"]);
    }

    private LocalDate Today() => factory.Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).Date;

    private string StartDate(int days) => Today().PlusDays(days).ToString("uuuu-MM-dd", null);

    private async Task<JsonObject> AddPlanAsync(ClinicDriver clinic, string prescriber, int startInDays = 14) =>
        await clinic.PostAsync($"{clinic.Base}/treatment-plans", new
        {
            patientId = await clinic.AddPatientAsync(),
            startDate = StartDate(startInDays),
            preferredStartTime = "10:00",
            induction = new { sessions = 2, intervalDays = 2, maxIntervalDays = 3 },
            indication = new { condition = "treatment-resistant-depression", icd10 = "F33.2" },
            prescriberId = prescriber,
        }, HttpStatusCode.Created);

    private object Approval(string prescriber, params string[] contraindications) => Intake(prescriber, "approved", contraindications);

    private object Intake(string prescriber, string decision, params string[] contraindications) => new
    {
        prescriberId = prescriber,
        historyReviewed = true,
        medicationsReviewed = true,
        consentSignedOn = Today().ToString("uuuu-MM-dd", null),
        contraindications,
        decision,
    };
}
