using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Fhir;

/// <summary>
/// What the FHIR API reads that the JSON API's stores do not give: when each resource last changed (FHIR's
/// <c>meta.lastUpdated</c>), and the searches FHIR clients make.
/// </summary>
/// <remarks>
/// Patients and chairs keep no update time of their own; the change feed has one event per committed version, so
/// their last change is their latest event, or their creation when the feed has none (a seeded demo clinic).
/// </remarks>
internal static class FhirStore
{
    /// <summary>The bounds of an open search range: the API's calendar (see <see cref="Dates"/>).</summary>
    public static readonly Instant Earliest = Dates.Earliest.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();

    /// <inheritdoc cref="Earliest"/>
    public static readonly Instant Latest = Dates.Latest.PlusDays(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();

    private const string PatientColumns = """
        SELECT p.id, p.external_id, p.display_name, p.version,
            COALESCE((SELECT MAX(e.occurred_at) FROM events e WHERE e.clinic_id = p.clinic_id AND e.resource_type = 'patient' AND e.resource_id = p.id), p.created_at) AS last_updated
        FROM patients p
        """;

    private const string SelectPatients = PatientColumns + """
         WHERE p.clinic_id = @ClinicId AND p.id > @After AND (@Id IS NULL OR p.id = @Id) AND (@ExternalId IS NULL OR p.external_id = @ExternalId)
         ORDER BY p.id
        """ + SqlDialect.TakeRows;

    private const string CountPatients = """
        SELECT COUNT(*) FROM patients p
        WHERE p.clinic_id = @ClinicId AND (@Id IS NULL OR p.id = @Id) AND (@ExternalId IS NULL OR p.external_id = @ExternalId)
        """;

    /// <summary>The clinic's patients after <paramref name="after"/> in id order, by id and MRN when given, and how many match in all.</summary>
    public static async Task<(IReadOnlyList<PatientRow> Rows, int Total)> PatientsAsync(DbConnection connection, Guid clinicId, Guid? id, string? externalId, Guid after, int take)
    {
        var filter = new { ClinicId = clinicId, Id = id, ExternalId = externalId, After = after, Take = take };
        var rows = (await connection.QueryAsync<PatientRow>(connection.Sql(SelectPatients), filter)).AsList();
        return (rows, await connection.ExecuteScalarAsync<int>(CountPatients, filter));
    }

    private const string SelectChairs = """
        SELECT c.id, c.name, c.in_service, c.version,
            COALESCE((SELECT MAX(e.occurred_at) FROM events e WHERE e.clinic_id = c.clinic_id AND e.resource_type = 'chair' AND e.resource_id = c.id), c.created_at) AS last_updated
        FROM chairs c
        WHERE c.clinic_id = @ClinicId AND (@Id IS NULL OR c.id = @Id)
        ORDER BY c.created_at, c.id
        """;

    /// <summary>The clinic's chairs, oldest first, or the one with <paramref name="id"/>.</summary>
    public static async Task<IReadOnlyList<ChairRow>> ChairsAsync(DbConnection connection, Guid clinicId, Guid? id = null) =>
        (await connection.QueryAsync<ChairRow>(SelectChairs, new { ClinicId = clinicId, Id = id })).AsList();

    private const string SessionColumns = """
        SELECT id, plan_id, patient_id, chair_id, sequence, status, start_utc, time_zone,
            infusion_minutes, observation_minutes, nurse_id, cancel_reason, version, updated_at AS last_updated
        FROM sessions
        """;

    private const string SelectSession = SessionColumns + " WHERE clinic_id = @ClinicId AND id = @Id";

    public static async Task<AppointmentRow?> SessionAsync(DbConnection connection, Guid clinicId, Guid id) =>
        await connection.QuerySingleOrDefaultAsync<AppointmentRow>(SelectSession, new { ClinicId = clinicId, Id = id });

    private const string SessionFilter = """
         WHERE clinic_id = @ClinicId AND (@PatientId IS NULL OR patient_id = @PatientId) AND (@ChairId IS NULL OR chair_id = @ChairId)
           AND status IN @Statuses AND start_utc >= @From AND start_utc < @To
        """;

    private const string SelectSessions = SessionColumns + SessionFilter + """
           AND (start_utc > @AfterStart OR (start_utc = @AfterStart AND id > @AfterId))
         ORDER BY start_utc, id
        """ + SqlDialect.TakeRows;

    private const string CountSessions = "SELECT COUNT(*) FROM sessions" + SessionFilter;

    /// <summary>The clinic's sessions that <paramref name="search"/> matches, soonest first from its cursor, and how many match in all.</summary>
    public static async Task<(IReadOnlyList<AppointmentRow> Rows, int Total)> SessionsAsync(DbConnection connection, Guid clinicId, SessionSearch search, int take)
    {
        var filter = new
        {
            ClinicId = clinicId,
            search.PatientId,
            search.ChairId,
            Statuses = search.Statuses.Select(s => s.ToString()).ToList(),
            search.From,
            search.To,
            search.AfterStart,
            search.AfterId,
            Take = take,
        };
        var rows = (await connection.QueryAsync<AppointmentRow>(connection.Sql(SelectSessions), filter)).AsList();
        return (rows, await connection.ExecuteScalarAsync<int>(CountSessions, filter));
    }

    private const string SelectPlanSessions = SessionColumns + " WHERE clinic_id = @ClinicId AND plan_id IN @PlanIds ORDER BY start_utc, id";

    /// <summary>Every session of the plans <paramref name="planIds"/>, soonest first.</summary>
    public static async Task<ILookup<Guid?, AppointmentRow>> PlanSessionsAsync(DbConnection connection, Guid clinicId, IReadOnlyCollection<Guid> planIds) =>
        planIds.Count == 0
            ? Array.Empty<AppointmentRow>().ToLookup(r => r.PlanId)
            : (await connection.QueryAsync<AppointmentRow>(SelectPlanSessions, new { ClinicId = clinicId, PlanIds = planIds.Select(p => p.ToString()).ToList() })).ToLookup(r => r.PlanId);

    private const string SelectPlanUpdates = "SELECT id, updated_at FROM treatment_plans WHERE clinic_id = @ClinicId AND id IN @PlanIds";

    /// <summary>When each of the plans <paramref name="planIds"/> last changed.</summary>
    public static async Task<IReadOnlyDictionary<Guid, Instant>> PlanUpdatesAsync(DbConnection connection, Guid clinicId, IReadOnlyCollection<Guid> planIds) =>
        planIds.Count == 0
            ? new Dictionary<Guid, Instant>()
            : (await connection.QueryAsync<PlanUpdate>(SelectPlanUpdates, new { ClinicId = clinicId, PlanIds = planIds.Select(p => p.ToString()).ToList() }))
                .ToDictionary(r => r.Id, r => r.UpdatedAt);

    private sealed class PlanUpdate
    {
        public Guid Id { get; init; }

        public Instant UpdatedAt { get; init; }
    }

    private const string CountPlans = """
        SELECT COUNT(*) FROM treatment_plans
        WHERE clinic_id = @ClinicId AND (@PatientId IS NULL OR patient_id = @PatientId) AND status IN @Statuses
        """;

    /// <summary>How many of the clinic's plans are the patient's (any patient's for null) and in one of <paramref name="statuses"/>.</summary>
    public static async Task<int> CountPlansAsync(DbConnection connection, Guid clinicId, Guid? patientId, IReadOnlyCollection<string> statuses) =>
        await connection.ExecuteScalarAsync<int>(CountPlans, new { ClinicId = clinicId, PatientId = patientId, Statuses = statuses });

    private const string StaffFilter = """
         WHERE clinic_id = @ClinicId AND (@Id IS NULL OR id = @Id) AND (@Npi IS NULL OR npi = @Npi) AND (@Active IS NULL OR active = @Active)
        """;

    private const string SelectStaff = "SELECT id, name, npi, active, version, updated_at AS last_updated FROM staff" + StaffFilter + """
           AND id > @After
         ORDER BY id
        """ + SqlDialect.TakeRows;

    private const string CountStaff = "SELECT COUNT(*) FROM staff" + StaffFilter;

    /// <summary>The clinic's staff that <paramref name="search"/> matches, in id order from its cursor, and how many match in all.</summary>
    public static async Task<(IReadOnlyList<PractitionerRow> Rows, int Total)> StaffAsync(DbConnection connection, Guid clinicId, StaffSearch search, int take)
    {
        var filter = new { ClinicId = clinicId, search.Id, search.Npi, search.Active, search.After, Take = take };
        var rows = (await connection.QueryAsync<PractitionerRow>(connection.Sql(SelectStaff), filter)).AsList();
        return (rows, await connection.ExecuteScalarAsync<int>(CountStaff, filter));
    }

    private const string AssessmentFilter = """
         WHERE clinic_id = @ClinicId AND (@Id IS NULL OR id = @Id) AND (@PatientId IS NULL OR patient_id = @PatientId) AND instrument IN @Instruments
           AND (@From IS NULL OR taken_at >= @From) AND (@To IS NULL OR taken_at < @To)
        """;

    private const string SelectAssessments = "SELECT id, patient_id, instrument, total, taken_at, recorded_at, retracted_at FROM assessments" + AssessmentFilter + """
           AND id > @After
         ORDER BY id
        """ + SqlDialect.TakeRows;

    private const string CountAssessments = "SELECT COUNT(*) FROM assessments" + AssessmentFilter;

    /// <summary>The clinic's assessments that <paramref name="search"/> matches, in id order (as recorded) from its cursor, and how many match in all.</summary>
    public static async Task<(IReadOnlyList<ObservationRow> Rows, int Total)> AssessmentsAsync(DbConnection connection, Guid clinicId, AssessmentSearch search, int take)
    {
        var filter = new
        {
            ClinicId = clinicId,
            search.Id,
            search.PatientId,
            Instruments = search.Instruments.Select(i => i.Code()).ToList(),
            search.From,
            search.To,
            search.After,
            Take = take,
        };
        var rows = (await connection.QueryAsync<ObservationRow>(connection.Sql(SelectAssessments), filter)).AsList();
        return (rows, await connection.ExecuteScalarAsync<int>(CountAssessments, filter));
    }
}

/// <summary>A patient with the time of its last change.</summary>
internal sealed class PatientRow
{
    public Guid Id { get; init; }

