using System.Collections.Immutable;
using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Plans;
using NodaTime;

namespace KetamineScheduling.Domain.Sessions;

/// <summary>A chair and local start where a session could be held instead.</summary>
public sealed record Alternative(Guid ChairId, LocalDateTime Start);

/// <summary>A plan session that found no chair inside its window.</summary>
/// <param name="Sequence">The session's place in the plan.</param>
/// <param name="Phase">Its phase.</param>
/// <param name="Window">The dates that were searched, both included, re-derived from the sessions placed before it.</param>
/// <param name="Obstacle">What stood in the way most often.</param>
/// <param name="Reason">A sentence for the clinic.</param>
/// <param name="Alternatives">The nearest starts after the window where the session would fit.</param>
public sealed record UnplacedSession(int Sequence, Phase Phase, DateInterval Window, Obstacle Obstacle, string Reason, ImmutableArray<Alternative> Alternatives);

/// <summary>Every session of a plan booked into a chair, or each session that could not be.</summary>
public sealed record PlacementResult(ImmutableArray<Session> Sessions, ImmutableArray<UnplacedSession> Unplaced)
{
    /// <summary>Whether every session was placed; placement is all or nothing.</summary>
    public bool Succeeded => Unplaced.IsEmpty;
}

/// <summary>
/// Books a treatment plan's sessions into chairs, and answers which starts are free.
/// </summary>
/// <remarks>
/// <para>Each session goes at the plan's preferred local time if a chair is free, otherwise at the nearest start
/// that day (the earlier on a tie), otherwise on a later day inside its window. The following dates are
/// re-derived from the date actually used, by the planning rule. The chair the previous session used is tried
/// first at every time, so a series keeps its chair when it can.</para>
/// <para>Where the clinic counts nurses, a start whose nurses are full or setting up is passed over like a taken
/// chair, so sessions spread over the nurses on shift and their set-ups are staggered rather than refused; each
/// placed session names its nurse (see <see cref="Nursing.NurseRoster.Choose"/>).</para>
/// <para>Every session keeps <see cref="SessionRules.Check"/>. Placement is all or nothing: the result either
/// holds every session, or lists each one that could not be placed, why, and the nearest alternatives.</para>
/// </remarks>
public sealed class Placement
{
    /// <summary>How many days after a window the search for alternatives looks.</summary>
    public const int AlternativeHorizonDays = 14;

    /// <summary>
    /// How many days past a plan's last planned window its sessions may still be placed: each session re-derives its
    /// dates from the one before as actually placed, so a series pushed later by full days carries its later sessions
    /// past their planned windows.
    /// </summary>
    public const int DriftAllowanceDays = 60;

    private const int AlternativesPerSession = 3;

    /// <summary>
    /// The local dates whose bookings placing <paramref name="plan"/> may run into, alternatives included: what the
    /// occupancy given to <see cref="Place"/> must cover. Bookings outside it are not seen; the database would still
    /// refuse an overlap with one, so a narrower range costs a refused booking, never a double one.
    /// </summary>
    public static DateInterval DatesConsulted(TreatmentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new DateInterval(plan.Sessions[0].Date, plan.Sessions[^1].Window.End.PlusDays(AlternativeHorizonDays + DriftAllowanceDays));
    }

    private readonly IClock clock;

    public Placement(IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        this.clock = clock;
    }

    /// <summary>Places every session of <paramref name="plan"/>.</summary>
    /// <param name="calendar">The clinic's calendar.</param>
    /// <param name="plan">The plan; its planned dates are the targets.</param>
    /// <param name="chairs">The clinic's chairs, in the order they are tried.</param>
    /// <param name="occupancy">What is already booked, at least over the plan's dates.</param>
    /// <param name="length">The length of each session.</param>
    /// <param name="newSessionId">Gives each placed session its id.</param>
    public PlacementResult Place(
        ClinicCalendar calendar,
        TreatmentPlan plan,
        IReadOnlyList<Chair> chairs,
        ChairOccupancy occupancy,
        SessionLength length,
        Func<Guid> newSessionId) => PlaceFrom(calendar, plan, 1, default, chairs, occupancy, length, newSessionId);

