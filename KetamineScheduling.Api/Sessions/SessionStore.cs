using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Infusions;
using KetamineScheduling.Api.Nursing;
using KetamineScheduling.Api.Reservations;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Sessions;

/// <summary>
/// Booked sessions, and the claims that make double booking impossible in the database itself.
/// </summary>
/// <remarks>
/// A session claims its chair time as rows of fixed slots (see ClaimTicks) under the unique key (chair, slot), and its
/// patient's time likewise under (patient, slot). Two sessions that overlap on a chair or a patient would claim
/// one row twice, which the key refuses whichever process tries: a check in application code could not promise
/// that across API instances. With a starts-per-slot limit, a start also claims one of the slot's numbered places.
/// A live reservation claims its time in the same rows under the same keys (see <see cref="ReservationStore"/>), so
/// every transaction that claims time first clears the claims of reservations that have expired
/// (<see cref="ReservationStore.ExpireAsync"/>): no timer is needed for a reservation to stop blocking.
/// </remarks>
internal static class SessionStore
{
    /// <summary>The statuses whose sessions hold their chair and patient, as the domain defines them, for <c>IN @HoldingChair</c>.</summary>
    private static readonly IReadOnlyList<string> HoldingChair = SessionStatuses.HoldingChair.Names();

    /// <summary>The statuses of sessions still to come, as the domain defines them, for <c>IN @StillToCome</c>.</summary>
    internal static readonly IReadOnlyList<string> StillToCome = SessionStatuses.StillToCome.Names();

    private const string InsertSession = """
        INSERT INTO sessions (id, clinic_id, plan_id, patient_id, chair_id, sequence, phase, status, local_start, time_zone,
            start_utc, end_utc, occupied_until_utc, infusion_minutes, observation_minutes, turnover_minutes, nurse_id, cancel_reason, version, created_at, updated_at)
        SELECT @Id, @ClinicId, @PlanId, @PatientId, @ChairId, @Sequence, @Phase, @Status, @LocalStart, @TimeZone,
            @StartUtc, @EndUtc, @OccupiedUntilUtc, @InfusionMinutes, @ObservationMinutes, @TurnoverMinutes, @NurseId, NULL, 1, @Now, @Now
        FROM chairs WHERE id = @ChairId AND clinic_id = @ClinicId AND in_service = 1
        """;

    /// <summary>
    /// Books <paramref name="sessions"/> and claims their time, and returns them as booked (with their nurses); throws <see cref="ConflictException"/> when another
    /// booking holds it, or when a chair went out of service after the caller read it (the insert reads the chair
    /// in the same transaction, so the check and the booking cannot be split).
    /// </summary>
    public static async Task<IReadOnlyList<Session>> InsertAsync(DbConnection connection, DbTransaction transaction, Clinic clinic, IEnumerable<Session> sessions, Instant now)
    {
        await ReservationStore.ExpireAsync(connection, transaction, clinic.Id, now);
        var inserted = new List<Session>();
        foreach (var unstaffed in sessions)
        {
            var session = await StaffAsync(connection, transaction, clinic, unstaffed, now);
            if (await connection.ExecuteAsync(InsertSession, new
            {
                session.Id,
                ClinicId = clinic.Id,
                session.PlanId,
                session.PatientId,
                session.ChairId,
                session.Sequence,
                Phase = session.Phase?.ToString(),
                Status = session.Status.ToString(),
                LocalStart = session.Start.LocalDateTime,
                TimeZone = session.Start.Zone.Id,
                StartUtc = session.Start.ToInstant(),
                EndUtc = session.End.ToInstant(),
                OccupiedUntilUtc = session.ChairFreeAt,
                session.Length.InfusionMinutes,
                session.Length.ObservationMinutes,
                session.Length.TurnoverMinutes,
                session.NurseId,
                Now = now,
            }, transaction) != 1)
            {
                throw new ConflictException($"The chair '{session.ChairId}' is out of service and takes no new bookings; choose another chair.");
            }

            await ClaimAsync(connection, transaction, clinic, session);
            inserted.Add(session);
        }

        return inserted;
    }

