using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Infusions;
using KetamineScheduling.Domain.Nursing;
using NodaTime;

namespace KetamineScheduling.Api.Clinics;

/// <summary>Clinics, their opening hours and closed dates.</summary>
internal static class ClinicStore
{
    private const string InsertClinic = """
        INSERT INTO clinics (id, name, time_zone, slot_minutes, turnover_minutes, observation_minutes, max_starts_per_slot, patients_may_cancel,
            check_in_opens_minutes, calendar_event_title, intake_required, readiness_required, readiness_limits, waitlist_offer_minutes,
            course_response_percent, course_partial_response_percent, course_remission_max_total, course_booster_rise_points,
            nursing_enabled, patients_per_nurse, setup_minutes, version, created_at, updated_at)
        VALUES (@Id, @Name, @TimeZone, @SlotMinutes, @TurnoverMinutes, @ObservationMinutes, @MaxStartsPerSlot, @PatientsMayCancel,
            @CheckInOpensMinutes, @CalendarEventTitle, @IntakeRequired, @ReadinessRequired, @ReadinessLimits, @WaitlistOfferMinutes,
            @CourseResponsePercent, @CoursePartialResponsePercent, @CourseRemissionMaxTotal, @CourseBoosterRisePoints,
            @NursingEnabled, @PatientsPerNurse, @SetupMinutes, 1, @Now, @Now)
        """;

    private const string InsertOpeningHours = """
        INSERT INTO opening_hours (clinic_id, day_of_week, opens, closes) VALUES (@ClinicId, @DayOfWeek, @Opens, @Closes)
        """;

    private const string InsertClosedDate = """
        INSERT INTO closed_dates (clinic_id, date, reason) VALUES (@ClinicId, @Date, @Reason)
        """;

