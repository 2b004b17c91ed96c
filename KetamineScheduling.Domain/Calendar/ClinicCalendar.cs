using System.Collections.Immutable;
using NodaTime;
using NodaTime.TimeZones;

namespace KetamineScheduling.Domain.Calendar;

/// <summary>
/// When and how a clinic can seat patients: its time zone, weekly opening hours, closed dates, the grid session
/// starts align to, the cleaning time after each session and how many infusions may start together.
/// </summary>
/// <remarks>
/// <para>All scheduling happens in the clinic's local calendar. A 10:00 series is at 10:00 local time on every
/// date, whatever the UTC offset on that date.</para>
/// <para><b>The local-time rule.</b> A local time that does not exist (the clocks spring forward past it) is moved
/// forward by the length of the gap, so 02:30 on a spring-forward night becomes 03:30. A local time that happens
/// twice (the clocks fall back) means its first occurrence, at the earlier, summer offset. This is NodaTime's
/// lenient resolver; the rest of the domain never resolves local times any other way.</para>
/// </remarks>
public sealed class ClinicCalendar
{
    /// <summary>The unit of chair time, in minutes, that slot granularity is a multiple of.</summary>
    public const int SlotUnitMinutes = 5;

    /// <summary>Slot granularities a clinic may choose: multiples of five minutes that divide an hour.</summary>
    public static readonly ImmutableArray<int> AllowedSlotMinutes = [5, 10, 15, 20, 30, 60];

    /// <summary>The longest cleaning time after a session, in minutes.</summary>
    public const int MaxTurnoverMinutes = 120;

    /// <summary>How far ahead the calendar looks for an open day before it gives up.</summary>
    public const int SearchHorizonDays = 366;