    // One command claims the chair's slots and the patient's: a slot another session holds breaks the table's unique
    // key, and the error names the table. The slot is cast to bigint because SQL Server types a recursive column by
    // its first row.
    private const string ClaimChairAndPatient = """
        WITH slots(slot) AS (SELECT CAST(@FirstSlot AS bigint) UNION ALL SELECT slot + 1 FROM slots WHERE slot + 1 < @ChairFreeSlot)
        INSERT INTO chair_claims (chair_id, slot, session_id, reservation_id) SELECT @ChairId, slot, @SessionId, @ReservationId FROM slots
        """ + SqlDialect.DeepRecursion + """
        ;
        WITH slots(slot) AS (SELECT CAST(@FirstSlot AS bigint) UNION ALL SELECT slot + 1 FROM slots WHERE slot + 1 < @PatientFreeSlot)
        INSERT INTO patient_claims (patient_id, slot, session_id, reservation_id) SELECT @PatientId, slot, @SessionId, @ReservationId FROM slots
        """ + SqlDialect.DeepRecursion;

    private static readonly string ClaimChairAndPatientSqlite = SqlDialect.ForSqlite(ClaimChairAndPatient);

    private static readonly string ClaimChairAndPatientSqlServer = SqlDialect.ForSqlServer(ClaimChairAndPatient);

    // The lowest free place number in the slot, if any is left; none left inserts nothing.
    private const string ClaimStart = """
        WITH places(ordinal) AS (SELECT 1 UNION ALL SELECT ordinal + 1 FROM places WHERE ordinal < @MaxStarts)
        INSERT INTO start_claims (clinic_id, slot, ordinal, session_id, reservation_id)
        SELECT @ClinicId, @FirstSlot, MIN(ordinal), @SessionId, @ReservationId FROM places
        WHERE ordinal NOT IN (SELECT ordinal FROM start_claims
        """ + SqlDialect.ClaimLock + """
         WHERE clinic_id = @ClinicId AND slot = @FirstSlot)
        HAVING MIN(ordinal) IS NOT NULL
        """ + SqlDialect.DeepRecursion;

    private static readonly string ClaimStartSqlite = SqlDialect.ForSqlite(ClaimStart);

    private static readonly string ClaimStartSqlServer = SqlDialect.ForSqlServer(ClaimStart);

    private const string ClaimStartOverLimit = """
        INSERT INTO start_claims (clinic_id, slot, ordinal, session_id, reservation_id)
        SELECT @ClinicId, @FirstSlot, COALESCE(MAX(ordinal), 0) + 1, @SessionId, @ReservationId FROM start_claims WHERE clinic_id = @ClinicId AND slot = @FirstSlot
        """;

    // The nurse's set-up slots, then a monitoring seat in every slot the patient is in the chair: the lowest seat free
    // in that slot. A slot with no seat left inserts nothing, so fewer rows than slots means the nurse is full; a
    // set-up slot already claimed breaks nurse_setup_claims' key.
    private const string ClaimNurse = """
        WITH slots(slot) AS (SELECT CAST(@FirstSlot AS bigint) UNION ALL SELECT slot + 1 FROM slots WHERE slot + 1 < @SetupFreeSlot)
        INSERT INTO nurse_setup_claims (nurse_id, slot, session_id, reservation_id)
        SELECT @NurseId, slot, @SessionId, @ReservationId FROM slots WHERE slot < @SetupFreeSlot
        """ + SqlDialect.DeepRecursion + """
        ;
        WITH slots(slot) AS (SELECT CAST(@FirstSlot AS bigint) UNION ALL SELECT slot + 1 FROM slots WHERE slot + 1 < @PatientFreeSlot),
            seats(seat) AS (SELECT 1 UNION ALL SELECT seat + 1 FROM seats WHERE seat < @PatientsPerNurse)
        INSERT INTO nurse_seat_claims (nurse_id, slot, seat, session_id, reservation_id)
        SELECT @NurseId, slots.slot, MIN(seats.seat), @SessionId, @ReservationId
        FROM slots CROSS JOIN seats
        WHERE NOT EXISTS (SELECT 1 FROM nurse_seat_claims c
        """ + SqlDialect.ClaimLock + """
         WHERE c.nurse_id = @NurseId AND c.slot = slots.slot AND c.seat = seats.seat)
        GROUP BY slots.slot
        """ + SqlDialect.DeepRecursion;

