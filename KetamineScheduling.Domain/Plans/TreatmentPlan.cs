using System.Collections.Immutable;
using NodaTime;

namespace KetamineScheduling.Domain.Plans;

/// <summary>
/// A patient's course of ketamine infusions: the protocol it follows, when it starts, the local time the patient
/// prefers, its planned sessions and where it stands.
/// </summary>
public sealed record TreatmentPlan
{
    /// <summary>The most sessions one plan holds: a full induction cycle and a full maintenance cycle.</summary>
    public const int MaxSessions = InductionCycle.MaxSessions + MaintenanceCycle.MaxSessions;

    public TreatmentPlan(
        Guid id,
        Guid patientId,
        Protocol protocol,
        LocalDate startDate,
        LocalTime preferredStartTime,
        ImmutableArray<PlannedSession> sessions,
        PlanStatus status = PlanStatus.Draft,
        bool inductionInterrupted = false)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (sessions.IsDefault || sessions.Length != protocol.TotalSessions)
        {
            throw new ArgumentException($"A plan for this protocol holds {protocol.TotalSessions} sessions.", nameof(sessions));
        }

        Id = id;
        PatientId = patientId;
        Protocol = protocol;
        StartDate = startDate;
        PreferredStartTime = preferredStartTime;
        Sessions = sessions;
        Status = status;
        InductionInterrupted = inductionInterrupted;
    }

    public Guid Id { get; }

    public Guid PatientId { get; }

    public Protocol Protocol { get; }

    /// <summary>The local date the plan begins; its first session is on the first open day from here.</summary>
    public LocalDate StartDate { get; }

    /// <summary>The local time of day the patient would like each session to start, in the clinic's zone.</summary>
    public LocalTime PreferredStartTime { get; }

    /// <summary>The planned sessions, in sequence order.</summary>
    public ImmutableArray<PlannedSession> Sessions { get; init; }

    public PlanStatus Status { get; init; }

    /// <summary>
    /// Whether a missed, cancelled or moved session left an induction gap longer than the largest interval the
    /// protocol allows; the clinic decides whether to restart the induction.
    /// </summary>
    public bool InductionInterrupted { get; init; }

    /// <summary>
    /// The dates the plan's course runs over: from its first planned session to the last day its last session may
    /// be held (the end of that session's window), both included.
    /// </summary>
    public DateInterval Course => new(Sessions[0].Date, Sessions[^1].Window.End < Sessions[0].Date ? Sessions[0].Date : Sessions[^1].Window.End);

    /// <summary>
    /// Whether this plan may not be under way beside <paramref name="other"/>: both are the same patient's, and their
    /// courses share a day. A patient follows one course of infusions at a time; a plan that is completed,
    /// discontinued or on hold does not stand in the way of another (see <see cref="PlanStatus"/>).
    /// </summary>
    public bool Overlaps(TreatmentPlan other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Id != Id && other.PatientId == PatientId && Course.Start <= other.Course.End && other.Course.Start <= Course.End;
    }

    /// <summary>The plan in <paramref name="status"/>, or <see langword="null"/> when the move is not legal.</summary>
    public TreatmentPlan? MoveTo(PlanStatus status) =>
        PlanStatusTransitions.CanMove(Status, status) ? this with { Status = status } : null;
}
