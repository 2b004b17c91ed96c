using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Reservations;

/// <summary>
/// Reservations, and the claims that make a live one block its time in the database exactly as a session does.
/// </summary>
/// <remarks>
/// A reservation claims its chair time, its patient's time and its start place in the session claim tables, under the
/// same keys (see <see cref="SessionStore"/>), with the claim's holder set to the reservation instead of a session.
/// Nothing wakes up when one expires. Instead every transaction that claims time first runs <see cref="ExpireAsync"/>
/// for its clinic: it marks the reservations expired at that instant, drops their claims and appends
/// <c>reservation.expired</c>. So an expired reservation never blocks a claim, on any instance, from the second it
/// expires; and reads that must not count it (availability) select only the reservations live at their own instant.
/// </remarks>
internal static class ReservationStore
{
    private static readonly string Held = nameof(ReservationStatus.Held);

    private const string InsertReservation = """
        INSERT INTO reservations (id, clinic_id, patient_id, chair_id, plan_id, status, local_start, time_zone, start_utc,
            infusion_minutes, observation_minutes, turnover_minutes, nurse_id, expires_at, version, created_at, updated_at)
        SELECT @Id, @ClinicId, @PatientId, @ChairId, @PlanId, @Status, @LocalStart, @TimeZone, @StartUtc,
            @InfusionMinutes, @ObservationMinutes, @TurnoverMinutes, @NurseId, @ExpiresAt, 1, @CreatedAt, @CreatedAt
        FROM chairs WHERE id = @ChairId AND clinic_id = @ClinicId AND in_service = 1
        """;

    /// <summary>
    /// Stores <paramref name="reservation"/> at version 1 and claims its time, after clearing the claims of the
    /// clinic's reservations expired by its <see cref="Reservation.CreatedAt"/>. Throws <see cref="ConflictException"/>
    /// when a session or a live reservation holds any of the time, or when the chair is out of service. Returns the
    /// reservation as stored: with its nurse, where the clinic counts nurses.
    /// </summary>
    public static async Task<Reservation> InsertAsync(Database db, DbConnection connection, DbTransaction transaction, Clinic clinic, Reservation reservation)
    {
        await ExpireAsync(connection, transaction, clinic.Id, reservation.CreatedAt);
        var session = await SessionStore.StaffAsync(connection, transaction, clinic, reservation.Session, reservation.CreatedAt);
        if (await connection.ExecuteAsync(InsertReservation, new
        {
            session.Id,
            ClinicId = clinic.Id,
            session.PatientId,
            session.ChairId,
            session.PlanId,
            Status = reservation.Status.ToString(),
            LocalStart = session.Start.LocalDateTime,
            TimeZone = session.Start.Zone.Id,
            StartUtc = session.Start.ToInstant(),
            session.Length.InfusionMinutes,
            session.Length.ObservationMinutes,
            session.Length.TurnoverMinutes,
            session.NurseId,
            reservation.ExpiresAt,
            reservation.CreatedAt,
        }, transaction) != 1)
        {
            throw new ConflictException($"The chair '{session.ChairId}' is out of service and takes no new bookings; choose another chair.");
        }

        await SessionStore.ClaimAsync(connection, transaction, clinic, session, reservation: true);
        return new Reservation(session, reservation.CreatedAt, reservation.ExpiresAt, reservation.Status);
    }

    private const string SelectColumns = """
        SELECT id, clinic_id, patient_id, chair_id, plan_id, status, local_start, time_zone, start_utc,
            infusion_minutes, observation_minutes, turnover_minutes, nurse_id, expires_at, version, created_at
        FROM reservations
        """;

    private const string SelectReservation = SelectColumns + " WHERE clinic_id = @ClinicId AND id = @Id";

    /// <summary>The reservation as stored; its status may still say held after it has expired (see <see cref="Reservation.StatusAt"/>).</summary>
    public static async Task<ReservationRow?> FindAsync(DbConnection connection, Guid clinicId, Guid id, DbTransaction? transaction = null) =>
        await connection.QuerySingleOrDefaultAsync<ReservationRow>(SelectReservation, new { ClinicId = clinicId, Id = id }, transaction);

    private const string SelectExpired = SelectColumns + " WHERE clinic_id = @ClinicId AND status = @Held AND expires_at <= @Now";

    private const string EndReservation = """
        UPDATE reservations SET status = @Status, version = version + 1, updated_at = @Now
        WHERE id = @Id AND status = @Held AND (@Live = 0 OR expires_at > @Now)
        """;