    private static readonly string ClaimNurseSqlite = SqlDialect.ForSqlite(ClaimNurse);

    private static readonly string ClaimNurseSqlServer = SqlDialect.ForSqlServer(ClaimNurse);

    /// <summary>
    /// Claims the chair time, patient time and start place of <paramref name="session"/> for the session itself, or,
    /// when <paramref name="reservation"/> is true, for the reservation of the same id that holds it; and, where the
    /// clinic counts nurses, its nurse's set-up time and a monitoring seat. Throws <see cref="ConflictException"/>
    /// when another session or live reservation holds any of it.
    /// </summary>
    internal static async Task ClaimAsync(DbConnection connection, DbTransaction transaction, Clinic clinic, Session session, bool keepOverLimit = false, bool reservation = false)
    {
        var booking = session.ToBooking();
        var maxStartsPerSlot = clinic.MaxStartsPerSlot;
        var slot = ClaimTicks(clinic);
        var staffing = clinic.Staffing;
        var claim = new
        {
            SessionId = reservation ? (Guid?)null : session.Id,
            ReservationId = reservation ? session.Id : (Guid?)null,
            ClinicId = clinic.Id,
            session.ChairId,
            session.PatientId,
            session.NurseId,
            FirstSlot = booking.Start.ToUnixTimeTicks() / slot,
            ChairFreeSlot = SlotAfter(booking.ChairFreeAt, slot),
            PatientFreeSlot = SlotAfter(booking.PatientLeavesAt, slot),
            SetupFreeSlot = SlotAfter(booking.Start + Duration.FromMinutes(staffing.SetupMinutes), slot),
            MaxStarts = maxStartsPerSlot ?? 0,
            staffing.PatientsPerNurse,
        };
        try
        {
            await connection.ExecuteAsync(connection.Pick(ClaimChairAndPatientSqlite, ClaimChairAndPatientSqlServer), claim, transaction);
        }
        catch (DbException e) when (Database.IsUniqueViolation(e, out var table))
        {
            throw new ConflictException(table == "patient_claims"
                ? $"The patient already has a session or a reservation overlapping {session.Start.LocalDateTime:uuuu-MM-dd'T'HH:mm}."
                : $"The chair is taken for part of the time from {session.Start.LocalDateTime:uuuu-MM-dd'T'HH:mm}.");
        }

        if (maxStartsPerSlot is not null && await connection.ExecuteAsync(connection.Pick(ClaimStartSqlite, ClaimStartSqlServer), claim, transaction) != 1 &&
            !(keepOverLimit && await connection.ExecuteAsync(ClaimStartOverLimit, claim, transaction) == 1))
        {
            throw new ConflictException($"The clinic's limit of {maxStartsPerSlot} infusion starts at {session.Start.LocalDateTime:uuuu-MM-dd'T'HH:mm} is reached.");
        }

        if (staffing.Enabled)
        {
            await ClaimNurseAsync(connection, transaction, session, claim.NurseId, (claim.SetupFreeSlot - claim.FirstSlot) + (claim.PatientFreeSlot - claim.FirstSlot), claim);
        }
    }

