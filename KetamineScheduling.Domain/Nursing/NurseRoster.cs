using System.Collections.Immutable;
using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Sessions;
using NodaTime;
using NodaTime.TimeZones;

namespace KetamineScheduling.Domain.Nursing;

/// <summary>
/// The nurses on shift over some dates, and the rule each booked session keeps when a clinic counts its nurses:
/// one nurse on shift for the whole infusion and observation, who sets up no other session during its first
/// <see cref="NurseStaffing.SetupMinutes"/>, and who watches at most <see cref="NurseStaffing.PatientsPerNurse"/>
/// patients at any moment of it.
/// </summary>
/// <remarks>
/// Immutable. The sessions a nurse already has come from the <see cref="ChairOccupancy"/> this roster belongs to, so
/// a plan being placed sees the nurses its earlier sessions took. The database holds the same rule as claims (a
/// set-up claim per nurse and slot, a monitoring seat per nurse, slot and seat number), so two instances cannot
/// break it between them; this class is what lets placement choose a start and a nurse that the claims will accept.
/// </remarks>
public sealed class NurseRoster
{
    private readonly ILookup<LocalDate, (Guid Nurse, Interval OnDuty)> shifts;

    /// <summary>The roster of a clinic that does not count nurses: every session passes.</summary>
    public static NurseRoster Off { get; } = new(NurseStaffing.Off, null, []);

    /// <param name="staffing">The clinic's staffing settings.</param>
    /// <param name="calendar">The clinic's calendar, to place local shift times in time; may be null only when staffing is off.</param>
    /// <param name="shifts">The shifts of active nurses on the dates concerned, in the order nurses are preferred on a tie.</param>
    public NurseRoster(NurseStaffing staffing, ClinicCalendar? calendar, IEnumerable<NurseShift> shifts)
    {
        ArgumentNullException.ThrowIfNull(staffing);
        ArgumentNullException.ThrowIfNull(shifts);
        Staffing = staffing;
        var list = shifts.ToList();
        if (list.Count > 0)
        {
            ArgumentNullException.ThrowIfNull(calendar);
        }

        // A shift's ends bound a span of the day, as opening hours do: a skipped end is not moved an hour later, so a
        // nurse is never counted on duty after the clock has passed the end of the shift. A nurse's shifts that touch
        // (a morning and an afternoon) are one span on duty, so a session across the change is covered.
        this.shifts = list
            .Select(s => (s.NurseId, s.Date, OnDuty: new Interval(calendar!.AtBoundary(s.Date + s.Starts), calendar.AtBoundary(s.Date + s.Ends))))
            .GroupBy(s => (s.NurseId, s.Date))
            .SelectMany(g => Joined(g.Select(s => s.OnDuty)).Select(onDuty => (g.Key.NurseId, g.Key.Date, OnDuty: onDuty)))
            .ToLookup(s => s.Date, s => (s.NurseId, s.OnDuty));
    }

    public NurseStaffing Staffing { get; }

    /// <summary>
    /// The nurse who would take <paramref name="booking"/>, or why none can: among the nurses on shift for its
    /// whole infusion and observation, not setting up another session in its set-up time, and below their limit
    /// of patients throughout, the one with the fewest patients at the busiest moment of it (the first listed on a
    /// tie), so that capacity is spread and later bookings find room. <see langword="null"/> nurse and obstacle both
    /// when staffing is off.
    /// </summary>
    /// <param name="booking">The time the session would hold.</param>
    /// <param name="sessionsOf">The bookings a nurse already has on the booking's local date.</param>
    public (Guid? Nurse, Obstacle? Obstacle) Choose(Booking booking, Func<Guid, IEnumerable<Booking>> sessionsOf)
    {
        ArgumentNullException.ThrowIfNull(booking);
        ArgumentNullException.ThrowIfNull(sessionsOf);
        if (!Staffing.Enabled)
        {
            return (null, null);
        }

        var onShift = shifts[booking.Date]
            .Where(s => s.OnDuty.Start <= booking.Start && booking.PatientLeavesAt <= s.OnDuty.End)
            .Select(s => s.Nurse)
            .Distinct()
            .ToList();
        if (onShift.Count == 0)
        {
            return (null, Obstacle.NoNurseOnShift);
        }

        Guid? chosen = null;
        var fewest = int.MaxValue;
        var anyFull = false;
        foreach (var nurse in onShift)
        {
            var theirs = sessionsOf(nurse).Where(b => b.SessionId != booking.SessionId).ToList();
            var busiest = Busiest(booking, theirs);
            if (busiest >= Staffing.PatientsPerNurse)
            {
                anyFull = true;
                continue;
            }

            if (SetsUpDuring(booking, theirs))
            {
                continue;
            }

            if (busiest < fewest)
            {
                (chosen, fewest) = (nurse, busiest);
            }
        }

        return chosen is { } found ? (found, null) : (null, anyFull ? Obstacle.NursesFull : Obstacle.NurseSettingUp);
    }

