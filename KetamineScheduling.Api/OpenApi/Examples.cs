using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Patients;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Api.Pricing;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Api.Webhooks;
using NodaTime;

namespace KetamineScheduling.Api.OpenApi;

/// <summary>Example request bodies shown in the OpenAPI document, one per request type.</summary>
internal static class Examples
{
    private static readonly Guid Patient = Guid.Parse("0193a5b0-7c1e-7d2a-9f00-000000000001");
    private static readonly Guid Chair = Guid.Parse("0193a5b0-7c1e-7d2a-9f00-000000000002");
    private static readonly Guid Plan = Guid.Parse("0193a5b0-7c1e-7d2a-9f00-000000000003");

    public static readonly IReadOnlyDictionary<Type, object> ByType = new Dictionary<Type, object>
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
        [typeof(AddClosedDateRequest)] = new AddClosedDateRequest(new LocalDate(2027, 8, 30), "Bank holiday"),
        [typeof(CreateChairRequest)] = new CreateChairRequest("Chair 1"),
        [typeof(CreatePatientRequest)] = new CreatePatientRequest("MRN-004211", "A. Patient"),
        [typeof(CreatePlanRequest)] = new CreatePlanRequest
        {
            PatientId = Patient,
            StartDate = new LocalDate(2027, 1, 11),
            PreferredStartTime = new LocalTime(10, 0),
            InfusionMinutes = 40,
            Induction = new InductionRequest(6, 2, 3, null),
            Maintenance = new MaintenanceRequest(2, 28, null),
        },
        [typeof(BookSessionRequest)] = new BookSessionRequest
        {
            PatientId = Patient,
            ChairId = Chair,
            Start = new LocalDateTime(2027, 5, 3, 10, 0),
            InfusionMinutes = 40,
            PlanId = Plan,
        },
        [typeof(RescheduleSessionRequest)] = new RescheduleSessionRequest(new LocalDateTime(2027, 5, 4, 11, 30), Chair, ShiftFollowing: true),
        [typeof(CancelSessionRequest)] = new CancelSessionRequest("The patient is unwell."),
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
}
