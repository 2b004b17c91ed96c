using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
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
            start_utc, end_utc, occupied_until_utc, infusion_minutes, observation_minutes, turnover_minutes, cancel_reason, version, created_at, updated_at)
        SELECT @Id, @ClinicId, @PlanId, @PatientId, @ChairId, @Sequence, @Phase, @Status, @LocalStart, @TimeZone,
            @StartUtc, @EndUtc, @OccupiedUntilUtc, @InfusionMinutes, @ObservationMinutes, @TurnoverMinutes, NULL, 1, @Now, @Now
        FROM chairs WHERE id = @ChairId AND clinic_id = @ClinicId AND in_service = 1
        """;

    /// <summary>
    /// Books <paramref name="sessions"/> and claims their time; throws <see cref="ConflictException"/> when another
    /// booking holds it, or when a chair went out of service after the caller read it (the insert reads the chair
    /// in the same transaction, so the check and the booking cannot be split).
    /// </summary>
    public static async Task InsertAsync(Database db, DbConnection connection, DbTransaction transaction, Clinic clinic, IEnumerable<Session> sessions, Instant now)
    {
        await ReservationStore.ExpireAsync(connection, transaction, clinic.Id, now);
        foreach (var session in sessions)
        {
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
                Now = now,
            }, transaction) != 1)
            {
                throw new ConflictException($"The chair '{session.ChairId}' is out of service and takes no new bookings; choose another chair.");
            }

            await ClaimAsync(db, connection, transaction, clinic, session);
        }
    }

    private const string ClaimChairSqlite = """
        WITH slots(slot) AS (SELECT @FirstSlot UNION ALL SELECT slot + 1 FROM slots WHERE slot + 1 < @ChairFreeSlot)
        INSERT INTO chair_claims (chair_id, slot, session_id, reservation_id) SELECT @ChairId, slot, @SessionId, @ReservationId FROM slots
        """;

    private const string ClaimChairSqlServer = """
        WITH slots(slot) AS (SELECT CAST(@FirstSlot AS bigint) UNION ALL SELECT slot + 1 FROM slots WHERE slot + 1 < @ChairFreeSlot)
        INSERT INTO chair_claims (chair_id, slot, session_id, reservation_id) SELECT @ChairId, slot, @SessionId, @ReservationId FROM slots OPTION (MAXRECURSION 1000)
        """;

    private const string ClaimPatientSqlite = """
        WITH slots(slot) AS (SELECT @FirstSlot UNION ALL SELECT slot + 1 FROM slots WHERE slot + 1 < @PatientFreeSlot)
        INSERT INTO patient_claims (patient_id, slot, session_id, reservation_id) SELECT @PatientId, slot, @SessionId, @ReservationId FROM slots
        """;

    private const string ClaimPatientSqlServer = """
        WITH slots(slot) AS (SELECT CAST(@FirstSlot AS bigint) UNION ALL SELECT slot + 1 FROM slots WHERE slot + 1 < @PatientFreeSlot)
        INSERT INTO patient_claims (patient_id, slot, session_id, reservation_id) SELECT @PatientId, slot, @SessionId, @ReservationId FROM slots OPTION (MAXRECURSION 1000)
        """;

    // The lowest free place number in the slot, if any is left; none left inserts nothing.
    private const string ClaimStartSqlite = """
        WITH places(ordinal) AS (SELECT 1 UNION ALL SELECT ordinal + 1 FROM places WHERE ordinal < @MaxStarts)
        INSERT INTO start_claims (clinic_id, slot, ordinal, session_id, reservation_id)
        SELECT @ClinicId, @FirstSlot, MIN(ordinal), @SessionId, @ReservationId FROM places
        WHERE ordinal NOT IN (SELECT ordinal FROM start_claims WHERE clinic_id = @ClinicId AND slot = @FirstSlot)
        HAVING MIN(ordinal) IS NOT NULL
        """;

    private const string ClaimStartSqlServer = """
        WITH places(ordinal) AS (SELECT 1 UNION ALL SELECT ordinal + 1 FROM places WHERE ordinal < @MaxStarts)
        INSERT INTO start_claims (clinic_id, slot, ordinal, session_id, reservation_id)
        SELECT @ClinicId, @FirstSlot, MIN(ordinal), @SessionId, @ReservationId FROM places
        WHERE ordinal NOT IN (SELECT ordinal FROM start_claims WITH (UPDLOCK, HOLDLOCK) WHERE clinic_id = @ClinicId AND slot = @FirstSlot)
        HAVING MIN(ordinal) IS NOT NULL
        OPTION (MAXRECURSION 1000)
        """;

    private const string ClaimStartOverLimit = """
        INSERT INTO start_claims (clinic_id, slot, ordinal, session_id, reservation_id)
        SELECT @ClinicId, @FirstSlot, COALESCE(MAX(ordinal), 0) + 1, @SessionId, @ReservationId FROM start_claims WHERE clinic_id = @ClinicId AND slot = @FirstSlot
        """;

    /// <summary>
    /// Claims the chair time, patient time and start place of <paramref name="session"/> for the session itself, or,
    /// when <paramref name="reservation"/> is true, for the reservation of the same id that holds it. Throws
    /// <see cref="ConflictException"/> when another session or live reservation holds any of it.
    /// </summary>
    internal static async Task ClaimAsync(Database db, DbConnection connection, DbTransaction transaction, Clinic clinic, Session session, bool keepOverLimit = false, bool reservation = false)
    {
        var booking = session.ToBooking();
        var maxStartsPerSlot = clinic.MaxStartsPerSlot;
        var slot = ClaimTicks(clinic);
        var claim = new
        {
            SessionId = reservation ? (Guid?)null : session.Id,
            ReservationId = reservation ? session.Id : (Guid?)null,
            ClinicId = clinic.Id,
            session.ChairId,
            session.PatientId,
            FirstSlot = booking.Start.ToUnixTimeTicks() / slot,
            ChairFreeSlot = SlotAfter(booking.ChairFreeAt, slot),
            PatientFreeSlot = SlotAfter(booking.PatientLeavesAt, slot),
            MaxStarts = maxStartsPerSlot ?? 0,
        };
        try
        {
            await connection.ExecuteAsync(db.Pick(ClaimChairSqlite, ClaimChairSqlServer), claim, transaction);
            await connection.ExecuteAsync(db.Pick(ClaimPatientSqlite, ClaimPatientSqlServer), claim, transaction);
        }
        catch (DbException e) when (Database.IsUniqueViolation(e, out var table))
        {
            throw new ConflictException(table == "patient_claims"
                ? $"The patient already has a session or a reservation overlapping {session.Start.LocalDateTime:uuuu-MM-dd'T'HH:mm}."
                : $"The chair is taken for part of the time from {session.Start.LocalDateTime:uuuu-MM-dd'T'HH:mm}.");
        }

        if (maxStartsPerSlot is not null && await connection.ExecuteAsync(db.Pick(ClaimStartSqlite, ClaimStartSqlServer), claim, transaction) != 1 &&
            !(keepOverLimit && await connection.ExecuteAsync(ClaimStartOverLimit, claim, transaction) == 1))
        {
            throw new ConflictException($"The clinic's limit of {maxStartsPerSlot} infusion starts at {session.Start.LocalDateTime:uuuu-MM-dd'T'HH:mm} is reached.");
        }
    }

    private const string ReleaseChairClaims = "DELETE FROM chair_claims WHERE session_id = @Id";

    private const string ReleasePatientClaims = "DELETE FROM patient_claims WHERE session_id = @Id";

    private const string ReleaseStartClaims = "DELETE FROM start_claims WHERE session_id = @Id";

    /// <summary>Frees the chair and patient time a session held.</summary>
    public static async Task ReleaseAsync(DbConnection connection, DbTransaction transaction, Guid sessionId)
    {
        await connection.ExecuteAsync(ReleaseChairClaims, new { Id = sessionId }, transaction);
        await connection.ExecuteAsync(ReleasePatientClaims, new { Id = sessionId }, transaction);
        await connection.ExecuteAsync(ReleaseStartClaims, new { Id = sessionId }, transaction);
    }

    /// <summary>
    /// Claims again the time <paramref name="sessions"/> hold, by <paramref name="clinic"/>'s settings as they are now:
    /// a new slot length changes the size of a claimed slot, and a new starts-per-slot limit needs every start to hold
    /// a place. Throws <see cref="ConflictException"/> when the sessions collide under the new settings. The
    /// reservations live at <paramref name="now"/> are claimed again too, after the sessions.
    /// </summary>
    public static async Task ReclaimAsync(Database db, DbConnection connection, DbTransaction transaction, Clinic clinic, IReadOnlyList<Session> sessions, Instant now)
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
            await ClaimAsync(db, connection, transaction, clinic, session, keepOverLimit: true);
        }

        foreach (var reservation in held.OrderBy(r => r.Session.Start.ToInstant()))
        {
            await ClaimAsync(db, connection, transaction, clinic, reservation.Session, keepOverLimit: true, reservation: true);
        }
    }

    private const string UpdateTimes = """
        UPDATE sessions SET chair_id = @ChairId, local_start = @LocalStart, start_utc = @StartUtc, end_utc = @EndUtc,
            occupied_until_utc = @OccupiedUntilUtc, version = version + 1, updated_at = @Now
        WHERE id = @Id AND version = @Version
        """;

    /// <summary>
    /// Moves sessions: frees every old claim first, so sessions shifted together never collide with their own old times.
    /// <paramref name="versions"/> are the versions the caller read; a session changed since then throws <see cref="ConflictException"/>.
    /// </summary>
    public static async Task MoveAsync(
        Database db, DbConnection connection, DbTransaction transaction, Clinic clinic, IReadOnlyList<Session> moved, IReadOnlyDictionary<Guid, int> versions, Instant now)
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
                Version = versions[session.Id],
                Now = now,
            }, transaction);
            if (updated != 1)
            {
                throw new ConflictException("A session changed while it was being moved; fetch it and try again.");
            }

            await ClaimAsync(db, connection, transaction, clinic, session);
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

    private const string SelectColumns = """
        SELECT id, clinic_id, plan_id, patient_id, chair_id, sequence, phase, status, local_start, time_zone, start_utc,
            infusion_minutes, observation_minutes, turnover_minutes, cancel_reason, version
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
    /// sessions, and by the reservations still live at <paramref name="now"/>.
    /// </summary>
    public static async Task<ChairOccupancy> OccupancyAsync(DbConnection connection, Guid clinicId, LocalDate from, LocalDate to, Instant now, DbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<SessionRow>(SelectHeld, new { ClinicId = clinicId, From = from.AtMidnight(), To = to.PlusDays(1).AtMidnight(), HoldingChair }, transaction);
        var reserved = await ReservationStore.HeldOnDatesAsync(connection, clinicId, from, to, now, transaction);
        return new ChairOccupancy(rows.Select(r => r.ToSession().ToBooking()).Concat(reserved.Select(r => r.ToBooking())));
    }

    private const string SelectStillToCome = SelectColumns + """
         WHERE clinic_id = @ClinicId AND status IN @StillToCome AND end_utc > @Now AND (@ChairId IS NULL OR chair_id = @ChairId)
         ORDER BY start_utc, id
        """;

    /// <summary>
    /// The clinic's sessions still to come or under way (booked or checked in, ending after <paramref name="now"/>),
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

    private const string SelectDaySqlite = SelectColumns + """
         WHERE clinic_id = @ClinicId AND local_start >= @From AND local_start < @To
           AND (local_start > @AfterStart OR (local_start = @AfterStart AND id > @AfterId))
           AND (@ChairId IS NULL OR chair_id = @ChairId) AND (@Status IS NULL OR status = @Status)
         ORDER BY local_start, id LIMIT @Take
        """;

    private const string SelectDaySqlServer = """
        SELECT TOP (@Take) id, clinic_id, plan_id, patient_id, chair_id, sequence, phase, status, local_start, time_zone, start_utc,
            infusion_minutes, observation_minutes, turnover_minutes, cancel_reason, version
        FROM sessions
        WHERE clinic_id = @ClinicId AND local_start >= @From AND local_start < @To
          AND (local_start > @AfterStart OR (local_start = @AfterStart AND id > @AfterId))
          AND (@ChairId IS NULL OR chair_id = @ChairId) AND (@Status IS NULL OR status = @Status)
        ORDER BY local_start, id
        """;

    /// <summary>A scheduler's day: the clinic's sessions starting on one local date, by start time.</summary>
    public static async Task<IReadOnlyList<SessionRow>> OnDateAsync(Database db, DbConnection connection, Guid clinicId, LocalDate date, Guid? chairId, SessionStatus? status, LocalDateTime afterStart, Guid afterId, int take) =>
        (await connection.QueryAsync<SessionRow>(db.Pick(SelectDaySqlite, SelectDaySqlServer), new
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

    private const string SelectUpcomingSqlite = SelectColumns + """
         WHERE clinic_id = @ClinicId AND patient_id = @PatientId AND status IN @StillToCome AND end_utc > @Now
           AND (start_utc > @AfterStart OR (start_utc = @AfterStart AND id > @AfterId))
         ORDER BY start_utc, id LIMIT @Take
        """;

    private const string SelectUpcomingSqlServer = """
        SELECT TOP (@Take) id, clinic_id, plan_id, patient_id, chair_id, sequence, phase, status, local_start, time_zone, start_utc,
            infusion_minutes, observation_minutes, turnover_minutes, cancel_reason, version
        FROM sessions
        WHERE clinic_id = @ClinicId AND patient_id = @PatientId AND status IN @StillToCome AND end_utc > @Now
          AND (start_utc > @AfterStart OR (start_utc = @AfterStart AND id > @AfterId))
        ORDER BY start_utc, id
        """;

    /// <summary>A patient's sessions still to come (booked or checked in, ending after now), soonest first.</summary>
    public static async Task<IReadOnlyList<SessionRow>> UpcomingAsync(Database db, DbConnection connection, Guid clinicId, Guid patientId, Instant now, Instant afterStart, Guid afterId, int take) =>
        (await connection.QueryAsync<SessionRow>(db.Pick(SelectUpcomingSqlite, SelectUpcomingSqlServer), new
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

    public int Version { get; init; }

    public Session ToSession() => new(
        Id,
        PatientId,
        ChairId,
        StartUtc.InZone(DateTimeZoneProviders.Tzdb[TimeZone]),
        new SessionLength(InfusionMinutes, ObservationMinutes, TurnoverMinutes),
        PlanId,
        Sequence,
        Phase is null ? null : Enum.Parse<Phase>(Phase),
        Enum.Parse<SessionStatus>(Status));

    public SessionResponse ToResponse() => ToSession().ToResponse(Version, CancelReason);
}

internal static class SessionResponses
{
    /// <summary>The session as clients see it, at <paramref name="version"/>.</summary>
    public static SessionResponse ToResponse(this Session session, int version, string? cancelReason = null) => new(
        session.Id, session.PlanId, session.PatientId, session.ChairId, session.Sequence, session.Phase, session.Status,
        session.Start.ToOffsetDateTime(), session.End.ToOffsetDateTime(), session.Start.Zone.Id,
        session.Length.InfusionMinutes, session.Length.ObservationMinutes, version, cancelReason);
}
