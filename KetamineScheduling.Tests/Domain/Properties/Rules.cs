using System.Collections.Concurrent;
using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Tests.Domain.Properties;

/// <summary>Time a session holds, worked out here from its minutes rather than by the domain.</summary>
internal sealed record Held(Guid Id, Guid Chair, Guid Patient, Instant Start, Instant PatientLeaves, Instant ChairFree)
{
    public static Held Of(Session session)
    {
        var start = session.Start.ToInstant();
        var withPatient = session.Length.InfusionMinutes + session.Length.ObservationMinutes;
        return new(session.Id, session.ChairId, session.PatientId, start, start + Duration.FromMinutes(withPatient), start + Duration.FromMinutes(withPatient + session.Length.TurnoverMinutes));
    }
}

/// <summary>
/// The rules, written again from the calendar's data by brute force, so the properties do not check the
/// domain against itself. Opening and closing times are read off the wall clock: the clinic opens the first time
/// the clock shows its opening time that day, and closes the first time it shows its closing time.
/// </summary>
internal static class Rules
{
    private static readonly Duration FiveMinutes = Duration.FromMinutes(5);

    private static readonly ConcurrentDictionary<(DateTimeZone Zone, LocalDateTime Local), Instant> Reached = new();

    /// <summary>Whether the clinic opens on <paramref name="date"/>: hours that weekday and not a closed date.</summary>
    public static bool IsOpen(ClinicCalendar calendar, LocalDate date) =>
        calendar.Hours.On(date.DayOfWeek).Length > 0 && !calendar.ClosedDates.Contains(date);

    /// <summary>The first open date on or after <paramref name="date"/> within a year and a day, by walking the days.</summary>
    public static LocalDate? NextOpen(ClinicCalendar calendar, LocalDate date) =>
        Enumerable.Range(0, ClinicCalendar.SearchHorizonDays).Select(date.PlusDays).Where(d => IsOpen(calendar, d)).Cast<LocalDate?>().FirstOrDefault();

    /// <summary>
    /// The first instant the wall clock in <paramref name="zone"/> shows <paramref name="local"/> or later, found by
    /// stepping five minutes at a time: every time here, and every offset change in the zones used, is on that grid.
    /// </summary>
    public static Instant FirstReaching(DateTimeZone zone, LocalDateTime local) => Reached.GetOrAdd((zone, local), key =>
    {
        var instant = key.Local.InUtc().ToInstant() - Duration.FromHours(15);
        while (instant.InZone(key.Zone).LocalDateTime < key.Local)
        {
            instant += FiveMinutes;
        }

        return instant;
    });

    /// <summary>Whether chair time from <paramref name="begins"/> lies inside one opening interval of <paramref name="date"/>.</summary>
    public static bool InsideHours(ClinicCalendar calendar, LocalDate date, Instant begins, Duration chairTime) =>
        IsOpen(calendar, date) && calendar.Hours.On(date.DayOfWeek).Any(i =>
            FirstReaching(calendar.Zone, date + i.Opens) <= begins && begins + chairTime <= FirstReaching(calendar.Zone, date + i.Closes));

    /// <summary>Every start on <paramref name="date"/> on the slot grid that the clocks do not skip, earliest first.</summary>
    public static IEnumerable<ZonedDateTime> GridStarts(ClinicCalendar calendar, LocalDate date) =>
        Enumerable.Range(0, 24 * 60 / calendar.SlotMinutes)
            .Select(k => calendar.Zone.MapLocal(date + LocalTime.Midnight.PlusMinutes(k * calendar.SlotMinutes)))
            .Where(mapping => mapping.Count > 0)
            .Select(mapping => mapping.First());

    /// <summary>Every rule <paramref name="candidate"/> breaks, given the time <paramref name="others"/> already hold.</summary>
    public static HashSet<Obstacle> Broken(ClinicCalendar calendar, IEnumerable<Held> others, Session candidate, Instant now)
    {
        var broken = new HashSet<Obstacle>();
        var local = candidate.Start.LocalDateTime;
        var held = Held.Of(candidate);
        Add(held.Start < now, Obstacle.InThePast);
        Add(!IsOpen(calendar, local.Date), Obstacle.ClinicClosed);
        Add((local.TimeOfDay.Hour * 60 + local.TimeOfDay.Minute) % calendar.SlotMinutes != 0 || local.TimeOfDay.Second != 0, Obstacle.OffSlotGrid);
        Add(!InsideHours(calendar, local.Date, held.Start, held.ChairFree - held.Start), Obstacle.OutsideOpeningHours);
        var starts = 0;
        foreach (var other in others.Where(o => o.Id != held.Id))
        {
            Add(other.Chair == held.Chair && other.Start < held.ChairFree && held.Start < other.ChairFree, Obstacle.ChairTaken);
            Add(other.Patient == held.Patient && other.Start < held.PatientLeaves && held.Start < other.PatientLeaves, Obstacle.PatientBusy);
            starts += other.Start == held.Start ? 1 : 0;
        }

        Add(starts >= calendar.MaxStartsPerSlot, Obstacle.StartsPerSlotFull);
        return broken;

        void Add(bool breaks, Obstacle obstacle)
        {
            if (breaks)
            {
                broken.Add(obstacle);
            }
        }
    }

    /// <summary>
    /// Rules the whole set of held time breaks: a chair or a patient in two places at once, or more starts in one
    /// slot than the clinic allows. Each problem is a sentence naming the sessions.
    /// </summary>
    public static IEnumerable<string> Clashes(ClinicCalendar calendar, IReadOnlyList<Held> all)
    {
        for (var i = 0; i < all.Count; i++)
        {
            for (var j = i + 1; j < all.Count; j++)
            {
                var (a, b) = (all[i], all[j]);
                if (a.Chair == b.Chair && a.Start < b.ChairFree && b.Start < a.ChairFree)
                {
                    yield return $"{a.Id} and {b.Id} share chair {a.Chair}";
                }

                if (a.Patient == b.Patient && a.Start < b.PatientLeaves && b.Start < a.PatientLeaves)
                {
                    yield return $"{a.Id} and {b.Id} share patient {a.Patient}";
                }
            }
        }

        foreach (var slot in all.GroupBy(h => h.Start).Where(g => g.Count() > calendar.MaxStartsPerSlot))
        {
            yield return $"{slot.Count()} sessions start at {slot.Key}";
        }
    }

    /// <summary>The days from each induction date to the next, and from the first to each.</summary>
    public static IEnumerable<(int Gap, int Span)> InductionSteps(IReadOnlyList<LocalDate> dates) =>
        dates.Skip(1).Select((date, i) => (Period.DaysBetween(dates[i], date), Period.DaysBetween(dates[0], date)));

    /// <summary>Whether an induction on these dates keeps its largest interval and its span.</summary>
    public static bool KeepsInduction(InductionCycle induction, IReadOnlyList<LocalDate> dates) =>
        InductionSteps(dates).All(s => s.Gap <= induction.MaxIntervalDays && s.Span <= induction.MaxSpanDays);
}
