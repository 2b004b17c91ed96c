using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Patients;
using NodaTime;

namespace KetamineScheduling.Api.Access;

/// <summary>
/// The clinic a Development start-up creates so the README's walkthrough runs as pasted. Its ids and key secrets
/// are fixed and public: they exist only in the Development environment.
/// </summary>
internal static class DemoClinic
{
    public static readonly Guid ClinicId = Guid.Parse("de000000-0000-4000-8000-000000000001");

    public static readonly Guid PatientId = Guid.Parse("de000000-0000-4000-8000-000000000002");

    /// <summary>One key per role; the patient-app key is the demo patient's.</summary>
    public static readonly IReadOnlyList<(string Role, string Secret)> Keys =
    [
        (Roles.PlatformAdmin, "ks_demo_platform_admin"),
        (Roles.ClinicAdmin, "ks_demo_clinic_admin"),
        (Roles.Integration, "ks_demo_integration"),
        (Roles.Scheduler, "ks_demo_scheduler"),
        (Roles.PatientApp, "ks_demo_patient_app"),
    ];

    /// <summary>
    /// Whether <paramref name="secret"/> is one of the published demo secrets. Outside Development such a key is
    /// refused however it got into the database (a file first used in Development, say): anyone can read them.
    /// </summary>
    public static bool IsDemoSecret(string secret) => Keys.Any(k => string.Equals(k.Secret, secret, StringComparison.Ordinal));

    /// <summary>Europe/London, open Monday to Saturday 08:00 to 17:00; patients may cancel in the app.</summary>
    public static Clinic Clinic { get; } = new(
        ClinicId,
        "Demo Infusion Clinic",
        DateTimeZoneProviders.Tzdb["Europe/London"],
        [.. Enumerable.Range(1, 6).Select(day => new OpeningHoursEntry((IsoDayOfWeek)day, new LocalTime(8, 0), new LocalTime(17, 0)))],
        [],
        SlotMinutes: 15,
        TurnoverMinutes: 15,
        ObservationMinutes: Domain.Plans.Protocol.DefaultObservationMinutes,
        MaxStartsPerSlot: null,
        PatientsMayCancel: true,
        Version: 1,
        IntakeRequired: false);

    public static IReadOnlyList<ChairResponse> Chairs { get; } =
        [.. Enumerable.Range(1, 4).Select(n => new ChairResponse(Guid.Parse($"de000000-0000-4000-8000-00000000001{n}"), $"Chair {n}"))];

    public static PatientResponse Patient { get; } = new(PatientId, "DEMO-0001", "Demo Patient");
}