    public string ExternalId { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public int Version { get; init; }

    public Instant LastUpdated { get; init; }
}

/// <summary>A member of staff as a Practitioner needs them, with the time of their last change.</summary>
internal sealed class PractitionerRow
{
    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public string? Npi { get; init; }

    public bool Active { get; init; }

    public int Version { get; init; }

    public Instant LastUpdated { get; init; }
}

/// <summary>A Practitioner search as the store runs it: the id, NPI and active flag (null for any) and the last id already sent.</summary>
internal sealed record StaffSearch(Guid? Id, string? Npi, bool? Active, Guid After);

/// <summary>An assessment as an Observation needs it: its instrument and total, when it was taken (the clinic's local time), recorded and retracted.</summary>
internal sealed class ObservationRow
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    public string Instrument { get; init; } = "";

    public int Total { get; init; }

    public LocalDateTime TakenAt { get; init; }

    public Instant RecordedAt { get; init; }

    public Instant? RetractedAt { get; init; }

    public Instrument InstrumentCode => ClinicalCodes.Split<Instrument>(Instrument)[0];
}

/// <summary>
/// An Observation search as the store runs it: the id and patient (null for any), the instruments, the local
/// range taken in (from included, to excluded; null for open) and the last id already sent.
/// </summary>
internal sealed record AssessmentSearch(Guid? Id, Guid? PatientId, IReadOnlyList<Instrument> Instruments, LocalDateTime? From, LocalDateTime? To, Guid After);

/// <summary>A chair with the time of its last change.</summary>
internal sealed class ChairRow
{
    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public bool InService { get; init; }

