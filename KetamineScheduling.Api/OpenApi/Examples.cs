using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Assessments;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Course;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Infusions;
using KetamineScheduling.Api.Nursing;
using KetamineScheduling.Api.Patients;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Api.Pricing;
using KetamineScheduling.Api.Reservations;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Api.Staff;
using KetamineScheduling.Api.Waitlist;
using KetamineScheduling.Api.Webhooks;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.OpenApi;

/// <summary>
/// Examples shown in the OpenAPI document: one request body per request type, and one value per response type.
/// Requests name the Development demo clinic's patient and chairs, so "Try it out" works against a Development
/// server; ids the demo has no fixed value for (plans, sessions) look like the API's own UUIDv7s.
/// </summary>
internal static class Examples
{
    private static readonly System.Text.Json.JsonSerializerOptions Wire = Http.ClinicJson.Configure(new System.Text.Json.JsonSerializerOptions());

    /// <summary>
    /// <paramref name="example"/> as the API writes it, leaving out members that refer to another schema and are
    /// null. OpenAPI 3.0's <c>nullable</c> does not reach through a <c>$ref</c>, so a null object in an example fails
    /// a validator even where the API answers null; such a member is never required, and left out it reads as null.
    /// </summary>
    internal static System.Text.Json.Nodes.JsonNode? Write(object example, Type type)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(example, type, Wire);
        DropNullObjects(node, type);
        return node;
    }

    private static void DropNullObjects(System.Text.Json.Nodes.JsonNode? node, Type type)
    {
        if (node is System.Text.Json.Nodes.JsonArray array && ElementOf(type) is { } element)
        {
            foreach (var item in array)
            {
                DropNullObjects(item, element);
            }
        }
        else if (node is System.Text.Json.Nodes.JsonObject members)
        {
            foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
            {
                var name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                if (!members.TryGetPropertyValue(name, out var value))
                {
                    continue;
                }

                var referred = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (value is null && (referred.IsEnum || (referred.IsClass && referred != typeof(string) && ElementOf(referred) is null)))
                {
                    members.Remove(name);
                }
                else
                {
                    DropNullObjects(value, property.PropertyType);
                }
            }
        }
    }

    private static Type? ElementOf(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];


    private static readonly Guid Patient = DemoClinic.PatientId;
    private static readonly Guid Chair = DemoClinic.Chairs[0].Id;
    private static readonly Guid Plan = Guid.Parse("0194f3a2-6b1c-7e4d-8a2f-3c5d7e9f1a2b");
    private static readonly Guid Session = Guid.Parse("0194f3a2-6b1d-7a01-9c3e-5f7a9b1c3d5e");
    private static readonly Guid Key = Guid.Parse("0194f3a2-6b1e-7b22-8d4f-6a8b0c2d4e6f");
    private static readonly Guid Webhook = Guid.Parse("0194f3a2-6b1f-7c33-9e5a-7b9c1d3e5f7a");
    private static readonly Guid Prescriber = Guid.Parse("0194f3a2-6b20-7d44-8f6b-8c0d2e4f6a8b");
    private static readonly Guid Nurse = Guid.Parse("0194f3a2-6b22-7f66-8b7d-0e2f4a6b8c0d");
    private static readonly Guid Shift = Guid.Parse("0194f3a2-6b23-7a77-9c8e-1f3a5b7c9d1e");
    private static readonly Instant Now = Instant.FromUtc(2027, 1, 4, 9, 0);
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    /// <summary>The example for <paramref name="type"/>, a page of examples for a page type, or null.</summary>
    public static object? For(Type type)
    {
        if (Responses.TryGetValue(type, out var example))
        {
            return example;
        }

        // A page shows one example item and a cursor to the next page.
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Page<>) && Responses.TryGetValue(type.GetGenericArguments()[0], out var item))
        {
            var items = Array.CreateInstance(item.GetType(), 1);
            items.SetValue(item, 0);
            return Activator.CreateInstance(type, items, "MjAyNy0wNS0wM1QxMDowMHwwMTk0ZjNhMg");
        }

        return null;
    }

    public static readonly IReadOnlyDictionary<Type, object> Requests = new Dictionary<Type, object>
    {
        [typeof(CreateClinicRequest)] = new CreateClinicRequest
        {
            Name = "Riverside Infusion Clinic",
            TimeZone = "Europe/London",
            OpeningHours =
            [
                new(IsoDayOfWeek.Monday, new LocalTime(8, 0), new LocalTime(17, 0)),
                new(IsoDayOfWeek.Tuesday, new LocalTime(8, 0), new LocalTime(17, 0)),
                new(IsoDayOfWeek.Wednesday, new LocalTime(8, 0), new LocalTime(12, 30)),
                new(IsoDayOfWeek.Wednesday, new LocalTime(13, 30), new LocalTime(17, 0)),
                new(IsoDayOfWeek.Thursday, new LocalTime(8, 0), new LocalTime(17, 0)),
                new(IsoDayOfWeek.Friday, new LocalTime(8, 0), new LocalTime(17, 0)),
                new(IsoDayOfWeek.Saturday, new LocalTime(9, 0), new LocalTime(13, 0)),
            ],
            ClosedDates = [new LocalDate(2027, 12, 25), new LocalDate(2027, 12, 26)],
            SlotMinutes = 15,
            TurnoverMinutes = 15,
            ObservationMinutes = 30,
            MaxStartsPerSlot = 2,
        },
        [typeof(UpdateClinicRequest)] = new UpdateClinicRequest
        {
            OpeningHours =
            [
                .. Enumerable.Range(1, 5).Select(day => new OpeningHoursEntry((IsoDayOfWeek)day, new LocalTime(8, 0), new LocalTime(17, 0))),
                new(IsoDayOfWeek.Saturday, new LocalTime(9, 0), new LocalTime(13, 0)),
            ],
            CheckInOpensMinutes = 60,
            Nursing = new NursingSettings(true, 3, null),
        },
        [typeof(UpdateChairRequest)] = new UpdateChairRequest(InService: false),
        [typeof(UpdatePatientRequest)] = new UpdatePatientRequest(DisplayName: "A. N. Patient"),
        [typeof(AddClosedDateRequest)] = new AddClosedDateRequest(new LocalDate(2027, 8, 30), "Bank holiday"),
        [typeof(CreateChairRequest)] = new CreateChairRequest("Chair 1"),
        [typeof(CreatePatientRequest)] = new CreatePatientRequest("MRN-004211", "A. Patient"),
        [typeof(CreateStaffRequest)] = new CreateStaffRequest { Name = "Dr R. Prescriber", Kinds = ["prescriber"], Npi = "1234567893", LicenceNumber = "MD-48213" },
        [typeof(UpdateStaffRequest)] = new UpdateStaffRequest { Active = false },
        [typeof(CreateShiftRequest)] = new CreateShiftRequest(new LocalDate(2027, 1, 11), new LocalTime(8, 0), new LocalTime(16, 30)),
        [typeof(CreatePlanRequest)] = new CreatePlanRequest
        {
            PatientId = Patient,
            StartDate = new LocalDate(2027, 1, 11),
            PreferredStartTime = new LocalTime(10, 0),
            InfusionMinutes = 40,
            Induction = new InductionRequest(6, 2, 3, null),
            Indication = new IndicationRequest { Condition = "treatment-resistant-depression", Icd10 = "F33.2" },
            PrescriberId = Prescriber,
            PrimaryMeasure = "phq9",
        },
        [typeof(CreateAssessmentRequest)] = new CreateAssessmentRequest
        {
            Instrument = "phq9",
            Answers = [2, 3, 2, 2, 2, 2, 2, 2, 0],
            TakenAt = new LocalDateTime(2027, 1, 11, 9, 45),
            Timing = "pre-infusion",
        },
        [typeof(RetractAssessmentRequest)] = new RetractAssessmentRequest("Entered under the wrong patient."),
        [typeof(MaintenanceRequest)] = new MaintenanceRequest(4, 28, null),
        [typeof(IntakeRequest)] = new IntakeRequest
        {
            PrescriberId = Prescriber,
            HistoryReviewed = true,
            MedicationsReviewed = true,
            ConsentSignedOn = new LocalDate(2027, 1, 4),
            Contraindications = ["controlled-hypertension"],
            Decision = "approved",
        },
        [typeof(BookSessionRequest)] = new BookSessionRequest
        {
            PatientId = Patient,
            ChairId = Chair,
            Start = new LocalDateTime(2027, 5, 3, 10, 0),
            InfusionMinutes = 40,
        },
        [typeof(CreateReservationRequest)] = new CreateReservationRequest
        {
            PatientId = Patient,
            ChairId = Chair,
            Start = new LocalDateTime(2027, 5, 3, 10, 0),
            InfusionMinutes = 40,
            TtlSeconds = 300,
        },
        [typeof(CreateWaitlistEntryRequest)] = new CreateWaitlistEntryRequest
        {
            PatientId = Patient,
            EarliestDate = new LocalDate(2027, 5, 3),
            LatestDate = new LocalDate(2027, 5, 14),
            DaysOfWeek = [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday],
            EarliestTime = new LocalTime(9, 0),
            LatestTime = new LocalTime(12, 0),
            InfusionMinutes = 40,
        },
        [typeof(RescheduleSessionRequest)] = new RescheduleSessionRequest(new LocalDateTime(2027, 5, 4, 11, 30), Chair, ShiftFollowing: true),
        [typeof(CancelSessionRequest)] = new CancelSessionRequest("The patient is unwell."),
        [typeof(ReadinessRequest)] = new ReadinessRequest
        {
            FastingHours = 6,
            RideHomeArranged = true,
            EscortName = "A. Escort",
            Vitals = new VitalsBody { Systolic = 128, Diastolic = 82, HeartRate = 74, Spo2 = 98 },
            WeightKg = 70.5m,
            PregnancyTest = "not-applicable",
        },
        [typeof(StartInfusionRequest)] = new StartInfusionRequest { DoseMgPerKg = 0.5m },
        [typeof(CompleteSessionRequest)] = new CompleteSessionRequest
        {
            DischargeScore = 10,
            VitalsAtDischarge = new VitalsBody { Systolic = 132, Diastolic = 84, HeartRate = 78, Spo2 = 97 },
            EscortConfirmed = true,
            AdverseEvents = ["nausea"],
            Note = "Mild nausea during the infusion; settled before discharge.",
        },
        [typeof(CreateApiKeyRequest)] = new CreateApiKeyRequest
        {
            Name = "Patient app",
            Role = Roles.PatientApp,
            PatientId = Patient,
            ExpiresAt = Instant.FromUtc(2028, 1, 1, 0, 0),
        },
        [typeof(PriceListRequest)] = new PriceListRequest(
            "USD",
            new SessionPricesBody("450.00", "400.00", "500.00"),
            [new PackageBody("Induction series of 6", Domain.Plans.Phase.Induction, 6, "2400.00")],
            [new PaymentPlanBody("3 monthly", 3, 30, 20m)]),
        [typeof(CreateQuoteRequest)] = new CreateQuoteRequest("3 monthly"),
        [typeof(CreateWebhookRequest)] = new CreateWebhookRequest(
            "https://ehr.example.org/hooks/ketamine-scheduling", ["session.booked", "session.rescheduled", "session.cancelled"]),
    };

    private static readonly SessionResponse BookedSession = new(
        Session, Plan, Patient, Chair, 1, Phase.Induction, SessionStatus.Booked,
        new LocalDateTime(2027, 1, 11, 10, 0).InZoneLeniently(London).ToOffsetDateTime(),
        new LocalDateTime(2027, 1, 11, 11, 10).InZoneLeniently(London).ToOffsetDateTime(),
        "Europe/London", 40, 30, 1, null, NurseId: Nurse);

    private static readonly PlannedSessionResponse PlannedSession = new(
        1, Phase.Induction, new LocalDate(2027, 1, 11), new LocalDate(2027, 1, 11), new LocalDate(2027, 1, 12), BookedSession);

    private static readonly StaffResponse StaffExample = new(Prescriber, "Dr R. Prescriber", ["prescriber"], "1234567893", "MD-48213", true, 1);

    private static readonly AssessmentResponse AssessmentExample = new(
        Guid.Parse("0194f3a2-6b21-7e55-9a7c-9d1e3f5a7b9c"), Patient, "phq9", [2, 3, 2, 2, 2, 2, 2, 2, 0], 17, "moderately-severe", [],
        new LocalDateTime(2027, 1, 11, 9, 45), Session, "pre-infusion", Now, null, null);

    private static readonly ApiKeyResponse KeyResponse = new(Key, "Front desk tablet", Roles.Scheduler, null, "ks_Q2hhaXI", Now, null, null);

    private static readonly EventResponse Event = new(1042, "session.booked", "session", Session, 1, Now);

    public static readonly IReadOnlyDictionary<Type, object> Responses = new Dictionary<Type, object>
    {
        [typeof(ClinicResponse)] = new ClinicResponse(
            DemoClinic.ClinicId, DemoClinic.Clinic.Name, "Europe/London", DemoClinic.Clinic.OpeningHours, [new LocalDate(2027, 12, 25)],
            15, 15, 30, null, true, 3, 120, null, true, true, InfusionWire.ToBody(Domain.Clinical.ReadinessLimits.Default),
            Nursing: new NursingResponse(true, 4, 15)),
        [typeof(NursingResponse)] = new NursingResponse(true, 4, 15),
        [typeof(ShiftResponse)] = new ShiftResponse(Shift, Nurse, new LocalDate(2027, 1, 11), new LocalTime(8, 0), new LocalTime(16, 30), Now),
        [typeof(ShiftList)] = new ShiftList(new LocalDate(2027, 1, 11), [new ShiftResponse(Shift, Nurse, new LocalDate(2027, 1, 11), new LocalTime(8, 0), new LocalTime(16, 30), Now)]),
        [typeof(OpeningHoursEntry)] = new OpeningHoursEntry(IsoDayOfWeek.Monday, new LocalTime(8, 0), new LocalTime(17, 0)),
        [typeof(ClosedDateResponse)] = new ClosedDateResponse(new LocalDate(2027, 8, 30), "Bank holiday", [Session]),
        [typeof(ChairResponse)] = DemoClinic.Chairs[0],
        [typeof(PatientResponse)] = DemoClinic.Patient,
        [typeof(StaffResponse)] = StaffExample,
        [typeof(AssessmentResponse)] = AssessmentExample,
        [typeof(CourseResponse)] = new CourseResponse(
            Plan, Patient, "phq9", new CourseAssessmentResponse(AssessmentExample.Id, 18, "moderately-severe", new LocalDateTime(2027, 1, 8, 9, 0)),
            [new CoursePointResponse(6, Phase.Induction, Session, new LocalDate(2027, 1, 23), new CourseAssessmentResponse(AssessmentExample.Id, 8, "mild", new LocalDateTime(2027, 1, 23, 9, 45)))],
            new CourseAssessmentResponse(AssessmentExample.Id, 8, "mild", new LocalDateTime(2027, 1, 23, 9, 45)), -55.6m, "response",
            new RecommendationResponse("start-maintenance", "Induction is complete. The PHQ-9 was 18 at baseline and is 8 now, 55.6% below baseline: a response. Plan maintenance infusions.")),
        [typeof(SessionResponse)] = BookedSession,
        [typeof(PlannedSessionResponse)] = PlannedSession,
        [typeof(InductionResponse)] = new InductionResponse(6, 2, 3, 21),
        [typeof(MaintenanceResponse)] = new MaintenanceResponse(2, 28, [28, 28]),
        [typeof(PlanResponse)] = new PlanResponse(
            Plan, Patient, PlanStatus.Active, new LocalDate(2027, 1, 11), new LocalTime(10, 0), 40, 30,
            new InductionResponse(6, 2, 3, 21), new MaintenanceResponse(0, null, []), false, 3, [PlannedSession],
            new IndicationResponse("treatment-resistant-depression", "F33.2", null), Prescriber, "phq9",
            new IntakeResponse("approved", Prescriber, true, true, new LocalDate(2027, 1, 4), ["controlled-hypertension"], null, Now, Key)),
        [typeof(UnplacedSessionResponse)] = new UnplacedSessionResponse(
            3, Phase.Induction, new LocalDate(2027, 1, 15), new LocalDate(2027, 1, 16), Obstacle.ChairTaken, "Every chair is taken at 10:00.",
            [new AlternativeResponse(Chair, new LocalDateTime(2027, 1, 15, 11, 30).InZoneLeniently(London).ToOffsetDateTime())]),
        [typeof(AlternativeResponse)] = new AlternativeResponse(Chair, new LocalDateTime(2027, 1, 15, 11, 30).InZoneLeniently(London).ToOffsetDateTime()),
        [typeof(RescheduleResponse)] = new RescheduleResponse(BookedSession with { Version = 2 }, []),
        [typeof(FreeStart)] = new FreeStart(
            Chair, new LocalDateTime(2027, 5, 3, 10, 0).InZoneLeniently(London).ToOffsetDateTime(), new LocalDateTime(2027, 5, 3, 11, 10).InZoneLeniently(London).ToOffsetDateTime()),
        [typeof(AvailabilityResponse)] = new AvailabilityResponse(
            new LocalDate(2027, 5, 3), "Europe/London", 40, 30,
            [new FreeStart(Chair, new LocalDateTime(2027, 5, 3, 10, 0).InZoneLeniently(London).ToOffsetDateTime(), new LocalDateTime(2027, 5, 3, 11, 10).InZoneLeniently(London).ToOffsetDateTime())],
            null),
        [typeof(ApiKeyResponse)] = KeyResponse,
        [typeof(CreatedApiKeyResponse)] = new CreatedApiKeyResponse(
            Key, "ks_Q2hhaXJzaWRlLXRhYmxldC1leGFtcGxlLXNlY3JldA", "Front desk tablet", Roles.Scheduler, null, "ks_Q2hhaXJ", Now, null),
        [typeof(AuditActor)] = new AuditActor(Key, Roles.Scheduler),
        [typeof(AuditEventResponse)] = new AuditEventResponse(
            new AuditActor(Key, Roles.Scheduler), "BookSession", "session", Session.ToString(), Patient, "succeeded", 201, "0HN8J4Q2V3K1M:00000001", Now),
        [typeof(EventResponse)] = Event,
        [typeof(EventPage)] = new EventPage([Event], "MTA0Mg"),
        [typeof(WebhookResponse)] = new WebhookResponse(
            Webhook, "https://ehr.example.org/hooks/ketamine-scheduling", ["session.booked", "session.cancelled"], Now, 0, null),
        [typeof(CreatedWebhookResponse)] = new CreatedWebhookResponse(
            Webhook, "https://ehr.example.org/hooks/ketamine-scheduling", ["session.booked", "session.cancelled"], Now, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        [typeof(ReservationResponse)] = new ReservationResponse(
            Session, Patient, Chair, null, ReservationStatus.Held,
            new LocalDateTime(2027, 5, 3, 10, 0).InZoneLeniently(London).ToOffsetDateTime(), new LocalDateTime(2027, 5, 3, 11, 10).InZoneLeniently(London).ToOffsetDateTime(),
            "Europe/London", 40, 30, Now + Duration.FromMinutes(5), null, 1, Now),
        [typeof(WaitlistEntryResponse)] = new WaitlistEntryResponse(
            Plan, Patient, null, new LocalDate(2027, 5, 3), new LocalDate(2027, 5, 14), [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday],
            new LocalTime(9, 0), new LocalTime(12, 0), 40, null, WaitlistStatus.Offered, Session, Now, 2, Now),
        [typeof(WebhookAttemptResponse)] = new WebhookAttemptResponse(1042, 1, Now, 200, null, true),
    };
}