    /// <summary>
    /// <paramref name="session"/> with a nurse, where the clinic counts nurses and it has none yet (a single booking or a
    /// reservation; placement and moves choose theirs): the nurse on shift with room for it, by the bookings of its
    /// date as this transaction sees them. Throws <see cref="ConflictException"/> naming nurse capacity when there is none.
    /// </summary>
    public static async Task<Session> StaffAsync(DbConnection connection, DbTransaction transaction, Clinic clinic, Session session, Instant now)
    {
        if (!clinic.Staffing.Enabled)
        {
            return session.NurseId is null ? session : session with { NurseId = null };
        }

        if (session.NurseId is not null)
        {
            return session;
        }

        var date = session.Start.Date;
        var occupancy = await OccupancyAsync(connection, clinic, date, date, now, transaction);
        var (nurse, obstacle) = occupancy.Roster.Choose(session.ToBooking(), n => occupancy.OfNurse(n, date));
        return nurse is null
            ? throw new ConflictException($"A session cannot start at {session.Start.LocalDateTime:uuuu-MM-dd'T'HH:mm}: {obstacle!.Value.Describe()}.", obstacle.Value)
            : session with { NurseId = nurse };
    }

    private static async Task ClaimNurseAsync(DbConnection connection, DbTransaction transaction, Session session, Guid? nurseId, long slots, object claim)
    {
        var at = session.Start.LocalDateTime;
        if (nurseId is null)
        {
            // Every way of booking chooses a nurse before it claims (StaffAsync, placement, moves), so this is a bug.
            throw new InvalidOperationException($"Session {session.Id} has no nurse to claim in a clinic that counts nurses.");
        }

        int claimed;
        try
        {
            claimed = await connection.ExecuteAsync(connection.Pick(ClaimNurseSqlite, ClaimNurseSqlServer), claim, transaction);
        }
        catch (DbException e) when (Database.IsUniqueViolation(e, out _))
        {
            throw new ConflictException($"A session cannot start at {at:uuuu-MM-dd'T'HH:mm}: {Obstacle.NurseSettingUp.Describe()}.", Obstacle.NurseSettingUp);
        }

        if (claimed != slots)
        {
            throw new ConflictException($"A session cannot start at {at:uuuu-MM-dd'T'HH:mm}: {Obstacle.NursesFull.Describe()}.", Obstacle.NursesFull);
        }
    }

    private static readonly string[] ClaimTables = ["chair_claims", "patient_claims", "start_claims", "nurse_setup_claims", "nurse_seat_claims"];

    private static string ReleaseClaimsOf(string holder) => string.Join(";\n", ClaimTables.Select(table => $"DELETE FROM {table} WHERE {holder} = @Id"));

    private static readonly string ReleaseSessionClaims = ReleaseClaimsOf("session_id");

    private static readonly string ReleaseReservationClaims = ReleaseClaimsOf("reservation_id");

    /// <summary>Frees every claim a session held: chair and patient time, its start place, its nurse's set-up and seat.</summary>
    public static async Task ReleaseAsync(DbConnection connection, DbTransaction transaction, Guid sessionId) =>
        await connection.ExecuteAsync(ReleaseSessionClaims, new { Id = sessionId }, transaction);

    /// <summary>Frees every claim a reservation held, as <see cref="ReleaseAsync"/> does a session's.</summary>
    public static async Task ReleaseReservationAsync(DbConnection connection, DbTransaction transaction, Guid reservationId) =>
        await connection.ExecuteAsync(ReleaseReservationClaims, new { Id = reservationId }, transaction);

