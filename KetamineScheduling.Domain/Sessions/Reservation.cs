using NodaTime;

namespace KetamineScheduling.Domain.Sessions;

/// <summary>Where a reservation stands.</summary>
public enum ReservationStatus
{
    /// <summary>Holding its chair and patient time until it expires.</summary>
    Held,

    /// <summary>Booked as the session of the same id; it holds nothing of its own any more.</summary>
    Converted,

    /// <summary>Given up before it expired; the time is free again.</summary>
    Released,

    /// <summary>Its time ran out before it was booked; the time is free again.</summary>
    Expired,
}

/// <summary>
/// A short hold on a chair and a patient's time, while someone decides: the session it would become, held until
/// <see cref="ExpiresAt"/> and not a moment longer.
/// </summary>
/// <remarks>
/// A reservation holds its time exactly as <see cref="Session"/> would: the same chair time, the same patient time,
/// the same place among the slot's starts. Expiry is a matter of the clock, not of a stored status: a reservation
/// still <see cref="ReservationStatus.Held"/> in the store stops holding at <see cref="ExpiresAt"/> (ends excluded, as
/// for bookings), whether or not anything has noticed yet. See <see cref="HoldsAt"/> and <see cref="StatusAt"/>.
/// </remarks>
public sealed record Reservation
{
    /// <summary>The shortest hold, in seconds.</summary>
    public const int MinSeconds = 60;

    /// <summary>The longest hold, in seconds: half an hour.</summary>
    public const int MaxSeconds = 1800;

    /// <summary>The hold when none is asked for: five minutes.</summary>
    public const int DefaultSeconds = 300;

    public Reservation(Session session, Instant createdAt, Instant expiresAt, ReservationStatus status = ReservationStatus.Held)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiresAt, createdAt);
        Session = session;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
        Status = status;
    }

    /// <summary>
    /// A new hold made at <paramref name="now"/> for <paramref name="seconds"/> seconds. It expires on a whole
    /// second, the last whole second at or before <paramref name="now"/> plus the hold, so clients see exactly when.
    /// </summary>
    public static Reservation Hold(Session session, Instant now, int seconds = DefaultSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, MinSeconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, MaxSeconds);
        return new(session, now, Instant.FromUnixTimeSeconds((now + Duration.FromSeconds(seconds)).ToUnixTimeSeconds()));
    }

    /// <summary>
    /// The session this reservation would book, with the reservation's id: booking it keeps the id, the chair,
    /// the start and the length.
    /// </summary>
    public Session Session { get; }

    public Guid Id => Session.Id;

    /// <summary>When it was made.</summary>
    public Instant CreatedAt { get; }

    /// <summary>The first instant it no longer holds its time.</summary>
    public Instant ExpiresAt { get; }

    /// <summary>The status as stored; <see cref="StatusAt"/> is what it is at a given moment.</summary>
    public ReservationStatus Status { get; init; }

    /// <summary>Whether it holds its chair and patient time at <paramref name="now"/>: held, and not yet expired.</summary>
    public bool HoldsAt(Instant now) => Status == ReservationStatus.Held && now < ExpiresAt;

    /// <summary>Its status at <paramref name="now"/>: a held reservation whose time has run out is expired.</summary>
    public ReservationStatus StatusAt(Instant now) =>
        Status == ReservationStatus.Held && now >= ExpiresAt ? ReservationStatus.Expired : Status;

    /// <summary>The time it holds, as the occupancy index sees it.</summary>
    public Booking ToBooking() => Session.ToBooking();
}
