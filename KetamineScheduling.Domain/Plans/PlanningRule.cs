using System.Collections.Immutable;
using KetamineScheduling.Domain.Calendar;
using NodaTime;

namespace KetamineScheduling.Domain.Plans;

/// <summary>Why a plan's dates could not be laid out on the clinic's calendar.</summary>
/// <param name="Sequence">The session that could not be planned.</param>
/// <param name="Phase">Its phase.</param>
/// <param name="TargetDate">The date the cadence asked for.</param>
/// <param name="OpenDate">The first open date on or after the target, when there is one within a year.</param>
/// <param name="Reason">A sentence for the clinic naming the session and the dates.</param>
public sealed record PlanningFailure(int Sequence, Phase Phase, LocalDate TargetDate, LocalDate? OpenDate, string Reason);

/// <summary>The planned dates of a plan, or why there are none.</summary>
public sealed record PlanningResult
{
    private PlanningResult(ImmutableArray<PlannedSession> sessions, PlanningFailure? failure)
    {
        Sessions = sessions;
        Failure = failure;
    }

    /// <summary>The planned sessions in order; empty when planning failed.</summary>
    public ImmutableArray<PlannedSession> Sessions { get; }

    /// <summary>Why planning failed; <see langword="null"/> when it succeeded.</summary>
    public PlanningFailure? Failure { get; }

    public bool Succeeded => Failure is null;

    internal static PlanningResult Planned(ImmutableArray<PlannedSession> sessions) => new(sessions, null);

    internal static PlanningResult Failed(PlanningFailure failure) => new([], failure);
}

/// <summary>
/// The default planning rule: how a protocol becomes dates on a clinic's calendar.
/// </summary>
/// <remarks>
/// <para>Session 1 is on the start date. Each next session's date is the previous session's date plus the
/// interval. A date on a closed day (no opening hours that weekday, or a closed date) moves forward to the next
/// open day, and the cadence continues from the date actually used.</para>
/// <para>If moving makes an induction gap longer than the largest interval allowed, or the induction longer than
/// its span, planning fails with a reason naming the session and the dates: the rule never quietly stretches a
/// gap. The first maintenance session is one maintenance interval after the last induction session, moved past
/// closed days the same way; a maintenance session may then slip by <see cref="MaintenanceCycle.SlackDays"/>.</para>
/// <para>Example: a clinic open Monday to Saturday and closed on Wednesday 2027-01-20, starting Monday
/// 2027-01-11 with six sessions every two days (largest interval 3), then two maintenance sessions every 28 days,
/// gives 11, 13, 15, 18, 21 and 23 January, 20 February and 20 March.</para>
/// </remarks>
public static class PlanningRule
{
    /// <summary>Lays the protocol out on the calendar from <paramref name="startDate"/>.</summary>
    public static PlanningResult Plan(ClinicCalendar calendar, Protocol protocol, LocalDate startDate)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(protocol);
        var induction = protocol.Induction;
        var sessions = ImmutableArray.CreateBuilder<PlannedSession>(protocol.TotalSessions);
        LocalDate first = default, previous = default;

        for (var sequence = 1; sequence <= induction.Sessions; sequence++)
        {
            var target = sequence == 1 ? startDate : previous.PlusDays(induction.IntervalDays);
            if (calendar.NextOpenDay(target) is not { } date)
            {
                return NoOpenDay(sequence, Phase.Induction, target);
            }

            if (sequence == 1)
            {
                first = date;
            }
            else if (InductionBreak(induction, sequence, target, date, previous, first) is { } failure)
            {
                return PlanningResult.Failed(failure);
            }

            var latest = sequence == 1
                ? date.PlusDays(induction.MaxIntervalDays - induction.IntervalDays)
                : Min(previous.PlusDays(induction.MaxIntervalDays), first.PlusDays(induction.MaxSpanDays));
            sessions.Add(new PlannedSession(sequence, Phase.Induction, date, new DateInterval(date, Max(date, latest))));
            previous = date;
        }

        var maintenance = PlanMaintenance(calendar, protocol.Maintenance, induction.Sessions + 1, previous);
        return maintenance.Failure is { } broken ? PlanningResult.Failed(broken) : PlanningResult.Planned([.. sessions, .. maintenance.Sessions]);
    }

    /// <summary>
    /// Lays a maintenance cycle out after <paramref name="previous"/>, the date of the session before it (the last
    /// induction session, as planned or as actually held), numbering its sessions from <paramref name="firstSequence"/>:
    /// each is one interval after the one before, moved past closed days, and may slip by
    /// <see cref="MaintenanceCycle.SlackDays"/>.
    /// </summary>
    public static PlanningResult PlanMaintenance(ClinicCalendar calendar, MaintenanceCycle maintenance, int firstSequence, LocalDate previous)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(maintenance);
        var sessions = ImmutableArray.CreateBuilder<PlannedSession>(maintenance.Sessions);
        for (var i = 0; i < maintenance.Sessions; i++)
        {
            var sequence = firstSequence + i;
            var interval = maintenance.IntervalDays[i];
            var target = previous.PlusDays(interval);
            if (calendar.NextOpenDay(target) is not { } date)
            {
                return NoOpenDay(sequence, Phase.Maintenance, target);
            }

            var latest = Max(date, target.PlusDays(MaintenanceCycle.SlackDays(interval)));
            sessions.Add(new PlannedSession(sequence, Phase.Maintenance, date, new DateInterval(date, latest)));
            previous = date;
        }

        return PlanningResult.Planned(sessions.MoveToImmutable());
    }

    /// <summary>
    /// Why an induction session on <paramref name="date"/> breaks the cycle, or <see langword="null"/> when it
    /// keeps the largest interval and the span. Shared by planning and by booking, which re-derives dates.
    /// </summary>
    public static PlanningFailure? InductionBreak(InductionCycle induction, int sequence, LocalDate target, LocalDate date, LocalDate previous, LocalDate first)
    {
        ArgumentNullException.ThrowIfNull(induction);
        var due = $"Induction session {sequence} was due on {target:uuuu-MM-dd}, but the clinic is closed until {date:uuuu-MM-dd}";
        var gap = Period.DaysBetween(previous, date);
        if (gap > induction.MaxIntervalDays)
        {
            var landed = date == target ? $"Induction session {sequence} on {date:uuuu-MM-dd} is" : $"{due}:";
            return new PlanningFailure(sequence, Phase.Induction, target, date,
                $"{landed} {Days(gap)} after session {sequence - 1} on {previous:uuuu-MM-dd}, more than the largest interval of {Days(induction.MaxIntervalDays)}.");
        }

        var span = Period.DaysBetween(first, date);
        if (span > induction.MaxSpanDays)
        {
            var landed = date == target ? $"Induction session {sequence} on {date:uuuu-MM-dd}" : $"{due}, and a session then";
            return new PlanningFailure(sequence, Phase.Induction, target, date,
                $"{landed} would end the induction {Days(span)} after it began on {first:uuuu-MM-dd}, longer than its span of {Days(induction.MaxSpanDays)}.");
        }

        return null;
    }

    private static PlanningResult NoOpenDay(int sequence, Phase phase, LocalDate target) =>
        PlanningResult.Failed(new PlanningFailure(sequence, phase, target, null,
            $"{phase} session {sequence} was due on {target:uuuu-MM-dd}, but the clinic has no open day within {ClinicCalendar.SearchHorizonDays} days of it."));

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";

    private static LocalDate Min(LocalDate a, LocalDate b) => a < b ? a : b;

    private static LocalDate Max(LocalDate a, LocalDate b) => a > b ? a : b;
}