    /// <summary>
    /// Claims again the time <paramref name="sessions"/> hold, by <paramref name="clinic"/>'s settings as they are now:
    /// a new slot length changes the size of a claimed slot, and a new starts-per-slot limit needs every start to hold
    /// a place. Throws <see cref="ConflictException"/> when the sessions collide under the new settings. The
    /// reservations live at <paramref name="now"/> are claimed again too, after the sessions.
    /// </summary>
    public static async Task ReclaimAsync(DbConnection connection, DbTransaction transaction, Clinic clinic, IReadOnlyList<Session> sessions, Instant now)
    {
        await ReservationStore.ExpireAsync(connection, transaction, clinic.Id, now);
        var held = await ReservationStore.HeldAsync(connection, transaction, clinic.Id, now);
        foreach (var session in sessions)
        {
            await ReleaseAsync(connection, transaction, session.Id);
        }

        foreach (var reservation in held)
        {
            await ReservationStore.ReleaseClaimsAsync(connection, transaction, reservation.Id);
        }

        // Starts already over the new limit keep their places: a lower limit refuses new starts, not booked ones.
        foreach (var session in sessions.OrderBy(s => s.Start.ToInstant()))
        {
            await ClaimAsync(connection, transaction, clinic, session, keepOverLimit: true);
        }

        foreach (var reservation in held.OrderBy(r => r.Session.Start.ToInstant()))
        {
            await ClaimAsync(connection, transaction, clinic, reservation.Session, keepOverLimit: true, reservation: true);
        }
    }

    private const string UpdateTimes = """
        UPDATE sessions SET chair_id = @ChairId, local_start = @LocalStart, start_utc = @StartUtc, end_utc = @EndUtc,
            occupied_until_utc = @OccupiedUntilUtc, nurse_id = @NurseId, version = version + 1, updated_at = @Now
        WHERE id = @Id AND version = @Version
        """;

    /// <summary>
    /// Moves sessions: frees every old claim first, so sessions shifted together never collide with their own old times.
    /// <paramref name="versions"/> are the versions the caller read; a session changed since then throws <see cref="ConflictException"/>.
    /// </summary>
    public static async Task MoveAsync(
        DbConnection connection, DbTransaction transaction, Clinic clinic, IReadOnlyList<Session> moved, IReadOnlyDictionary<Guid, int> versions, Instant now)
    {
        await ReservationStore.ExpireAsync(connection, transaction, clinic.Id, now);
        foreach (var session in moved)
        {
            await ReleaseAsync(connection, transaction, session.Id);
        }

        foreach (var session in moved)
        {
            var updated = await connection.ExecuteAsync(UpdateTimes, new
            {
                session.Id,
                session.ChairId,
                LocalStart = session.Start.LocalDateTime,
                StartUtc = session.Start.ToInstant(),
                EndUtc = session.End.ToInstant(),
                OccupiedUntilUtc = session.ChairFreeAt,
                session.NurseId,
                Version = versions[session.Id],
                Now = now,
            }, transaction);
            if (updated != 1)
            {
                throw new ConflictException("A session changed while it was being moved; fetch it and try again.");
            }

            await ClaimAsync(connection, transaction, clinic, session);
        }
    }

    private const string UpdateStatus = """
        UPDATE sessions SET status = @Status, cancel_reason = @Reason, version = version + 1, updated_at = @Now
        WHERE id = @Id AND status = @From AND (@Version IS NULL OR version = @Version)
        """;

    /// <summary>
    /// Moves a session to a new status; false when its status changed meanwhile, or its version when
    /// <paramref name="version"/> (the version the caller read) is given. Sessions that no longer hold their chair release it.
    /// </summary>
    public static async Task<bool> SetStatusAsync(DbConnection connection, DbTransaction transaction, Session session, SessionStatus status, string? reason, Instant now, int? version = null)
    {
        var changed = await connection.ExecuteAsync(UpdateStatus, new { session.Id, Status = status.ToString(), From = session.Status.ToString(), Version = version, Reason = reason, Now = now }, transaction) == 1;
        if (changed && !status.HoldsChair())
        {
            await ReleaseAsync(connection, transaction, session.Id);
        }

        return changed;
    }

    private const string UpdateVersion = """
        UPDATE sessions SET version = version + 1, updated_at = @Now
        WHERE id = @Id AND status = @Status AND version = @Version
        """;