    /// <summary>Whether the nurse's other sessions keep the rule beside <paramref name="booking"/>, with <paramref name="nurse"/> as its nurse.</summary>
    public bool Allows(Guid nurse, Booking booking, IEnumerable<Booking> theirs)
    {
        ArgumentNullException.ThrowIfNull(booking);
        ArgumentNullException.ThrowIfNull(theirs);
        var others = theirs.Where(b => b.SessionId != booking.SessionId).ToList();
        return shifts[booking.Date].Any(s => s.Nurse == nurse && s.OnDuty.Start <= booking.Start && booking.PatientLeavesAt <= s.OnDuty.End) &&
            Busiest(booking, others) < Staffing.PatientsPerNurse && !SetsUpDuring(booking, others);
    }

    /// <summary>
    /// Gives each of <paramref name="bookings"/> a nurse, in order of start, keeping the nurse a booking already has
    /// while the rule allows it: what a clinic that starts counting nurses, or changes how, does to the time already
    /// booked. Returns each staffed booking's nurse by session id, and the bookings no nurse can take.
    /// </summary>
    public (IReadOnlyDictionary<Guid, Guid> Nurses, IReadOnlyList<Booking> Unstaffed) Assign(IEnumerable<Booking> bookings)
    {
        ArgumentNullException.ThrowIfNull(bookings);
        var nurses = new Dictionary<Guid, Guid>();
        var unstaffed = new List<Booking>();
        var taken = new Dictionary<(Guid, LocalDate), List<Booking>>();
        foreach (var booking in bookings.OrderBy(b => b.Start).ThenBy(b => b.SessionId))
        {
            var nurse = booking.NurseId is { } kept && Allows(kept, booking, Of(kept, booking.Date))
                ? kept
                : Choose(booking, n => Of(n, booking.Date)).Nurse;
            if (nurse is not { } found)
            {
                unstaffed.Add(booking);
                continue;
            }

            nurses[booking.SessionId] = found;
            var key = (found, booking.Date);
            if (!taken.TryGetValue(key, out var list))
            {
                taken[key] = list = [];
            }

            list.Add(booking with { NurseId = found });
        }

        return (nurses, unstaffed);

        IEnumerable<Booking> Of(Guid nurse, LocalDate date) => taken.TryGetValue((nurse, date), out var list) ? list : [];
    }

    /// <summary>The end of a session's set-up, when its nurse is free to set up another.</summary>
    public Instant SetupEndsAt(Booking booking)
    {
        ArgumentNullException.ThrowIfNull(booking);
        return booking.Start + Duration.FromMinutes(Staffing.SetupMinutes);
    }

    /// <summary>The nurses on shift on <paramref name="date"/>, each once, in roster order.</summary>
    public ImmutableArray<Guid> OnShift(LocalDate date) => [.. shifts[date].Select(s => s.Nurse).Distinct()];

    /// <summary>Spans that overlap or touch, joined into one; the rest as they are, earliest first.</summary>
    private static List<Interval> Joined(IEnumerable<Interval> spans)
    {
        var joined = new List<Interval>();
        foreach (var span in spans.OrderBy(s => s.Start))
        {
            if (joined.Count > 0 && span.Start <= joined[^1].End)
            {
                joined[^1] = new Interval(joined[^1].Start, Instant.Max(joined[^1].End, span.End));
            }
            else
            {
                joined.Add(span);
            }
        }

        return joined;
    }

    private bool SetsUpDuring(Booking booking, List<Booking> theirs) =>
        Staffing.SetupMinutes > 0 && theirs.Exists(b => b.Start < SetupEndsAt(booking) && booking.Start < SetupEndsAt(b));

    /// <summary>
    /// The most of <paramref name="theirs"/> the nurse watches at any one moment of <paramref name="booking"/>. The
    /// count can only rise at the booking's start or at another session's start, so those are the moments counted.
    /// </summary>
    private static int Busiest(Booking booking, List<Booking> theirs)
    {
        var overlapping = theirs.Where(b => b.Start < booking.PatientLeavesAt && booking.Start < b.PatientLeavesAt).ToList();
        return overlapping
            .Select(b => b.Start < booking.Start ? booking.Start : b.Start)
            .Append(booking.Start)
            .Max(moment => overlapping.Count(b => b.Start <= moment && moment < b.PatientLeavesAt));
    }
}
