using System.Collections.Immutable;
using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Plans;
using NodaTime;

namespace KetamineScheduling.Domain.Sessions;

/// <summary>The sessions a move changes, or the rule it would break.</summary>
/// <param name="Moved">The moved session first, then any following sessions shifted with it.</param>
/// <param name="Refused">The session that cannot go where asked and why; <see langword="null"/> when the move is allowed.</param>
public sealed record RescheduleResult(ImmutableArray<Session> Moved, (Session Session, Obstacle Obstacle, string Reason)? Refused)
{
    public bool Succeeded => Refused is null;
}

/// <summary>
/// Moves booked sessions and watches an induction for interruptions.
/// </summary>
/// <remarks>
/// A move re-checks every rule a booking keeps (<see cref="SessionRules.Check"/>), keeps a plan's sessions in
/// order, and re-checks the planning rule (<see cref="PlanningRule"/>): it refuses to stretch an induction gap past
/// the largest interval or the induction past its span, and a maintenance session later after the one before it
/// than its interval and slack (<see cref="MaintenanceCycle.SlackDays"/>) allow.
/// Cancellations and no-shows cannot be refused, so they instead mark the plan's induction as interrupted
/// (<see cref="IsInductionInterrupted"/>).
/// </remarks>
public sealed class Rescheduling
{
    private readonly IClock clock;

    public Rescheduling(IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        this.clock = clock;
    }

    /// <summary>
    /// Moves <paramref name="session"/> to <paramref name="start"/> (local time, by the calendar's local-time rule)
    /// and, when given, another chair. With <paramref name="shiftFollowing"/>, every later booked session of the
    /// plan, induction and maintenance alike, moves by the same number of days, keeping its local time and chair: the
    /// whole course moves, so every interval after the moved session stays as it was planned. A session the move
    /// leaves where it was is not among the moved.
    /// </summary>
    /// <param name="calendar">The clinic's calendar.</param>
    /// <param name="protocol">The plan's protocol, for the induction rules; <see langword="null"/> outside a plan.</param>
    /// <param name="session">The session to move.</param>
    /// <param name="start">Its new local start.</param>
    /// <param name="chairId">Its new chair, or <see langword="null"/> to keep the chair.</param>
    /// <param name="shiftFollowing">Whether to shift every following booked session of the plan.</param>
    /// <param name="planSessions">Every session of the plan, any status; empty outside a plan.</param>
    /// <param name="occupancy">What is booked around the dates involved, the moving sessions included.</param>
    public RescheduleResult Move(
        ClinicCalendar calendar,
        Protocol? protocol,
        Session session,
        LocalDateTime start,
        Guid? chairId,
        bool shiftFollowing,
        IReadOnlyList<Session> planSessions,
        ChairOccupancy occupancy)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(planSessions);
        ArgumentNullException.ThrowIfNull(occupancy);
        var now = clock.GetCurrentInstant();
        var days = Period.DaysBetween(session.Start.Date, start.Date);
        var moved = new List<Session> { session.MovedTo(calendar, start, chairId ?? session.ChairId) };
        if (shiftFollowing && session.Sequence is { } sequence && days != 0)
        {
            moved.AddRange(planSessions
                .Where(s => s.Sequence > sequence && s.Status == SessionStatus.Booked)
                .OrderBy(s => s.Sequence)
                .Select(s => s.MovedTo(calendar, s.Start.LocalDateTime.PlusDays(days), s.ChairId)));
        }

        var originals = moved.Select(m => m.Id).ToHashSet();
        var wasOn = new Dictionary<Guid, LocalDate>();
        occupancy = occupancy.Without(originals);
        var admittedMoves = new List<Session>(moved.Count);
        foreach (var candidate in moved)
        {
            var original = candidate.Id == session.Id ? session : planSessions.First(s => s.Id == candidate.Id);
            if (original.Status != SessionStatus.Booked)
            {
                return Refuse(candidate, Obstacle.NotMovable);
            }

            wasOn[original.Id] = original.Start.Date;

            var (admitted, obstacle) = SessionRules.Admit(calendar, occupancy, candidate, now);
            if (admitted is null)
            {
                return Refuse(candidate, obstacle!.Value);
            }

            occupancy = occupancy.With(admitted.ToBooking());
            admittedMoves.Add(admitted);
        }

        var after = planSessions.Where(s => !originals.Contains(s.Id)).Concat(moved).ToList();
        if (OutOfOrder(after, originals) is { } misplaced)
        {
            return Refuse(misplaced, Obstacle.OutOfOrder);
        }

        if (protocol is not null && InductionStretched(protocol.Induction, after, wasOn) is { } stretched)
        {
            return Refuse(stretched, Obstacle.InductionBroken);
        }

        if (protocol is not null && MaintenanceLate(protocol, after, wasOn) is { } late)
        {
            return Refuse(late, Obstacle.MaintenanceLate);
        }