    /// <summary>
    /// Marks a change to what a session shows without a change of status (its readiness recorded): false when its
    /// status or its version (the one the caller read) changed meanwhile.
    /// </summary>
    public static async Task<bool> TouchAsync(DbConnection connection, DbTransaction transaction, Session session, int version, Instant now) =>
        await connection.ExecuteAsync(UpdateVersion, new { session.Id, Status = session.Status.ToString(), Version = version, Now = now }, transaction) == 1;

    private const string SelectBookingReferences = """
        SELECT c.version AS clinic_version,
            (SELECT COUNT(*) FROM chairs WHERE clinic_id = c.id AND id = @ChairId) AS chairs,
            (SELECT COUNT(*) FROM chairs WHERE clinic_id = c.id AND id = @ChairId AND in_service = 1) AS chairs_in_service,
            (SELECT COUNT(*) FROM patients WHERE clinic_id = c.id AND id = @PatientId) AS patients
        FROM clinics c WHERE c.id = @ClinicId
        """;

    /// <summary>
    /// In one query, what booking a session refers to: the clinic's version (null when there is no such clinic),
    /// whether the chair is in it and in service, and whether the patient is in it.
    /// </summary>
    public static async Task<(int? ClinicVersion, bool ChairFound, bool ChairInService, bool PatientFound)> ReferencesAsync(DbConnection connection, Guid clinicId, Guid chairId, Guid patientId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ReferencesRow>(SelectBookingReferences, new { ClinicId = clinicId, ChairId = chairId, PatientId = patientId });
        return (row?.ClinicVersion, row?.Chairs == 1, row?.ChairsInService == 1, row?.Patients == 1);
    }

    private sealed class ReferencesRow
    {
        public int ClinicVersion { get; init; }

        public int Chairs { get; init; }

        public int ChairsInService { get; init; }

        public int Patients { get; init; }
    }

    // What was recorded in the chair comes with the session, so every answer that shows a session shows it.
    internal const string SelectColumns = """
        SELECT id, clinic_id, plan_id, patient_id, chair_id, sequence, phase, status, local_start, time_zone, start_utc,
            infusion_minutes, observation_minutes, turnover_minutes, nurse_id, cancel_reason, version,
            (SELECT r.readiness FROM infusion_records r WHERE r.session_id = sessions.id) AS readiness,
            (SELECT r.infusion FROM infusion_records r WHERE r.session_id = sessions.id) AS infusion,
            (SELECT r.discharge FROM infusion_records r WHERE r.session_id = sessions.id) AS discharge
        FROM sessions
        """;

    private const string SelectSession = SelectColumns + " WHERE clinic_id = @ClinicId AND id = @Id";

    public static async Task<SessionRow?> FindAsync(DbConnection connection, Guid clinicId, Guid id, DbTransaction? transaction = null) =>
        await connection.QuerySingleOrDefaultAsync<SessionRow>(SelectSession, new { ClinicId = clinicId, Id = id }, transaction);

    private const string SelectPlanSessions = SelectColumns + " WHERE clinic_id = @ClinicId AND plan_id = @PlanId ORDER BY sequence, start_utc";

    public static async Task<IReadOnlyList<SessionRow>> ForPlanAsync(DbConnection connection, Guid clinicId, Guid planId, DbTransaction? transaction = null) =>
        (await connection.QueryAsync<SessionRow>(SelectPlanSessions, new { ClinicId = clinicId, PlanId = planId }, transaction)).AsList();

    private const string SelectHeld = SelectColumns + """
         WHERE clinic_id = @ClinicId AND local_start >= @From AND local_start < @To AND status IN @HoldingChair
        """;