    /// <summary>
    /// Marks the clinic's reservations whose time has run out at <paramref name="now"/> expired, frees what they
    /// claimed and appends <c>reservation.expired</c> for each; returns them, expired, so that what waits for freed
    /// time (the waitlist) can offer it. Runs first in every transaction that claims time in the clinic.
    /// </summary>
    public static async Task<IReadOnlyList<ReservationRow>> ExpireAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Instant now)
    {
        var expired = new List<ReservationRow>();
        foreach (var row in await connection.QueryAsync<ReservationRow>(SelectExpired, new { ClinicId = clinicId, Held, Now = now }, transaction))
        {
            // Another transaction may have ended it since the select; only the one that changes the row reports it.
            if (await EndAsync(connection, transaction, row.Id, ReservationStatus.Expired, now, live: false))
            {
                expired.Add(row with { Status = nameof(ReservationStatus.Expired), Version = row.Version + 1 });
            }
        }

        if (expired.Count > 0)
        {
            await ChangeFeed.AppendUnattributedAsync(connection, transaction, expired.Select(r => new Change(clinicId, "reservation.expired", "reservation", r.Id, r.PatientId, r.Version, now)));
        }

        return expired;
    }

    /// <summary>
    /// Ends a held reservation: <see cref="ReservationStatus.Converted"/> (booked as the session of its id),
    /// <see cref="ReservationStatus.Released"/> or <see cref="ReservationStatus.Expired"/>, and frees what it claimed.
    /// False when it was no longer held, or, with <paramref name="live"/>, when it had expired by <paramref name="now"/>.
    /// </summary>
    public static async Task<bool> EndAsync(DbConnection connection, DbTransaction transaction, Guid reservationId, ReservationStatus status, Instant now, bool live = true)
    {
        if (await connection.ExecuteAsync(EndReservation, new { Id = reservationId, Status = status.ToString(), Held, Now = now, Live = live ? 1 : 0 }, transaction) != 1)
        {
            return false;
        }

        await ReleaseClaimsAsync(connection, transaction, reservationId);
        return true;
    }

    /// <summary>Frees everything a reservation claimed.</summary>
    public static Task ReleaseClaimsAsync(DbConnection connection, DbTransaction transaction, Guid reservationId) =>
        SessionStore.ReleaseReservationAsync(connection, transaction, reservationId);

    private const string SelectHeld = SelectColumns + " WHERE clinic_id = @ClinicId AND status = @Held AND expires_at > @Now";

    /// <summary>The clinic's reservations live at <paramref name="now"/>.</summary>
    public static async Task<IReadOnlyList<Reservation>> HeldAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Instant now) =>
        (await connection.QueryAsync<ReservationRow>(SelectHeld, new { ClinicId = clinicId, Held, Now = now }, transaction)).Select(r => r.ToReservation()).ToList();

    private const string SelectHeldOnDates = SelectHeld + " AND local_start >= @From AND local_start < @To";

    /// <summary>The reservations live at <paramref name="now"/> that start on local dates <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public static async Task<IReadOnlyList<Reservation>> HeldOnDatesAsync(DbConnection connection, Guid clinicId, LocalDate from, LocalDate to, Instant now, DbTransaction? transaction = null) =>
        (await connection.QueryAsync<ReservationRow>(SelectHeldOnDates, new { ClinicId = clinicId, Held, Now = now, From = from.AtMidnight(), To = to.PlusDays(1).AtMidnight() }, transaction))
            .Select(r => r.ToReservation()).ToList();
}

/// <summary>A reservation as stored.</summary>
internal sealed record ReservationRow
{
    public Guid Id { get; init; }

    public Guid ClinicId { get; init; }

    public Guid PatientId { get; init; }

    public Guid ChairId { get; init; }

    public Guid? PlanId { get; init; }

    public string Status { get; init; } = "";

    public LocalDateTime LocalStart { get; init; }

    public string TimeZone { get; init; } = "";

    /// <summary>The start as an instant: the truth when a local time happens twice.</summary>
    public Instant StartUtc { get; init; }

    public int InfusionMinutes { get; init; }

    public int ObservationMinutes { get; init; }

    public int TurnoverMinutes { get; init; }

    public Guid? NurseId { get; init; }

    public Instant ExpiresAt { get; init; }

    public int Version { get; init; }

    public Instant CreatedAt { get; init; }

    public Reservation ToReservation() => new(
        new Session(
            Id,
            PatientId,
            ChairId,
            StartUtc.InZone(DateTimeZoneProviders.Tzdb[TimeZone]),
            new SessionLength(InfusionMinutes, ObservationMinutes, TurnoverMinutes),
            PlanId)
        {
            NurseId = NurseId,
        },
        CreatedAt,
        ExpiresAt,
        Enum.Parse<ReservationStatus>(Status));
}