    public int Version { get; init; }

    public Instant LastUpdated { get; init; }
}

/// <summary>A session as an Appointment needs it.</summary>
internal sealed class AppointmentRow
{
    public Guid Id { get; init; }

    public Guid? PlanId { get; init; }

    public Guid PatientId { get; init; }

    public Guid ChairId { get; init; }

    public int? Sequence { get; init; }

    public string Status { get; init; } = "";

    public Instant StartUtc { get; init; }

    public string TimeZone { get; init; } = "";

    public int InfusionMinutes { get; init; }

    public int ObservationMinutes { get; init; }

    public string? CancelReason { get; init; }

    /// <summary>The nurse who sets up and watches the session, where the clinic counts nurses.</summary>
    public Guid? NurseId { get; init; }

    public int Version { get; init; }

    public Instant LastUpdated { get; init; }

    public SessionStatus SessionStatus => Enum.Parse<SessionStatus>(Status);

    /// <summary>The start in the clinic's zone: its offset is the one FHIR shows.</summary>
    public ZonedDateTime Start => StartUtc.InZone(DateTimeZoneProviders.Tzdb[TimeZone]);

    /// <summary>When the patient leaves: infusion and observation, cleaning left out.</summary>
    public ZonedDateTime End => Start.Plus(Duration.FromMinutes(InfusionMinutes + ObservationMinutes));
}

/// <summary>
/// An Appointment search as the store runs it: the patient and chair (null for any), the statuses, the start
/// range (from included, to excluded) and the keyset cursor, the last start and id already sent.
/// </summary>
internal sealed record SessionSearch(Guid? PatientId, Guid? ChairId, IReadOnlyList<SessionStatus> Statuses, Instant From, Instant To, Instant AfterStart, Guid AfterId);