    /// <summary>
    /// Places the sessions of <paramref name="plan"/> from <paramref name="fromSequence"/> on, all maintenance
    /// sessions planned after the others were booked: each re-derives its dates from the one before, the first from
    /// <paramref name="previousDate"/>, the date the session before it was held or is booked.
    /// </summary>
    public PlacementResult PlaceRest(
        ClinicCalendar calendar,
        TreatmentPlan plan,
        int fromSequence,
        LocalDate previousDate,
        IReadOnlyList<Chair> chairs,
        ChairOccupancy occupancy,
        SessionLength length,
        Func<Guid> newSessionId)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(fromSequence, plan.Protocol.Induction.Sessions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fromSequence, plan.Sessions.Length);
        return PlaceFrom(calendar, plan, fromSequence, previousDate, chairs, occupancy, length, newSessionId);
    }

    private PlacementResult PlaceFrom(
        ClinicCalendar calendar,
        TreatmentPlan plan,
        int fromSequence,
        LocalDate previous,
        IReadOnlyList<Chair> chairs,
        ChairOccupancy occupancy,
        SessionLength length,
        Func<Guid> newSessionId)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(chairs);
        ArgumentNullException.ThrowIfNull(newSessionId);
        var now = clock.GetCurrentInstant();
        var placed = ImmutableArray.CreateBuilder<Session>();
        var unplaced = ImmutableArray.CreateBuilder<UnplacedSession>();
        var induction = plan.Protocol.Induction;
        LocalDate first = default;
        Guid? lastChair = null;

        foreach (var planned in plan.Sessions.Where(p => p.Sequence >= fromSequence))
        {
            var (window, broken) = WindowFor(calendar, plan, planned, first, previous);
            var search = new Search(calendar, occupancy, chairs, length, plan, planned, now, lastChair);
            var session = broken is null ? search.FirstFit(window, newSessionId) : null;
            if (session is not null)
            {
                placed.Add(session);
                occupancy = occupancy.With(session.ToBooking());
                lastChair = session.ChairId;
                previous = session.Start.Date;
            }
            else
            {
                var obstacle = broken is null ? search.MostCommonObstacle : Obstacle.InductionBroken;
                var reason = broken?.Reason ??
                    $"{planned.Phase} session {planned.Sequence} could not be placed between {window.Start:uuuu-MM-dd} and {window.End:uuuu-MM-dd}: {obstacle.Describe()}.";
                var after = new DateInterval(window.End.PlusDays(1), window.End.PlusDays(AlternativeHorizonDays));
                unplaced.Add(new UnplacedSession(planned.Sequence, planned.Phase, window, obstacle, reason, search.Alternatives(after, AlternativesPerSession)));

                // Carry on from the date the cadence wanted, so every other unplaceable session is reported too.
                previous = window.Start;
            }

            if (planned.Sequence == 1)
            {
                first = previous;
            }
        }

        return unplaced.Count == 0
            ? new PlacementResult(placed.ToImmutable(), [])
            : new PlacementResult([], unplaced.ToImmutable());

        (DateInterval Window, PlanningFailure? Broken) WindowFor(ClinicCalendar calendar, TreatmentPlan plan, PlannedSession planned, LocalDate first, LocalDate previous)
        {
            if (planned.Sequence == 1)
            {
                return (planned.Window, null);
            }

            if (planned.Phase == Phase.Induction)
            {
                var due = previous.PlusDays(induction.IntervalDays);
                var target = calendar.NextOpenDay(due) ?? due;
                var latest = Min(previous.PlusDays(induction.MaxIntervalDays), first.PlusDays(induction.MaxSpanDays));
                var broken = PlanningRule.InductionBreak(induction, planned.Sequence, due, target, previous, first);
                return (new DateInterval(target, Max(target, latest)), broken);
            }

            var interval = plan.Protocol.Maintenance.IntervalDays[planned.Sequence - induction.Sessions - 1];
            var dueDate = previous.PlusDays(interval);
            var start = calendar.NextOpenDay(dueDate) ?? dueDate;
            return (new DateInterval(start, Max(start, dueDate.PlusDays(MaintenanceCycle.SlackDays(interval)))), null);
        }
    }

    /// <summary>
    /// Every free start on <paramref name="date"/> for a session of <paramref name="length"/>: each chair and local
    /// start where the chair is free and the slot has room, earliest first. Patients are not considered.
    /// </summary>
    public ImmutableArray<Alternative> FreeStarts(ClinicCalendar calendar, LocalDate date, IReadOnlyList<Chair> chairs, ChairOccupancy occupancy, SessionLength length)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(chairs);
        ArgumentNullException.ThrowIfNull(length);
        var now = clock.GetCurrentInstant();
        var free = ImmutableArray.CreateBuilder<Alternative>();
        foreach (var start in calendar.StartsOn(date, length.ChairTime))
        {
            foreach (var chair in chairs)
            {
                var session = new Session(Guid.Empty, Guid.Empty, chair.Id, calendar.AtClinicTime(start), length);
                if (SessionRules.Check(calendar, occupancy, session, now) is null)
                {
                    free.Add(new Alternative(chair.Id, start));
                }
            }
        }

        return free.ToImmutable();
    }

    private static LocalDate Min(LocalDate a, LocalDate b) => a < b ? a : b;

    private static LocalDate Max(LocalDate a, LocalDate b) => a > b ? a : b;

    /// <summary>The search for one plan session's chair and start, and what stood in its way.</summary>
    private sealed class Search(
        ClinicCalendar calendar,
        ChairOccupancy occupancy,
        IReadOnlyList<Chair> chairs,
        SessionLength length,
        TreatmentPlan plan,
        PlannedSession planned,
        Instant now,
        Guid? preferredChair)
    {
        private readonly Dictionary<Obstacle, int> seen = [];

        /// <summary>
        /// Why no start was tried at all (no chairs, or no start on an open day fits opening hours), or else what
        /// most often stopped one.
        /// </summary>
        public Obstacle MostCommonObstacle =>
            chairs.Count == 0 ? Obstacle.NoChairs
            : seen.Count == 0 ? Obstacle.OutsideOpeningHours
            : seen.MaxBy(s => s.Value).Key;

        /// <summary>The first chair and start in <paramref name="window"/> that keeps every rule, or <see langword="null"/>.</summary>
        public Session? FirstFit(DateInterval window, Func<Guid> newSessionId)
        {
            foreach (var date in window)
            {
                if (!calendar.IsOpenOn(date))
                {
                    seen[Obstacle.ClinicClosed] = seen.GetValueOrDefault(Obstacle.ClinicClosed) + 1;
                    continue;
                }

                if (OnDate(date, record: true) is { } fit)
                {
                    return new Session(newSessionId(), plan.PatientId, fit.ChairId, fit.Start, length, plan.Id, planned.Sequence, planned.Phase) { NurseId = fit.NurseId };
                }
            }

            return null;
        }

        /// <summary>Up to <paramref name="count"/> starts in <paramref name="dates"/>, one a day, nearest the preferred time.</summary>
        public ImmutableArray<Alternative> Alternatives(DateInterval dates, int count)
        {
            var found = ImmutableArray.CreateBuilder<Alternative>(count);
            foreach (var date in dates)
            {
                if (found.Count == count)
                {
                    break;
                }

                if (calendar.IsOpenOn(date) && OnDate(date, record: false) is { } fit)
                {
                    found.Add(new Alternative(fit.ChairId, fit.Start.LocalDateTime));
                }
            }

            return found.ToImmutable();
        }

        /// <summary>The first chair and start on <paramref name="date"/> nearest the preferred time that keeps every rule, as admitted (with its nurse), or null.</summary>
        private Session? OnDate(LocalDate date, bool record)
        {
            var preferred = date + plan.PreferredStartTime;
            var starts = calendar.StartsOn(date, length.ChairTime)
                .OrderBy(s => Math.Abs(Period.Between(preferred, s, PeriodUnits.Minutes).Minutes))
                .ThenBy(s => s);
            foreach (var start in starts)
            {
                var zoned = calendar.AtClinicTime(start);
                foreach (var chair in ChairOrder())
                {
                    var candidate = new Session(Guid.Empty, plan.PatientId, chair, zoned, length);
                    var (admitted, obstacle) = SessionRules.Admit(calendar, occupancy, candidate, now);
                    if (admitted is not null)
                    {
                        return admitted;
                    }

                    if (record)
                    {
                        seen[obstacle!.Value] = seen.GetValueOrDefault(obstacle.Value) + 1;
                    }

                    // Another chair will not help a patient who is busy, a full slot, a start in the past or no nurse free.
                    if (obstacle is not Obstacle.ChairTaken)
                    {
                        break;
                    }
                }
            }

            return null;
        }

        private IEnumerable<Guid> ChairOrder()
        {
            if (preferredChair is { } chosen)
            {
                yield return chosen;
            }

            foreach (var chair in chairs)
            {
                if (chair.Id != preferredChair)
                {
                    yield return chair.Id;
                }
            }
        }
    }
}
