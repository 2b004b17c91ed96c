using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Plans;
using NodaTime;

namespace KetamineScheduling.Domain.Sessions;

/// <summary>
/// A supervised infusion booked into a chair: the infusion, then observation while the chair stays occupied,
/// then cleaning.
/// </summary>
public sealed record Session
{
    public Session(
        Guid id,
        Guid patientId,
        Guid chairId,
        ZonedDateTime start,
        SessionLength length,
        Guid? planId = null,
        int? sequence = null,
        Phase? phase = null,
        SessionStatus status = SessionStatus.Booked)
    {
        ArgumentNullException.ThrowIfNull(length);
        Id = id;
        PatientId = patientId;
        ChairId = chairId;
        Start = start;
        Length = length;
        PlanId = planId;
        Sequence = sequence;
        Phase = phase;
        Status = status;
    }

    public Guid Id { get; }

    public Guid PatientId { get; }

    public Guid ChairId { get; init; }

    /// <summary>When the infusion starts, in the clinic's zone; <see cref="ZonedDateTime.LocalDateTime"/> is the clinic's local start.</summary>
    public ZonedDateTime Start { get; init; }

    public SessionLength Length { get; }

    /// <summary>The plan this session belongs to; <see langword="null"/> for an ad-hoc visit or a booster.</summary>
    public Guid? PlanId { get; }

    /// <summary>The session's place in its plan, 1 first; <see langword="null"/> outside a plan.</summary>
    public int? Sequence { get; }

    public Phase? Phase { get; }

    public SessionStatus Status { get; init; }

    /// <summary>The nurse who sets up and watches this session; <see langword="null"/> where the clinic does not count nurses.</summary>
    public Guid? NurseId { get; init; }

    /// <summary>When the patient leaves the chair (infusion plus observation), in the clinic's zone.</summary>
    public ZonedDateTime End => Start.Plus(Length.WithPatient);

    /// <summary>The instant the chair is clean and free again.</summary>
    public Instant ChairFreeAt => Start.ToInstant() + Length.ChairTime;

    /// <summary>
    /// The session in <paramref name="status"/>, or <see langword="null"/> when the move is not legal in a clinic
    /// that does or does not require readiness (see <see cref="SessionStatusTransitions.CanMove"/>).
    /// </summary>
    public Session? MoveTo(SessionStatus status, bool readinessRequired = true) =>
        SessionStatusTransitions.CanMove(Status, status, readinessRequired) ? this with { Status = status } : null;

    /// <summary>The session moved to a new local start (by the calendar's local-time rule) and chair.</summary>
    public Session MovedTo(ClinicCalendar calendar, LocalDateTime start, Guid chairId)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return this with { Start = calendar.AtClinicTime(start), ChairId = chairId };
    }

    /// <summary>The time this session holds, as the occupancy index sees it.</summary>
    public Booking ToBooking() => new(Id, ChairId, PatientId, Start.Date, Start.ToInstant(), End.ToInstant(), ChairFreeAt, NurseId);
}