    /// <summary>Resolves opening and closing times: the first occurrence, or the moment the clocks skip past them.</summary>
    private static readonly ZoneLocalMappingResolver BoundaryResolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    public ClinicCalendar(
        DateTimeZone zone,
        OpeningHours hours,
        IEnumerable<LocalDate>? closedDates = null,
        int slotMinutes = 15,
        int turnoverMinutes = 15,
        int? maxStartsPerSlot = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(hours);
        if (!AllowedSlotMinutes.Contains(slotMinutes))
        {
            throw new ArgumentOutOfRangeException(nameof(slotMinutes), slotMinutes, $"Slot minutes must be one of {string.Join(", ", AllowedSlotMinutes)}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(turnoverMinutes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(turnoverMinutes, MaxTurnoverMinutes);
        if (maxStartsPerSlot is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(maxStartsPerSlot));
        }

        Zone = zone;
        Hours = hours;
        ClosedDates = (closedDates ?? []).ToImmutableSortedSet();
        SlotMinutes = slotMinutes;
        TurnoverMinutes = turnoverMinutes;
        MaxStartsPerSlot = maxStartsPerSlot;
    }

    /// <summary>The clinic's IANA time zone.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The regular weekly opening hours, in local time.</summary>
    public OpeningHours Hours { get; }

    /// <summary>Whole local dates the clinic is closed (holidays, closures), whatever the weekly hours say.</summary>
    public ImmutableSortedSet<LocalDate> ClosedDates { get; }

    /// <summary>Session starts align to this many minutes after local midnight (5 means 10:00, 10:05, ...).</summary>
    public int SlotMinutes { get; }

    /// <summary>Minutes a chair is cleaned after each session, during which nobody else can be seated in it.</summary>
    public int TurnoverMinutes { get; }

    /// <summary>
    /// How many infusions may start in one slot across the clinic, so one nurse is not setting up several IVs at
    /// once; <see langword="null"/> means no limit.
    /// </summary>
    public int? MaxStartsPerSlot { get; }

    /// <summary>Whether the clinic opens at all on <paramref name="date"/>.</summary>
    public bool IsOpenOn(LocalDate date) => !ClosedDates.Contains(date) && !Hours.On(date.DayOfWeek).IsEmpty;

    /// <summary>
    /// The first open date on or after <paramref name="date"/>, or <see langword="null"/> when there is none within
    /// <see cref="SearchHorizonDays"/> days.
    /// </summary>
    public LocalDate? NextOpenDay(LocalDate date)
    {
        for (var day = 0; day < SearchHorizonDays; day++)
        {
            var candidate = date.PlusDays(day);
            if (IsOpenOn(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The opening intervals on <paramref name="date"/>: none on a closed date.</summary>
    public ImmutableArray<OpeningInterval> HoursOn(LocalDate date) =>
        ClosedDates.Contains(date) ? [] : Hours.On(date.DayOfWeek);

    /// <summary>
    /// The moment a local time in this clinic denotes, by the local-time rule described on this class.
    /// Never throws for skipped or repeated local times.
    /// </summary>
    public ZonedDateTime AtClinicTime(LocalDateTime local) => Zone.AtLeniently(local);

    /// <summary>Whether <paramref name="local"/> happens at all in the clinic (it is not inside a spring-forward gap).</summary>
    public bool Exists(LocalDateTime local) => Zone.MapLocal(local).Count > 0;

    /// <summary>Whether a local start lies on the clinic's slot grid (whole minutes, a multiple of the slot size).</summary>
    public bool IsOnSlotGrid(LocalTime time) =>
        time.Second == 0 && time.NanosecondOfSecond == 0 && (time.Hour * 60 + time.Minute) % SlotMinutes == 0;

    /// <summary>
    /// Whether the chair time from <paramref name="start"/> for <paramref name="chairTime"/> lies entirely within
    /// one opening interval of the start's local date. Measured in elapsed time, so a session over a
    /// daylight-saving change is as long as it really is.
    /// </summary>
    public bool FitsOpeningHours(LocalDateTime start, Duration chairTime)
    {
        var begins = AtClinicTime(start).ToInstant();
        var ends = begins + chairTime;
        return OpenTimesOn(start.Date).Any(open => open.Start <= begins && ends <= open.End);
    }

    /// <summary>
    /// The opening intervals on <paramref name="date"/> as the instants they run between, earliest first: none on a
    /// closed date. An opening or closing time the clocks skip means the moment they skip to, and one that happens
    /// twice its first occurrence, so an interval over a daylight-saving change is as long as it really is.
    /// </summary>
    public IEnumerable<Interval> OpenTimesOn(LocalDate date) =>
        HoursOn(date).Select(interval => new Interval(AtBoundary(date + interval.Opens), AtBoundary(date + interval.Closes)));

    /// <summary>
    /// The moment a local time that bounds a span of the day (an opening or closing time, the start or end of a
    /// nurse's shift) denotes: its first occurrence, or the moment the clocks skip to. Unlike a session's start (see
    /// <see cref="AtClinicTime"/>), a skipped end is not moved an hour later.
    /// </summary>
    public Instant AtBoundary(LocalDateTime local) => Zone.ResolveLocal(local, BoundaryResolver).ToInstant();

    /// <summary>
    /// Every local start on <paramref name="date"/> that is on the slot grid, exists in the clinic's zone and leaves
    /// <paramref name="chairTime"/> inside opening hours; earliest first.
    /// </summary>
    public IEnumerable<LocalDateTime> StartsOn(LocalDate date, Duration chairTime)
    {
        foreach (var interval in HoursOn(date))
        {
            var minute = interval.Opens.Hour * 60 + interval.Opens.Minute;
            if (interval.Opens.Second != 0 || interval.Opens.NanosecondOfSecond != 0)
            {
                minute++;
            }

            minute = (minute + SlotMinutes - 1) / SlotMinutes * SlotMinutes;
            for (; minute < 24 * 60; minute += SlotMinutes)
            {
                var start = date + new LocalTime(minute / 60, minute % 60);
                if (!Exists(start))
                {
                    continue;
                }

                if (!FitsOpeningHours(start, chairTime))
                {
                    if (start.TimeOfDay >= interval.Closes)
                    {
                        break;
                    }

                    continue;
                }

                yield return start;
            }
        }
    }
}
