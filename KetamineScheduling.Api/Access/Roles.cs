namespace KetamineScheduling.Api.Access;

/// <summary>What an API key may do. The values are the <c>role</c> claim and the <c>role</c> field of a key, exactly.</summary>
internal static class Roles
{
    /// <summary>Runs the platform: creates clinics and their first keys. Belongs to no clinic and reads no patient data.</summary>
    public const string PlatformAdmin = "platform-admin";

    /// <summary>Everything in its clinic, keys and the audit trail included.</summary>
    public const string ClinicAdmin = "clinic-admin";

    /// <summary>An EHR: reads and writes patients, plans and sessions.</summary>
    public const string Integration = "integration";

    /// <summary>Front desk: availability, booking, rescheduling and session status changes; reads plans.</summary>
    public const string Scheduler = "scheduler";

    /// <summary>
    /// A clinician (prescriber or nurse), optionally acting as one member of staff: reads patient data and records
    /// intake decisions, assessments, readiness, dosing and discharge. Only a clinic admin issues it.
    /// </summary>
    public const string Clinician = "clinician";

    /// <summary>One patient's mobile app: that patient's plans and upcoming sessions, and cancelling when the clinic allows it.</summary>
    public const string PatientApp = "patient-app";

    /// <summary>The clinic's own people and systems: everything but a patient's app.</summary>
    public static readonly string[] Staff = [ClinicAdmin, Integration, Scheduler];

    /// <summary>Staff, and a patient's app for that patient's own data.</summary>
    public static readonly string[] StaffAndPatientApp = [.. Staff, PatientApp];

    /// <summary>Who reads patients' records: staff and clinicians.</summary>
    public static readonly string[] StaffAndClinician = [.. Staff, Clinician];

    /// <summary>Staff, clinicians, and a patient's app for that patient's own data.</summary>
    public static readonly string[] StaffClinicianAndPatientApp = [.. Staff, Clinician, PatientApp];

    /// <summary>Who records and reads clinical data (intake, outcome measures, the course): admins, the EHR and clinicians.</summary>
    public static readonly string[] Clinical = [ClinicAdmin, Integration, Clinician];

    /// <summary>Who changes a clinic's records and integrations: its admins and its EHR.</summary>
    public static readonly string[] ClinicAdminAndIntegration = [ClinicAdmin, Integration];

    /// <summary>Whether a key with <paramref name="role"/> records clinical data (see <see cref="Clinical"/>).</summary>
    public static bool RecordsClinicalData(string? role) => Clinical.Contains(role);

    /// <summary>Every role, as the audit trail names the actor's.</summary>
    public static readonly IReadOnlyList<string> All = [PlatformAdmin, ClinicAdmin, Integration, Scheduler, Clinician, PatientApp];

    /// <summary>The roles a key issued for a clinic may have; platform-admin keys come only from configuration.</summary>
    public static readonly IReadOnlyList<string> ClinicRoles = [ClinicAdmin, Integration, Scheduler, Clinician, PatientApp];

    /// <summary>
    /// Lets only keys with one of <paramref name="roles"/> call the endpoint (others get 403), and documents the
    /// 401, 403 and 429 answers every keyed endpoint may give.
    /// </summary>
    public static TBuilder AllowRoles<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .RequireAuthorization(policy => policy.RequireClaim(Caller.RoleClaim, roles))
            .WithDescription($"Roles: {string.Join(", ", roles)}.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
