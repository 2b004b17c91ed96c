using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Domain.Nursing;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Nursing;

/// <summary>Nurses' shifts, and the roster placement reads from them.</summary>
internal static class ShiftStore
{
    private const string InsertShift = """
        INSERT INTO nurse_shifts (id, clinic_id, staff_id, shift_date, starts, ends, created_at)
        VALUES (@Id, @ClinicId, @StaffId, @Date, @Starts, @Ends, @CreatedAt)
        """;

    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, ShiftResponse shift) =>
        await connection.ExecuteAsync(InsertShift, new { shift.Id, ClinicId = clinicId, shift.StaffId, shift.Date, shift.Starts, shift.Ends, shift.CreatedAt }, transaction);

    private const string SelectColumns = "SELECT id, staff_id, shift_date, starts, ends, created_at, deleted_at FROM nurse_shifts";

    private const string SelectOverlapping = SelectColumns + """
         WHERE clinic_id = @ClinicId AND staff_id = @StaffId AND shift_date = @Date AND starts < @Ends AND @Starts < ends AND deleted_at IS NULL
        """;

    /// <summary>The nurse's shifts on the same date that overlap <paramref name="shift"/>'s hours.</summary>
    public static async Task<IReadOnlyList<ShiftResponse>> OverlappingAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, ShiftResponse shift) =>
        (await connection.QueryAsync<ShiftRow>(SelectOverlapping, new { ClinicId = clinicId, shift.StaffId, shift.Date, shift.Starts, shift.Ends }, transaction)).Select(r => r.ToResponse()).ToList();

    private const string SelectShift = SelectColumns + " WHERE clinic_id = @ClinicId AND staff_id = @StaffId AND id = @Id";

    /// <summary>The shift, and whether it has been taken away already; null when the nurse never had it.</summary>
    public static async Task<(ShiftResponse Shift, bool Deleted)?> FindAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Guid staffId, Guid id) =>
        await connection.QuerySingleOrDefaultAsync<ShiftRow>(SelectShift, new { ClinicId = clinicId, StaffId = staffId, Id = id }, transaction) is { } row
            ? (row.ToResponse(), row.DeletedAt is not null)
            : null;

    private const string SelectOnDate = SelectColumns + " WHERE clinic_id = @ClinicId AND shift_date = @Date AND deleted_at IS NULL ORDER BY starts, staff_id, id";

    /// <summary>The clinic's shifts on a local date, by start and then nurse.</summary>
    public static async Task<IReadOnlyList<ShiftResponse>> OnDateAsync(DbConnection connection, Guid clinicId, LocalDate date) =>
        (await connection.QueryAsync<ShiftRow>(SelectOnDate, new { ClinicId = clinicId, Date = date })).Select(r => r.ToResponse()).ToList();

    private const string DeleteShift = "UPDATE nurse_shifts SET deleted_at = @Now WHERE id = @Id AND deleted_at IS NULL";

    /// <summary>Takes the shift away, keeping its row as the record that it was planned.</summary>
    public static async Task DeleteAsync(DbConnection connection, DbTransaction transaction, Guid id, Instant now) =>
        await connection.ExecuteAsync(DeleteShift, new { Id = id, Now = now }, transaction);

    private const string SelectShiftsToCome = """
        SELECT id FROM nurse_shifts
        WHERE clinic_id = @ClinicId AND staff_id = @StaffId AND deleted_at IS NULL
          AND (shift_date > @Today OR (shift_date = @Today AND starts > @Time))
        """;

    /// <summary>A nurse's shifts not yet begun at <paramref name="localNow"/>, the clinic's time.</summary>
    public static async Task<IReadOnlyList<Guid>> ShiftsToComeAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Guid staffId, LocalDateTime localNow) =>
        (await connection.QueryAsync<Guid>(SelectShiftsToCome, new { ClinicId = clinicId, StaffId = staffId, Today = localNow.Date, Time = localNow.TimeOfDay }, transaction)).AsList();

    private static readonly IReadOnlyList<string> HoldingChair = SessionStatuses.HoldingChair.Names();

    // A nurse's sessions holding a chair and live reservations, on one local date or on any.
    private const string SelectNursesSessions = """
        SELECT id, chair_id, time_zone, start_utc, infusion_minutes, observation_minutes FROM sessions
        WHERE clinic_id = @ClinicId AND nurse_id = @StaffId AND status IN @HoldingChair AND (@From IS NULL OR (local_start >= @From AND local_start < @To))
        UNION ALL
        SELECT id, chair_id, time_zone, start_utc, infusion_minutes, observation_minutes FROM reservations
        WHERE clinic_id = @ClinicId AND nurse_id = @StaffId AND status = 'Held' AND expires_at > @Now AND (@From IS NULL OR (local_start >= @From AND local_start < @To))
        """;

    /// <summary>
    /// The sessions (holding a chair) and live reservations <paramref name="staffId"/> sets up and watches that start on
    /// <paramref name="date"/>, or on any date when it is null, that have not ended by <paramref name="now"/>; by start.
    /// </summary>
    public static async Task<IReadOnlyList<NurseSessionRow>> NursesSessionsAsync(
        DbConnection connection, DbTransaction transaction, Guid clinicId, Guid staffId, LocalDate? date, Instant now) =>
        (await connection.QueryAsync<NurseSessionRow>(SelectNursesSessions, new
        {
            ClinicId = clinicId,
            StaffId = staffId,
            HoldingChair,
            Now = now,
            From = date?.AtMidnight(),
            To = date?.PlusDays(1).AtMidnight(),
        }, transaction)).Where(r => r.EndUtc > now).OrderBy(r => r.StartUtc).ToList();

    // Only active members of staff who are still nurses work their shifts; the kinds column is a list of wire codes.
    private const string SelectRoster = """
        SELECT s.staff_id, s.shift_date, s.starts, s.ends, st.kinds FROM nurse_shifts s JOIN staff st ON st.id = s.staff_id
        WHERE s.clinic_id = @ClinicId AND s.shift_date >= @From AND s.shift_date <= @To AND s.deleted_at IS NULL AND st.active = 1
        ORDER BY s.shift_date, s.starts, s.staff_id
        """;

    /// <summary>
    /// The clinic's nurses on shift on local dates <paramref name="from"/> to <paramref name="to"/>, both included,
    /// under its staffing settings; <see cref="NurseRoster.Off"/> without a query when the clinic does not count nurses.
    /// </summary>
    public static async Task<NurseRoster> RosterAsync(DbConnection connection, Clinic clinic, LocalDate from, LocalDate to, DbTransaction? transaction = null)
    {
        if (!clinic.Staffing.Enabled)
        {
            return NurseRoster.Off;
        }

        var rows = await connection.QueryAsync<RosterRow>(SelectRoster, new { ClinicId = clinic.Id, From = from, To = to }, transaction);
        return new NurseRoster(
            clinic.Staffing,
            clinic.Calendar,
            rows.Where(r => Http.ClinicalCodes.Split<Domain.Clinical.StaffKind>(r.Kinds).Contains(Domain.Clinical.StaffKind.Nurse))
                .Select(r => new NurseShift(r.StaffId, r.ShiftDate, r.Starts, r.Ends)));
    }

    private sealed class ShiftRow
    {
        public Guid Id { get; init; }

        public Guid StaffId { get; init; }

        public LocalDate ShiftDate { get; init; }

        public LocalTime Starts { get; init; }

        public LocalTime Ends { get; init; }

        public Instant CreatedAt { get; init; }

        public Instant? DeletedAt { get; init; }

        public ShiftResponse ToResponse() => new(Id, StaffId, ShiftDate, Starts, Ends, CreatedAt);
    }

    private sealed class RosterRow
    {
        public Guid StaffId { get; init; }

        public LocalDate ShiftDate { get; init; }

        public LocalTime Starts { get; init; }

        public LocalTime Ends { get; init; }

        public string Kinds { get; init; } = "";
    }
}

/// <summary>A session or reservation a nurse has, as <see cref="ShiftStore.NursesSessionsAsync"/> reads it.</summary>
internal sealed class NurseSessionRow
{
    public Guid Id { get; init; }

    public Guid ChairId { get; init; }

    public string TimeZone { get; init; } = "";

    public Instant StartUtc { get; init; }

    public int InfusionMinutes { get; init; }

    public int ObservationMinutes { get; init; }

    /// <summary>When the patient leaves the chair, and the nurse is free of them.</summary>
    public Instant EndUtc => StartUtc + Duration.FromMinutes(InfusionMinutes + ObservationMinutes);

    public AffectedSession ToAffected() => new(Id, ChairId, StartUtc.InZone(DateTimeZoneProviders.Tzdb[TimeZone]).ToOffsetDateTime());
}