    /// <summary>
    /// The time held in the clinic on local dates <paramref name="from"/> to <paramref name="to"/>, both included: by
    /// sessions, and by the reservations still live at <paramref name="now"/>; with the nurses on shift then, where the clinic counts nurses.
    /// </summary>
    public static async Task<ChairOccupancy> OccupancyAsync(DbConnection connection, Clinic clinic, LocalDate from, LocalDate to, Instant now, DbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<SessionRow>(SelectHeld, new { ClinicId = clinic.Id, From = from.AtMidnight(), To = to.PlusDays(1).AtMidnight(), HoldingChair }, transaction);
        var reserved = await ReservationStore.HeldOnDatesAsync(connection, clinic.Id, from, to, now, transaction);
        var roster = await ShiftStore.RosterAsync(connection, clinic, from, to, transaction);
        return new ChairOccupancy(rows.Select(r => r.ToSession().ToBooking()).Concat(reserved.Select(r => r.ToBooking())), roster);
    }

    private const string SelectStillToCome = SelectColumns + """
         WHERE clinic_id = @ClinicId AND status IN @StillToCome AND end_utc > @Now AND (@ChairId IS NULL OR chair_id = @ChairId)
         ORDER BY start_utc, id
        """;

    /// <summary>
    /// The clinic's sessions still to come or under way (booked, checked in or in infusion, ending after <paramref name="now"/>),
    /// soonest first; only those on <paramref name="chairId"/> when it is given.
    /// </summary>
    public static async Task<IReadOnlyList<SessionRow>> StillToComeAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Instant now, Guid? chairId = null) =>
        (await connection.QueryAsync<SessionRow>(SelectStillToCome, new { ClinicId = clinicId, Now = now, ChairId = chairId, StillToCome }, transaction)).AsList();

    private const string SelectHoldingClaims = SelectColumns + """
         WHERE clinic_id = @ClinicId AND status IN @HoldingChair AND occupied_until_utc > @Now
        """;

    /// <summary>The clinic's sessions whose claims still matter: holding a chair that is not yet free again at <paramref name="now"/>.</summary>
    public static async Task<IReadOnlyList<Session>> HoldingAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Instant now) =>
        (await connection.QueryAsync<SessionRow>(SelectHoldingClaims, new { ClinicId = clinicId, Now = now, HoldingChair }, transaction)).Select(r => r.ToSession()).ToList();

    private const string SelectDay = SelectColumns + """
         WHERE clinic_id = @ClinicId AND local_start >= @From AND local_start < @To
           AND (local_start > @AfterStart OR (local_start = @AfterStart AND id > @AfterId))
           AND (@ChairId IS NULL OR chair_id = @ChairId) AND (@Status IS NULL OR status = @Status)
         ORDER BY local_start, id
        """ + SqlDialect.TakeRows;

    /// <summary>A scheduler's day: the clinic's sessions starting on one local date, by start time.</summary>
    public static async Task<IReadOnlyList<SessionRow>> OnDateAsync(DbConnection connection, Guid clinicId, LocalDate date, Guid? chairId, SessionStatus? status, LocalDateTime afterStart, Guid afterId, int take) =>
        (await connection.QueryAsync<SessionRow>(connection.Sql(SelectDay), new
        {
            ClinicId = clinicId,
            From = date.AtMidnight(),
            To = date.PlusDays(1).AtMidnight(),
            ChairId = chairId,
            Status = status?.ToString(),
            AfterStart = afterStart,
            AfterId = afterId,
            Take = take,
        })).AsList();

    private const string SelectUpcoming = SelectColumns + """
         WHERE clinic_id = @ClinicId AND patient_id = @PatientId AND status IN @StillToCome AND end_utc > @Now
           AND (start_utc > @AfterStart OR (start_utc = @AfterStart AND id > @AfterId))
         ORDER BY start_utc, id
        """ + SqlDialect.TakeRows;

    /// <summary>A patient's sessions still to come (booked, checked in or in infusion, ending after now), soonest first.</summary>
    public static async Task<IReadOnlyList<SessionRow>> UpcomingAsync(DbConnection connection, Guid clinicId, Guid patientId, Instant now, Instant afterStart, Guid afterId, int take) =>
        (await connection.QueryAsync<SessionRow>(connection.Sql(SelectUpcoming), new
        {
            ClinicId = clinicId,
            PatientId = patientId,
            Now = now,
            AfterStart = afterStart,
            AfterId = afterId,
            Take = take,
            StillToCome,
        })).AsList();

    /// <summary>
    /// The length of a claimed slot for a clinic, in ticks. Every start is on the clinic's grid, so slots as long
    /// as the grid step claim exactly the time a session holds; but slots count in UTC, and a grid step longer than
    /// the zone's offset granularity (15 minutes in today's tzdb: India is +05:30, Nepal +05:45) would straddle
    /// local grid points. So a slot is the largest common divisor of the grid step and 15 minutes.
    /// </summary>
    private static long ClaimTicks(Clinic clinic) => (long)Gcd(clinic.SlotMinutes, 15) * NodaConstants.TicksPerMinute;

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>The first slot wholly after an instant: an end that is not on a slot boundary still holds its slot.</summary>
    private static long SlotAfter(Instant instant, long slot) => (instant.ToUnixTimeTicks() + slot - 1) / slot;
}

