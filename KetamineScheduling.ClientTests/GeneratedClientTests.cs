using KetamineScheduling.Client;
using KetamineScheduling.Tests.Api;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KetamineScheduling.ClientTests;

/// <summary>
/// The README's walkthrough through the C# client NSwag generates from openapi/openapi.json, against the real API:
/// an integrator's first day. The generated client throws when an answer breaks the contract (a null where the
/// contract says never, a missing required member), so every step also checks the contract against the answers.
/// </summary>
public sealed class GeneratedClientTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly DateTimeOffset Monday = new(2027, 1, 11, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_walkthrough_runs_through_a_client_generated_from_the_contract()
    {
        var admin = Client(ApiFactory.AdminKey);
        var clinic = await admin.CreateClinicAsync(new CreateClinicRequest
        {
            Name = "Riverside",
            TimeZone = "Europe/London",
            PatientsMayCancel = true,

            // The intake step has its own API tests (IntakeApiTests); this walk books straight away.
            IntakeRequired = false,
            OpeningHours = [.. new[] { OpeningHoursEntryDay.Monday, OpeningHoursEntryDay.Tuesday, OpeningHoursEntryDay.Wednesday, OpeningHoursEntryDay.Thursday, OpeningHoursEntryDay.Friday }
                .Select(day => new OpeningHoursEntry { Day = day, Opens = "08:00", Closes = "17:00" })],
        });
        Assert.Equal(15, (int)clinic.SlotMinutes);

        // A standard serializer writes instants with an offset, not Z.
        var clinicAdmin = Client((await admin.CreateApiKeyAsync(clinic.Id, new CreateApiKeyRequest
        {
            Name = "Practice manager",
            Role = CreateApiKeyRequestRole.ClinicAdmin,
            ExpiresAt = new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero),
        })).Key);
        var ehr = Client((await clinicAdmin.CreateApiKeyAsync(clinic.Id, new CreateApiKeyRequest { Name = "EHR", Role = CreateApiKeyRequestRole.Integration })).Key);
        var desk = Client((await clinicAdmin.CreateApiKeyAsync(clinic.Id, new CreateApiKeyRequest { Name = "Front desk", Role = CreateApiKeyRequestRole.Scheduler })).Key);
        var chair = await clinicAdmin.CreateChairAsync(clinic.Id, new CreateChairRequest { Name = "Chair 1" });
        var patient = await ehr.CreatePatientAsync(clinic.Id, new CreatePatientRequest { ExternalId = "MRN-0001", DisplayName = "A. Patient" });
        var app = Client((await clinicAdmin.CreateApiKeyAsync(clinic.Id, new CreateApiKeyRequest { Name = "Patient app", Role = CreateApiKeyRequestRole.PatientApp, PatientId = patient.Id })).Key);

        var plan = await ehr.CreateTreatmentPlanAsync(clinic.Id, new CreatePlanRequest
        {
            PatientId = patient.Id,
            StartDate = Monday,
            PreferredStartTime = "10:00",
            Induction = new InductionRequest { Sessions = 6, IntervalDays = 2, MaxIntervalDays = 3 },
            Maintenance = new MaintenanceRequest { Sessions = 2, IntervalDays = 28 },
        });
        Assert.Equal(PlanStatus.Draft, plan.Status);
        Assert.Equal(8, plan.Sessions.Count);
        Assert.All(plan.Sessions, s => Assert.Null(s.Session));
        Assert.Contains((await ehr.ListTreatmentPlansAsync(clinic.Id)).Items, p => p.Id == plan.Id);

        var booked = await desk.BookTreatmentPlanAsync(clinic.Id, plan.Id, if_Match: ETag(plan.Version));
        Assert.Equal(PlanStatus.Active, booked.Status);
        Assert.All(booked.Sessions, s => Assert.Equal(chair.Id, s.Session.ChairId));

        var adHoc = await desk.BookSessionAsync(clinic.Id, new BookSessionRequest { PatientId = patient.Id, ChairId = chair.Id, Start = "2027-01-12T14:00", InfusionMinutes = 45 });
        Assert.Null(adHoc.Phase);
        Assert.Null(adHoc.PlanId);
        Assert.Null(adHoc.Sequence);
        Assert.Equal(new DateTimeOffset(2027, 1, 12, 14, 0, 0, TimeSpan.Zero), adHoc.Start);

        var upcoming = await app.ListMyUpcomingSessionsAsync();
        Assert.Equal(9, upcoming.Items.Count);
        Assert.Contains(upcoming.Items, s => s.Id == adHoc.Id && s.Phase is null);
        var day = await desk.ListSessionsOnDateAsync(clinic.Id, Monday.AddDays(1));
        Assert.Equal([adHoc.Id], day.Items.Select(s => s.Id));
        var free = await desk.GetAvailabilityAsync(clinic.Id, Monday.AddDays(1), 45);
        Assert.DoesNotContain(free.Items, f => f.Start == adHoc.Start);

        var cancelled = await app.CancelSessionAsync(clinic.Id, adHoc.Id, if_Match: ETag(adHoc.Version), body: new CancelSessionRequest { Reason = "The patient is unwell." });
        Assert.Equal(SessionStatus.Cancelled, cancelled.Status);
        var stale = await Assert.ThrowsAsync<ApiException<PreconditionFailedProblem>>(
            () => desk.CancelSessionAsync(clinic.Id, booked.Sessions.First().Session.Id, if_Match: ETag(0), body: new CancelSessionRequest()));
        Assert.Equal(412, stale.StatusCode);
        Assert.Equal(1, stale.Result.CurrentVersion);
        Assert.Equal(ETag(1), stale.Result.Etag);

        var feed = await ehr.ListEventsAsync(clinic.Id);
        Assert.Equal(
            ["chair.created", "clinic.created", "patient.created", "plan.booked", "plan.created", "session.booked", "session.cancelled"],
            feed.Items.Select(e => Wire(e.Type)).Distinct().Order(StringComparer.Ordinal));
        Assert.Empty((await ehr.ListEventsAsync(clinic.Id, feed.NextCursor)).Items);
    }

    private SchedulingClient Client(string key) => new(factory.NewClient(key));

    private static string ETag(int version) => $"\"{version}\"";

    /// <summary>An enum value as the API writes it, e.g. session.booked.</summary>
    private static string Wire<T>(T value) => JsonConvert.DeserializeObject<string>(JsonConvert.SerializeObject(value, new StringEnumConverter()))!;
}