    /// <summary>A clinic's settings as its insert and its update bind them; <paramref name="version"/> is the one the update expects.</summary>
    private static object Settings(Clinic clinic, int version, Instant now) => new
    {
        clinic.Id,
        clinic.Name,
        TimeZone = clinic.Zone.Id,
        clinic.SlotMinutes,
        clinic.TurnoverMinutes,
        clinic.ObservationMinutes,
        clinic.MaxStartsPerSlot,
        clinic.PatientsMayCancel,
        clinic.CheckInOpensMinutes,
        clinic.CalendarEventTitle,
        clinic.IntakeRequired,
        clinic.ReadinessRequired,
        ReadinessLimits = clinic.ReadinessLimits is { } limits ? InfusionWire.Serialize(InfusionWire.ToBody(limits)) : null,
        clinic.WaitlistOfferMinutes,
        CourseResponsePercent = clinic.CourseThresholds?.ResponsePercent,
        CoursePartialResponsePercent = clinic.CourseThresholds?.PartialResponsePercent,
        CourseRemissionMaxTotal = clinic.CourseThresholds?.RemissionMaxTotal,
        CourseBoosterRisePoints = clinic.CourseThresholds?.BoosterRisePoints,
        NursingEnabled = clinic.Staffing.Enabled,
        clinic.Staffing.PatientsPerNurse,
        clinic.Staffing.SetupMinutes,
        Version = version,
        Now = now,
    };

    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, Clinic clinic, Instant now)
    {
        await connection.ExecuteAsync(InsertClinic, Settings(clinic, version: 1, now), transaction);
        await connection.ExecuteAsync(InsertOpeningHours, clinic.OpeningHours.Select(h => new { ClinicId = clinic.Id, DayOfWeek = (int)h.Day, h.Opens, h.Closes }), transaction);
        await connection.ExecuteAsync(InsertClosedDate, clinic.ClosedDates.Select(d => new { ClinicId = clinic.Id, Date = d, Reason = (string?)null }), transaction);
    }

    private const string SelectClinic = """
        SELECT id, name, time_zone, slot_minutes, turnover_minutes, observation_minutes, max_starts_per_slot, patients_may_cancel,
            check_in_opens_minutes, calendar_event_title, intake_required, readiness_required, readiness_limits, waitlist_offer_minutes,
            course_response_percent, course_partial_response_percent, course_remission_max_total, course_booster_rise_points,
            nursing_enabled, patients_per_nurse, setup_minutes, version
        FROM clinics WHERE id = @Id;
        SELECT day_of_week, opens, closes FROM opening_hours WHERE clinic_id = @Id ORDER BY day_of_week, opens;
        SELECT date FROM closed_dates WHERE clinic_id = @Id ORDER BY date;
        """;

    /// <summary>The clinic with its calendar, or <see langword="null"/> when there is none with that id.</summary>
    public static async Task<Clinic?> FindAsync(DbConnection connection, Guid id, DbTransaction? transaction = null)
    {
        await using var results = await connection.QueryMultipleAsync(SelectClinic, new { Id = id }, transaction);
        var row = await results.ReadSingleOrDefaultAsync<ClinicRow>();
        var hours = (await results.ReadAsync<HoursRow>()).Select(h => new OpeningHoursEntry((IsoDayOfWeek)h.DayOfWeek, h.Opens, h.Closes)).ToList();
        var closed = (await results.ReadAsync<LocalDate>()).ToList();
        return row is null ? null : new Clinic(
            row.Id, row.Name, DateTimeZoneProviders.Tzdb[row.TimeZone], hours, closed,
            row.SlotMinutes, row.TurnoverMinutes, row.ObservationMinutes, row.MaxStartsPerSlot, row.PatientsMayCancel, row.Version, row.CheckInOpensMinutes, row.CalendarEventTitle, row.IntakeRequired,
            row.ReadinessRequired, InfusionWire.Deserialize<ReadinessLimitsResponse>(row.ReadinessLimits) is { } limits ? InfusionWire.ToDomain(limits) : null,
            row.WaitlistOfferMinutes,
            new CourseThresholdSettings(row.CourseResponsePercent, row.CoursePartialResponsePercent, row.CourseRemissionMaxTotal, row.CourseBoosterRisePoints),
            new NurseStaffing(row.NursingEnabled, row.PatientsPerNurse, row.SetupMinutes));
    }

    private const string SelectClinicExists = """
        SELECT COUNT(*) FROM clinics WHERE id = @Id
        """;

    public static async Task<bool> ExistsAsync(DbConnection connection, Guid clinicId, DbTransaction? transaction = null) =>
        await connection.ExecuteScalarAsync<int>(SelectClinicExists, new { Id = clinicId }, transaction) == 1;

    private const string SelectClinicIds = """
        SELECT id FROM clinics WHERE id > @After ORDER BY id
        """ + SqlDialect.TakeRows;

    /// <summary>Clinic ids after <paramref name="after"/>, in id order.</summary>
    public static async Task<IReadOnlyList<Guid>> ListIdsAsync(DbConnection connection, Guid after, int take) =>
        (await connection.QueryAsync<Guid>(connection.Sql(SelectClinicIds), new { After = after, Take = take })).AsList();

    private const string UpdateVersion = """
        UPDATE clinics SET version = version + 1, updated_at = @Now WHERE id = @Id
        """;

    private const string SelectSessionsOnDate = """
        SELECT id FROM sessions
        WHERE clinic_id = @ClinicId AND local_start >= @From AND local_start < @To AND status IN @StillToCome
        ORDER BY local_start
        """;

    /// <summary>Closes the clinic on a date; false when it was already closed then.</summary>
    public static async Task<IReadOnlyList<Guid>?> AddClosedDateAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, LocalDate date, string? reason, Instant now)
    {
        try
        {
            await connection.ExecuteAsync(InsertClosedDate, new { ClinicId = clinicId, Date = date, Reason = reason }, transaction);
        }
        catch (DbException e) when (Database.IsUniqueViolation(e, out _))
        {
            return null;
        }

        await connection.ExecuteAsync(UpdateVersion, new { Id = clinicId, Now = now }, transaction);
        return (await connection.QueryAsync<Guid>(SelectSessionsOnDate, new { ClinicId = clinicId, From = date.AtMidnight(), To = date.PlusDays(1).AtMidnight(), Sessions.SessionStore.StillToCome }, transaction)).AsList();
    }

    private const string DeleteClosedDate = """
        DELETE FROM closed_dates WHERE clinic_id = @ClinicId AND date = @Date
        """;

    /// <summary>Opens the clinic again on a date; false when it was not closed then.</summary>
    public static async Task<bool> RemoveClosedDateAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, LocalDate date, Instant now)
    {
        var removed = await connection.ExecuteAsync(DeleteClosedDate, new { ClinicId = clinicId, Date = date }, transaction) == 1;
        if (removed)
        {
            await connection.ExecuteAsync(UpdateVersion, new { Id = clinicId, Now = now }, transaction);
        }

        return removed;
    }

    private const string UpdateClinic = """
        UPDATE clinics SET name = @Name, time_zone = @TimeZone, slot_minutes = @SlotMinutes, turnover_minutes = @TurnoverMinutes,
            observation_minutes = @ObservationMinutes, max_starts_per_slot = @MaxStartsPerSlot, patients_may_cancel = @PatientsMayCancel,
            check_in_opens_minutes = @CheckInOpensMinutes, calendar_event_title = @CalendarEventTitle, intake_required = @IntakeRequired,
            readiness_required = @ReadinessRequired, readiness_limits = @ReadinessLimits,
            waitlist_offer_minutes = @WaitlistOfferMinutes,
            course_response_percent = @CourseResponsePercent, course_partial_response_percent = @CoursePartialResponsePercent,
            course_remission_max_total = @CourseRemissionMaxTotal, course_booster_rise_points = @CourseBoosterRisePoints,
            nursing_enabled = @NursingEnabled, patients_per_nurse = @PatientsPerNurse, setup_minutes = @SetupMinutes, version = version + 1, updated_at = @Now
        WHERE id = @Id AND version = @Version
        """;

    private const string DeleteOpeningHours = """
        DELETE FROM opening_hours WHERE clinic_id = @ClinicId
        """;

    /// <summary>
    /// Saves <paramref name="clinic"/>'s settings, and its opening hours when <paramref name="hoursChanged"/>, if the
    /// clinic is still at <paramref name="version"/>; false when it changed meanwhile. The stored version becomes one more.
    /// </summary>
    public static async Task<bool> UpdateAsync(DbConnection connection, DbTransaction transaction, Clinic clinic, int version, bool hoursChanged, Instant now)
    {
        var updated = await connection.ExecuteAsync(UpdateClinic, Settings(clinic, version, now), transaction) == 1;
        if (updated && hoursChanged)
        {
            await connection.ExecuteAsync(DeleteOpeningHours, new { ClinicId = clinic.Id }, transaction);
            await connection.ExecuteAsync(InsertOpeningHours, clinic.OpeningHours.Select(h => new { ClinicId = clinic.Id, DayOfWeek = (int)h.Day, h.Opens, h.Closes }), transaction);
        }

        return updated;
    }

    private const string SelectStatusRules = """
        SELECT check_in_opens_minutes, readiness_required FROM clinics WHERE id = @Id
        """;

    /// <summary>The clinic's settings a status change obeys; null when there is no such clinic.</summary>
    public static async Task<StatusRules?> StatusRulesAsync(DbConnection connection, Guid clinicId, DbTransaction? transaction = null) =>
        await connection.QuerySingleOrDefaultAsync<StatusRules>(SelectStatusRules, new { Id = clinicId }, transaction);

    private sealed class ClinicRow
    {
        public Guid Id { get; init; }

        public string Name { get; init; } = "";

        public string TimeZone { get; init; } = "";

        public int SlotMinutes { get; init; }

        public int TurnoverMinutes { get; init; }

        public int ObservationMinutes { get; init; }

        public int? MaxStartsPerSlot { get; init; }

        public bool PatientsMayCancel { get; init; }

        public int CheckInOpensMinutes { get; init; }

        public int Version { get; init; }

        public string? CalendarEventTitle { get; init; }

        public bool IntakeRequired { get; init; }

        public bool ReadinessRequired { get; init; }

        public string? ReadinessLimits { get; init; }

        public int WaitlistOfferMinutes { get; init; }

        public int? CourseResponsePercent { get; init; }

        public int? CoursePartialResponsePercent { get; init; }

        public int? CourseRemissionMaxTotal { get; init; }

        public int? CourseBoosterRisePoints { get; init; }

        public bool NursingEnabled { get; init; }

        public int PatientsPerNurse { get; init; }

        public int SetupMinutes { get; init; }
    }

    private sealed class HoursRow
    {
        public int DayOfWeek { get; init; }

        public LocalTime Opens { get; init; }

        public LocalTime Closes { get; init; }
    }
}

/// <summary>
/// The settings of a clinic a session's status change obeys: minutes before the start that check-in opens, and
/// whether readiness is required before completion.
/// </summary>
internal sealed class StatusRules
{
    public int CheckInOpensMinutes { get; init; }

    public bool ReadinessRequired { get; init; }
}