/// <summary>A session as stored.</summary>
internal sealed class SessionRow
{
    public Guid Id { get; init; }

    public Guid ClinicId { get; init; }

    public Guid? PlanId { get; init; }

    public Guid PatientId { get; init; }

    public Guid ChairId { get; init; }

    public int? Sequence { get; init; }

    public string? Phase { get; init; }

    public string Status { get; init; } = "";

    public LocalDateTime LocalStart { get; init; }

    public string TimeZone { get; init; } = "";

    /// <summary>The start as an instant: the truth when a local time happens twice.</summary>
    public Instant StartUtc { get; init; }

    public int InfusionMinutes { get; init; }

    public int ObservationMinutes { get; init; }

    public int TurnoverMinutes { get; init; }

    public string? CancelReason { get; init; }

    public Guid? NurseId { get; init; }

    public int Version { get; init; }

    /// <summary>The readiness recorded for the session, as JSON; null until recorded.</summary>
    public string? Readiness { get; init; }

    /// <summary>The infusion as started, as JSON; null until it starts.</summary>
    public string? Infusion { get; init; }

    /// <summary>The discharge, as JSON; null until recorded.</summary>
    public string? Discharge { get; init; }

    public Session ToSession() => new(
        Id,
        PatientId,
        ChairId,
        StartUtc.InZone(DateTimeZoneProviders.Tzdb[TimeZone]),
        new SessionLength(InfusionMinutes, ObservationMinutes, TurnoverMinutes),
        PlanId,
        Sequence,
        Phase is null ? null : Enum.Parse<Phase>(Phase),
        Enum.Parse<SessionStatus>(Status))
    {
        NurseId = NurseId,
    };

    /// <summary>What was recorded in the chair, read from its JSON.</summary>
    public InfusionRecord Record() => Readiness is null && Infusion is null && Discharge is null
        ? InfusionRecord.None
        : new(InfusionWire.Deserialize<ReadinessBody>(Readiness), InfusionWire.Deserialize<InfusionBody>(Infusion), InfusionWire.Deserialize<DischargeBody>(Discharge));

    public SessionResponse ToResponse()
    {
        var record = Record();
        return ToSession().ToResponse(Version, CancelReason) with { Readiness = record.Readiness, Infusion = record.Infusion, Discharge = record.Discharge };
    }
}

internal static class SessionResponses
{
    /// <summary>The session as clients see it, at <paramref name="version"/>.</summary>
    public static SessionResponse ToResponse(this Session session, int version, string? cancelReason = null) => new(
        session.Id, session.PlanId, session.PatientId, session.ChairId, session.Sequence, session.Phase, session.Status,
        session.Start.ToOffsetDateTime(), session.End.ToOffsetDateTime(), session.Start.Zone.Id,
        session.Length.InfusionMinutes, session.Length.ObservationMinutes, version, cancelReason, NurseId: session.NurseId);
}