        return new RescheduleResult([.. admittedMoves], null);

        static RescheduleResult Refuse(Session at, Obstacle obstacle) => new([], (at, obstacle,
            $"Session {at.Sequence?.ToString() ?? at.Id.ToString()} cannot start at {at.Start.LocalDateTime:uuuu-MM-dd'T'HH:mm}: {obstacle.Describe()}."));
    }

    /// <summary>
    /// Whether the sessions that still hold a chair leave an induction gap longer than the largest interval, or
    /// stretch the induction past its span: what a no-show or a cancellation in the middle of an induction does.
    /// </summary>
    public static bool IsInductionInterrupted(InductionCycle induction, IEnumerable<Session> planSessions)
    {
        ArgumentNullException.ThrowIfNull(induction);
        var held = HeldInduction(planSessions);
        return Enumerable.Range(1, Math.Max(0, held.Count - 1)).Any(i => Breaks(induction, held, i));
    }

    private static Session? OutOfOrder(List<Session> sessions, HashSet<Guid> moved)
    {
        var held = sessions.Where(s => s.Sequence is not null && s.Status.HoldsChair()).OrderBy(s => s.Sequence).ToList();
        for (var i = 1; i < held.Count; i++)
        {
            if (held[i].Start.Date <= held[i - 1].Start.Date)
            {
                return moved.Contains(held[i].Id) ? held[i] : held[i - 1];
            }
        }

        return null;
    }

    /// <summary>
    /// The moved session that lengthens an induction gap past the largest interval, or the induction past its span;
    /// <see langword="null"/> when there is none. A gap a no-show already left too long may stay as it is, but not
    /// grow. <paramref name="wasOn"/> holds the dates of the moved sessions before the move.
    /// </summary>
    private static Session? InductionStretched(InductionCycle induction, List<Session> sessions, Dictionary<Guid, LocalDate> wasOn)
    {
        var held = HeldInduction(sessions);
        for (var i = 1; i < held.Count; i++)
        {
            if (Lengthens(held[i - 1], held[i], induction.MaxIntervalDays))
            {
                return wasOn.ContainsKey(held[i].Id) ? held[i] : held[i - 1];
            }

            if (Lengthens(held[0], held[i], induction.MaxSpanDays))
            {
                return wasOn.ContainsKey(held[i].Id) ? held[i] : held[0];
            }
        }

        return null;

        bool Lengthens(Session from, Session to, int mostDays)
        {
            var days = Period.DaysBetween(from.Start.Date, to.Start.Date);
            return days > mostDays && days > Period.DaysBetween(DateBefore(from), DateBefore(to));
        }

        LocalDate DateBefore(Session session) => wasOn.TryGetValue(session.Id, out var date) ? date : session.Start.Date;
    }

    /// <summary>
    /// The moved maintenance session that comes later after the session before it than its interval and slack
    /// allow, where it did not before; <see langword="null"/> when there is none. Like a planned date, a maintenance
    /// session may slip by <see cref="MaintenanceCycle.SlackDays"/>, not more.
    /// </summary>
    private static Session? MaintenanceLate(Protocol protocol, List<Session> sessions, Dictionary<Guid, LocalDate> wasOn)
    {
        var held = sessions.Where(s => s.Sequence is not null && s.Status.HoldsChair()).OrderBy(s => s.Sequence).ToList();
        for (var i = 1; i < held.Count; i++)
        {
            var (before, session) = (held[i - 1], held[i]);
            var index = session.Sequence!.Value - protocol.Induction.Sessions - 1;
            if (session.Phase != Phase.Maintenance || index < 0 || index >= protocol.Maintenance.Sessions ||
                !(wasOn.ContainsKey(session.Id) || wasOn.ContainsKey(before.Id)))
            {
                continue;
            }

            var interval = protocol.Maintenance.IntervalDays[index];
            var most = interval + MaintenanceCycle.SlackDays(interval);
            var gap = Period.DaysBetween(before.Start.Date, session.Start.Date);
            var gapBefore = Period.DaysBetween(DateBefore(before), DateBefore(session));
            if (gap > most && gap > gapBefore)
            {
                return wasOn.ContainsKey(session.Id) ? session : before;
            }
        }

        return null;

        LocalDate DateBefore(Session session) => wasOn.TryGetValue(session.Id, out var date) ? date : session.Start.Date;
    }

    private static List<Session> HeldInduction(IEnumerable<Session> sessions) =>
        [.. sessions.Where(s => s.Phase == Phase.Induction && s.Status.HoldsChair()).OrderBy(s => s.Sequence)];

    private static bool Breaks(InductionCycle induction, List<Session> held, int i) =>
        Period.DaysBetween(held[i - 1].Start.Date, held[i].Start.Date) > induction.MaxIntervalDays ||
        Period.DaysBetween(held[0].Start.Date, held[i].Start.Date) > induction.MaxSpanDays;
}
