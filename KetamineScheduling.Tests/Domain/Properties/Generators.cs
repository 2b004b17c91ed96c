using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Nursing;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;
using NodaTime.Testing;

namespace KetamineScheduling.Tests.Domain.Properties;

/// <summary>A clinic calendar, a protocol and a start date, described well enough to rebuild by hand.</summary>
internal sealed record PlanningCase(ClinicCalendar Calendar, Protocol Protocol, LocalDate Start)
{
    public override string ToString() =>
        $"{Calendar.Zone.Id}; hours {string.Join(", ", Calendar.Hours.All.Select(h => $"{h.Day.ToString()[..3]} {h.Interval}"))}; " +
        $"closed {string.Join(", ", Calendar.ClosedDates.Select(d => d.ToString("uuuu-MM-dd", null)))}; slot {Calendar.SlotMinutes}, " +
        $"turnover {Calendar.TurnoverMinutes}, starts per slot {Calendar.MaxStartsPerSlot?.ToString() ?? "any"}; " +
        $"infusion {Protocol.InfusionMinutes}+{Protocol.ObservationMinutes}; induction {Protocol.Induction.Sessions} every " +
        $"{Protocol.Induction.IntervalDays} (at most {Protocol.Induction.MaxIntervalDays}, span {Protocol.Induction.MaxSpanDays}); " +
        $"maintenance [{string.Join(", ", Protocol.Maintenance.IntervalDays)}]; start {Start:uuuu-MM-dd}";
}

/// <summary>A planned treatment, the clinic's chairs and what they already hold, and the time it is placed at.</summary>
/// <remarks>With <see cref="Nursing"/>, the clinic counts nurses (or, with staffing off, once did) and the existing bookings name theirs.</remarks>
internal sealed record PlacementCase(PlanningCase Planning, TreatmentPlan Plan, IReadOnlyList<Chair> Chairs, ImmutableArray<Session> Existing, Instant Now, Nursing? Nursing = null)
{
    public ClinicCalendar Calendar => Planning.Calendar;

    public SessionLength Length => Clinic.LengthFor(Plan.Protocol, Calendar);

    /// <summary>The clinic's nurses as the domain sees them; <see langword="null"/> for a clinic that has never counted them.</summary>
    public NurseRoster? Roster => Nursing is { } nursing ? new NurseRoster(nursing.Staffing, Calendar, nursing.Shifts) : null;

    public ChairOccupancy Occupancy => new(Existing.Select(s => s.ToBooking()), Roster);

    public PlacementResult Place() => new Placement(new FakeClock(Now)).Place(Calendar, Plan, Chairs, Occupancy, Length, Clinic.SessionIds());

    public override string ToString() =>
        $"{Planning}; preferred {Plan.PreferredStartTime:HH:mm}; {Chairs.Count} chairs; now {Now}; existing: " +
        string.Join(", ", Existing.Select(s => $"{s.Start.LocalDateTime:uuuu-MM-dd'T'HH:mm} chair {Chairs.ToList().FindIndex(c => c.Id == s.ChairId)} " +
            $"patient {s.PatientId.ToString()[^1..]} {s.Length.InfusionMinutes}+{s.Length.ObservationMinutes}+{s.Length.TurnoverMinutes}" +
            (s.NurseId is { } nurse ? $" nurse {nurse.ToString()[^1..]}" : ""))) +
        (Nursing is { } nursing ? $"; {nursing}" : "");
}

/// <summary>A nurse's week: the weekdays worked, one or two shifts each of those days (or the clinic's hours), and dates off.</summary>
/// <param name="Nurse">The nurse whose week it is.</param>
/// <param name="Works">Whether the nurse works each ISO weekday, Monday first.</param>
/// <param name="Starts">When the day's first shift starts, local time.</param>
/// <param name="Ends">When it ends.</param>
/// <param name="Second">A second shift after a break, if the nurse works one.</param>
/// <param name="Off">Dates the nurse does not work, whatever the weekday.</param>
/// <param name="ClinicHours">
/// Minutes after each opening that the nurse comes on, staying until it closes, in place of <paramref name="Starts"/>
/// to <paramref name="Ends"/>; <see langword="null"/> for fixed shifts.
/// </param>
internal sealed record Rota(Guid Nurse, ImmutableArray<bool> Works, LocalTime Starts, LocalTime Ends, (LocalTime Starts, LocalTime Ends)? Second, ImmutableArray<LocalDate> Off, int? ClinicHours)
{
    /// <summary>The shifts this rota gives on <paramref name="date"/>.</summary>
    public IEnumerable<NurseShift> On(ClinicCalendar calendar, LocalDate date)
    {
        if (!Works[(int)date.DayOfWeek - 1] || Off.Contains(date))
        {
            yield break;
        }

        if (ClinicHours is { } late)
        {
            foreach (var hours in calendar.HoursOn(date))
            {
                // Coming on late past midnight would wrap round to the early morning: no shift then.
                var comesOn = hours.Opens.PlusMinutes(late);
                if (hours.Opens <= comesOn && comesOn < hours.Closes)
                {
                    yield return new NurseShift(Nurse, date, comesOn, hours.Closes);
                }
            }

            yield break;
        }

        yield return new NurseShift(Nurse, date, Starts, Ends);
        if (Second is { } second)
        {
            yield return new NurseShift(Nurse, date, second.Starts, second.Ends);
        }
    }

    public override string ToString() =>
        $"nurse {Nurse.ToString()[^1..]} on {string.Concat(Works.Select((w, i) => w ? "MTWTFSS"[i] : '-'))} " +
        (ClinicHours is { } late ? $"the clinic's hours from {late} minutes after opening" : $"{Starts:HH:mm}-{Ends:HH:mm}") +
        (Second is { } second && ClinicHours is null ? $" and {second.Starts:HH:mm}-{second.Ends:HH:mm}" : "") +
        $", off {string.Join(", ", Off.Select(d => d.ToString("uuuu-MM-dd", null)))}";
}

/// <summary>A clinic's staffing settings and its nurses' rotas, with the shifts they give over the dates a plan reaches.</summary>
internal sealed record Nursing(NurseStaffing Staffing, ImmutableArray<Rota> Rotas, ImmutableArray<NurseShift> Shifts)
{
    public override string ToString() =>
        $"nursing {(Staffing.Enabled ? "on" : "off")}, {Staffing.PatientsPerNurse} a nurse, set-up {Staffing.SetupMinutes}; {string.Join("; ", Rotas)}";
}

/// <summary>A placed plan, some of whose sessions have since been checked in, cancelled or missed, and a move asked of one.</summary>
internal sealed record MoveCase(PlacementCase Placement, ImmutableArray<Session> Sessions, int Index, LocalDateTime Start, Guid? ChairId, bool ShiftFollowing)
{
    public Session Session => Sessions[Index];

    public RescheduleResult Move() =>
        new Rescheduling(new FakeClock(Placement.Now)).Move(
            Placement.Calendar, Placement.Plan.Protocol, Session, Start, ChairId, ShiftFollowing, Sessions,
            new ChairOccupancy(Placement.Existing.Concat(Sessions.Where(s => s.Status.HoldsChair())).Select(s => s.ToBooking()), Placement.Roster));

    public override string ToString() =>
        $"{Placement}; plan: {string.Join(", ", Sessions.Select(s => $"{s.Sequence} {s.Start.LocalDateTime:uuuu-MM-dd'T'HH:mm} {s.Status}"))}; " +
        $"move {Session.Sequence} to {Start:uuuu-MM-dd'T'HH:mm} chair {ChairId?.ToString()[^1..] ?? "same"}{(ShiftFollowing ? " shifting the following" : "")}";
}

/// <summary>Generators for clinics, protocols, plans and bookings within the domain's caps.</summary>
internal static class Generators
{
    /// <summary>Zones with daylight saving (or a half-hour or quarter-hour offset), in both hemispheres.</summary>
    public static readonly string[] Zones =
        ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo", "Pacific/Chatham", "Asia/Kathmandu"];

    /// <summary>Patients who may hold existing bookings; the first is the one whose plan is placed.</summary>
    public static readonly Guid[] Patients = [Clinic.Patient, Clinic.OtherPatient, Clinic.Id(9_002), Clinic.Id(9_003)];

    private static readonly IsoDayOfWeek[] Week = Clinic.EveryDay;

    /// <summary>The latest generated opening time, in minutes after midnight: 23:50.</summary>
    private const int LastOpening = 23 * 60 + 50;

    public static Gen<LocalTime> Time(int fromMinute, int toMinute) =>
        Gen.Choose(fromMinute / 5, toMinute / 5).Select(m => LocalTime.Midnight.PlusMinutes(m * 5));

    /// <summary>Zero, one or two local intervals for one weekday, on the five-minute grid and before midnight.</summary>
    public static Gen<OpeningInterval[]> DayHours =>
        Gen.Frequency(
            (2, Gen.Constant(Array.Empty<OpeningInterval>())),
            (5, Interval(0, 20 * 60).Select(i => new[] { i })),
            (2, from first in Interval(0, 10 * 60)
                from gap in Gen.Choose(0, 36)
                let opens = Minutes(first.Closes) + gap * 5
                from second in Interval(Math.Min(opens, LastOpening), Math.Min(opens, LastOpening))
                select opens <= LastOpening ? new[] { first, second } : new[] { first }));

    /// <summary>Hours for the week; now and then a clinic that never opens.</summary>
    public static Gen<OpeningHours> WeekHours =>
        Gen.Frequency(
            (1, Gen.Constant(new OpeningHours([]))),
            (40, Gen.CollectToArray(Week, _ => DayHours)
                .Select(days => new OpeningHours(Week.Zip(days).SelectMany(d => d.Second.Select(i => (d.First, i)))))));

    /// <summary>
    /// A clinic open for one stretch every day, with its opening and closing times within two and a half hours of
    /// an offset change in its zone, and the local date of that change.
    /// </summary>
    public static Gen<(ClinicCalendar Calendar, LocalDate Date)> AroundAnOffsetChange =>
        from zoneId in Gen.Elements(Zones.Where(z => Changes(Clinic.Zone(z)).Length > 0))
        let zone = Clinic.Zone(zoneId)
        from change in Gen.Elements(Changes(zone))
        from bounds in Gen.Two(Gen.Choose(-30, 30)).Where(b => b.Item1 != b.Item2)
        from slot in Gen.Elements(ClinicCalendar.AllowedSlotMinutes.AsEnumerable())
        let changeMinute = change.Hour * 60 + change.Minute
        let opens = Math.Clamp(changeMinute + 5 * Math.Min(bounds.Item1, bounds.Item2), 0, LastOpening)
        let closes = Math.Clamp(changeMinute + 5 * Math.Max(bounds.Item1, bounds.Item2), opens + 5, LastOpening + 5)
        let hours = OpeningHours.On(Week, LocalTime.Midnight.PlusMinutes(opens), LocalTime.Midnight.PlusMinutes(closes))
        select (new ClinicCalendar(zone, hours, null, slot), change.Date);

    /// <summary>
    /// A start date: half the time in the fortnight before one of the zone's offset changes between 2016 and 2030
    /// (Brazil's last were in 2018), otherwise any day of those years.
    /// </summary>
    public static Gen<LocalDate> StartIn(DateTimeZone zone)
    {
        var changes = Changes(zone).Select(c => c.Date).ToArray();
        var anyDay = Gen.Choose(0, 14 * 365).Select(d => new LocalDate(2016, 1, 1).PlusDays(d));
        return changes.Length == 0
            ? anyDay
            : Gen.OneOf(anyDay, from change in Gen.Elements(changes) from before in Gen.Choose(0, 14) select change.PlusDays(-before));
    }

    public static Gen<InductionCycle> InductionCycles =>
        from sessions in Gen.Frequency((6, Gen.Choose(1, 8)), (1, Gen.Choose(9, InductionCycle.MaxSessions)))
        from interval in Gen.Frequency((6, Gen.Choose(1, 4)), (1, Gen.Choose(5, 14)))
        from slack in Gen.Choose(0, 4)
        from spanSlack in Gen.Choose(0, 12)
        select new InductionCycle(sessions, interval, Math.Min(interval + slack, InductionCycle.MaxDays), (sessions - 1) * interval + spanSlack);

    public static Gen<MaintenanceCycle> MaintenanceCycles =>
        Gen.Frequency(
            (2, Gen.Constant(MaintenanceCycle.None)),
            (3, from sessions in Gen.Choose(1, 4) from interval in Gen.Choose(1, 60) select MaintenanceCycle.Every(sessions, interval)),
            (2, Gen.ListOf(Gen.Choose(1, MaintenanceCycle.MaxIntervalDays)).Select(days => new MaintenanceCycle(days.Take(5)))));

    public static Gen<Protocol> Protocols =>
        from infusion in Gen.Choose(Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)
        from observation in Gen.Frequency((5, Gen.Choose(0, 60)), (1, Gen.Choose(61, Protocol.MaxObservationMinutes)))
        from induction in InductionCycles
        from maintenance in MaintenanceCycles
        select new Protocol(infusion, observation, induction, maintenance);

    public static Gen<PlanningCase> PlanningCases =>
        from zoneId in Gen.Elements(Zones)
        let zone = Clinic.Zone(zoneId)
        from hours in WeekHours
        from start in StartIn(zone)
        from closed in Gen.ListOf(Gen.Choose(-3, 60).Select(d => start.PlusDays(d)))
        from slot in Gen.Elements(ClinicCalendar.AllowedSlotMinutes.AsEnumerable())
        from turnover in Gen.Choose(0, ClinicCalendar.MaxTurnoverMinutes / 5).Select(t => t * 5)
        from maxStarts in Gen.Frequency((2, Gen.Constant<int?>(null)), (1, Gen.Choose(1, 3).Select(n => (int?)n)))
        from protocol in Protocols
        select new PlanningCase(new ClinicCalendar(zone, hours, closed.Take(12), slot, turnover, maxStarts), protocol, start);

    /// <summary>A case whose plan the planning rule can lay out, with up to 150 bookings crowding the plan's dates.</summary>
    public static Gen<PlacementCase> PlacementCases =>
        from planning in PlanningCases
        let planned = PlanningRule.Plan(planning.Calendar, planning.Protocol, planning.Start)
        where planned.Succeeded
        from preferred in Gen.Frequency((4, Time(7 * 60, 18 * 60)), (1, Time(0, 23 * 60 + 55)))
        let plan = new TreatmentPlan(Clinic.Id(8_000), Clinic.Patient, planning.Protocol, planning.Start, preferred, planned.Sessions)
        from chairCount in Gen.Choose(1, 4)
        let chairs = Clinic.Chairs(chairCount)
        from wishes in Gen.ListOf(Booking(planned.Sessions, chairCount)).Select(w => w.Take(150))
        from nowDays in Gen.Frequency((5, Gen.Choose(-3, -1)), (1, Gen.Choose(0, 2)))
        select new PlacementCase(
            planning,
            plan,
            chairs,
            Existing(planning.Calendar, chairs, plan, wishes),
            planning.Calendar.AtClinicTime(planning.Start.PlusDays(nowDays).At(new LocalTime(12, 0))).ToInstant());

    /// <summary>
    /// A case in a clinic that counts nurses: up to four nurses on random rotas, patients a nurse and set-up time
    /// anywhere in range, and the existing bookings each given a nurse who can take them (by <see cref="NurseRules"/>,
    /// not the domain), or dropped where none can.
    /// </summary>
    public static Gen<PlacementCase> NurseCases => StaffedCases(enabled: true);

    /// <summary>
    /// A case in a clinic with nurse staffing turned off but nurses and shifts on record, whose existing bookings name
    /// nurses at random, as bookings made while it was on would.
    /// </summary>
    public static Gen<PlacementCase> UnstaffedCases => StaffedCases(enabled: false);

    /// <summary>A plan placed in full, with a random status for each session, and a move of one of them.</summary>
    public static Gen<MoveCase> MoveCases => MovesOf(PlacementCases);

    /// <summary>As <see cref="MoveCases"/>, in a clinic that counts nurses.</summary>
    public static Gen<MoveCase> NurseMoveCases => MovesOf(NurseCases);

    /// <summary>As <see cref="MoveCases"/>, with nurse staffing turned off.</summary>
    public static Gen<MoveCase> UnstaffedMoveCases => MovesOf(UnstaffedCases);

    private static Gen<PlacementCase> StaffedCases(bool enabled) =>
        from c in PlacementCases
        from patients in Gen.Frequency((3, Gen.Choose(1, 2)), (2, Gen.Choose(3, NurseStaffing.MaxPatientsPerNurse)))
        from setup in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, 12).Select(m => m * 5)), (1, Gen.Choose(0, NurseStaffing.MaxSetupMinutes)))
        from nurses in Gen.Frequency((1, Gen.Constant(0)), (10, Gen.Choose(1, 2)), (8, Gen.Choose(3, 4)))
        from rotas in Gen.ArrayOf(Rotas(c.Plan), nurses)
        let named = rotas.Select((r, i) => r with { Nurse = Clinic.Id(7_001 + i) }).ToImmutableArray()
        let staffing = new NurseStaffing(enabled, patients, setup)
        let shifts = ShiftsOver(c.Calendar, c.Plan, named)
        from picks in Gen.ArrayOf(Gen.Choose(0, 1_000), c.Existing.Length)
        let nursing = new Nursing(staffing, named, shifts)
        select c with { Existing = Staff(c.Calendar, nursing, c.Existing, picks), Nursing = nursing };

    private static Gen<MoveCase> MovesOf(Gen<PlacementCase> cases) =>
        from c in cases
        let placed = c.Place()
        where placed.Succeeded
        from statuses in Gen.ArrayOf(
            Gen.Frequency((12, Gen.Constant(SessionStatus.Booked)), (1, Gen.Constant(SessionStatus.NoShow)), (1, Gen.Constant(SessionStatus.Cancelled)), (1, Gen.Constant(SessionStatus.CheckedIn))),
            placed.Sessions.Length)
        let sessions = placed.Sessions.Zip(statuses, (s, status) => s with { Status = status }).ToImmutableArray()
        let booked = Enumerable.Range(0, sessions.Length).Where(i => sessions[i].Status == SessionStatus.Booked).ToArray()
        from index in booked.Length > 0 ? Gen.Frequency((6, Gen.Elements(booked)), (1, Gen.Choose(0, sessions.Length - 1))) : Gen.Choose(0, sessions.Length - 1)
        from days in Gen.Frequency((2, Gen.Constant(0)), (4, Gen.Choose(-3, 3)), (1, Gen.Choose(-10, 10)))
        from minutes in Gen.Frequency((6, Gen.Choose(-4, 4).Select(m => m * c.Calendar.SlotMinutes)), (1, Gen.Choose(-24 * 12, 24 * 12).Select(m => m * 5)))
        from chair in Gen.Frequency((2, Gen.Constant<Guid?>(null)), (1, Gen.Elements(c.Chairs.Select(ch => (Guid?)ch.Id))))
        from shift in Gen.Elements(true, false)
        from openingStart in Gen.Frequency((2, Gen.Choose(0, 10_000).Select(i => (int?)i)), (1, Gen.Constant<int?>(null)))
        let original = sessions[index].Start.LocalDateTime
        let date = original.Date.PlusDays(days)
        let starts = c.Calendar.StartsOn(date, c.Length.ChairTime).ToList()
        let start = openingStart is { } pick && starts.Count > 0 ? starts[pick % starts.Count] : date + original.TimeOfDay.PlusMinutes(minutes)
        select new MoveCase(c, sessions, index, start, chair, shift);

    /// <summary>A booking someone asked for: a day near a planned date, a chair, a patient, a start and a length.</summary>
    private static Gen<BookingWish> Booking(ImmutableArray<PlannedSession> planned, int chairs) =>
        from session in Gen.Elements(planned.AsEnumerable())
        from days in Gen.Frequency((4, Gen.Constant(0)), (3, Gen.Choose(-1, 4)), (1, Gen.Choose(5, 10)))
        from chair in Gen.Choose(0, chairs - 1)
        from patient in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, Patients.Length - 1)))
        from nearPreferred in Gen.Elements(true, false)
        from pick in Gen.Choose(0, 10_000)
        from infusion in Gen.Choose(Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)
        from observation in Gen.Choose(0, 90)
        select new BookingWish(session.Date.PlusDays(days), chair, Patients[patient], nearPreferred, pick, infusion, observation);

    /// <summary>The wishes the clinic could grant in turn, so that existing bookings keep every rule among themselves.</summary>
    private static ImmutableArray<Session> Existing(ClinicCalendar calendar, IReadOnlyList<Chair> chairs, TreatmentPlan plan, IEnumerable<BookingWish> wishes)
    {
        var occupancy = ChairOccupancy.Empty;
        var granted = ImmutableArray.CreateBuilder<Session>();
        foreach (var (wish, index) in wishes.Select((w, i) => (w, i)))
        {
            var length = new SessionLength(wish.InfusionMinutes, wish.ObservationMinutes, calendar.TurnoverMinutes);
            var starts = calendar.StartsOn(wish.Date, length.ChairTime).ToList();
            if (starts.Count == 0)
            {
                continue;
            }

            var near = wish.Date + plan.PreferredStartTime.PlusMinutes((wish.Pick % 7 - 3) * calendar.SlotMinutes);
            var start = wish.NearPreferred
                ? starts.MinBy(s => Math.Abs(Period.Between(near, s, PeriodUnits.Minutes).Minutes))
                : starts[wish.Pick % starts.Count];
            var session = new Session(Clinic.Id(100_000 + index), wish.Patient, chairs[wish.Chair].Id, calendar.AtClinicTime(start), length);
            if (SessionRules.Check(calendar, occupancy, session, Instant.MinValue) is null)
            {
                granted.Add(session);
                occupancy = occupancy.With(session.ToBooking());
            }
        }

        return granted.ToImmutable();
    }

    /// <summary>
    /// A nurse's rota: most weekdays; the clinic's hours (now and then coming on late), or a long day, or a shift at
    /// any hour (into a daylight-saving change, sometimes), with sometimes a second after a break; and a few dates off
    /// near the plan's.
    /// </summary>
    private static Gen<Rota> Rotas(TreatmentPlan plan) =>
        from works in Gen.ArrayOf(Gen.Frequency((8, Gen.Constant(true)), (1, Gen.Constant(false))), 7)
        from clinicHours in Gen.Frequency((3, Gen.Constant<int?>(0)), (1, Gen.Choose(1, 36).Select(m => (int?)(m * 5))), (4, Gen.Constant<int?>(null)))
        from starts in Gen.Frequency((2, Time(0, 8 * 60)), (1, Time(6 * 60, 12 * 60)), (1, Time(0, 22 * 60)))
        from length in Gen.Frequency((1, Gen.Choose(3, 24)), (2, Gen.Choose(25, 120)), (3, Gen.Choose(121, 216))).Select(l => l * 5)
        from gap in Gen.Frequency((3, Gen.Constant<int?>(null)), (1, Gen.Choose(1, 24).Select(g => (int?)(g * 5))))
        from secondLength in Gen.Choose(3, 96).Select(l => l * 5)
        from off in Gen.ListOf(from p in Gen.Elements(plan.Sessions.AsEnumerable()) from d in Gen.Choose(-1, 4) select p.Date.PlusDays(d))
        let ends = Math.Min(Minutes(starts) + length, LastOpening + 5)
        let secondStarts = ends + gap
        select new Rota(
            Guid.Empty,
            [.. works],
            starts,
            LocalTime.Midnight.PlusMinutes(ends),
            secondStarts + 15 <= LastOpening + 5 ? (LocalTime.Midnight.PlusMinutes(secondStarts.Value), LocalTime.Midnight.PlusMinutes(Math.Min(secondStarts.Value + secondLength, LastOpening + 5))) : null,
            [.. off.Take(4)],
            clinicHours);

    /// <summary>The valid shifts the rotas give from just before the plan's first date until well after its last window.</summary>
    private static ImmutableArray<NurseShift> ShiftsOver(ClinicCalendar calendar, TreatmentPlan plan, ImmutableArray<Rota> rotas)
    {
        var dates = new DateInterval(plan.Sessions[0].Date.PlusDays(-3), plan.Sessions[^1].Window.End.PlusDays(Placement.AlternativeHorizonDays + 7));
        return [.. dates.SelectMany(date => rotas.SelectMany(r => r.On(calendar, date))).Where(s => s.IsValid)];
    }

    /// <summary>
    /// The existing bookings, each with a nurse: where staffing is on, the first from a random one on who can take it
    /// beside those already given, and dropped where none can; where it is off, any nurse or none.
    /// </summary>
    private static ImmutableArray<Session> Staff(ClinicCalendar calendar, Nursing nursing, ImmutableArray<Session> existing, int[] picks)
    {
        var nurses = nursing.Rotas.Select(r => r.Nurse).ToList();
        if (!nursing.Staffing.Enabled)
        {
            return [.. existing.Select((s, i) => s with { NurseId = picks[i] % (nurses.Count + 1) < nurses.Count ? nurses[picks[i] % (nurses.Count + 1)] : null })];
        }

        var duty = new Duty(calendar, nursing.Shifts);
        var granted = new List<Session>();
        var held = new List<Nursed>();
        foreach (var (session, pick) in existing.Zip(picks))
        {
            var nurse = Enumerable.Range(0, nurses.Count)
                .Select(k => nurses[(pick + k) % nurses.Count])
                .Where(n => NurseRules.Refuses(nursing.Staffing, duty, held, n, Nursed.Of(session)) is null)
                .Cast<Guid?>()
                .FirstOrDefault();
            if (nurse is not null)
            {
                granted.Add(session with { NurseId = nurse });
                held.Add(Nursed.Of(granted[^1]));
            }
        }

        return [.. granted];
    }

    private static Gen<OpeningInterval> Interval(int fromMinute, int toMinute) =>
        from opens in Gen.Choose(fromMinute / 5, Math.Min(toMinute, LastOpening) / 5).Select(m => m * 5)
        from length in Gen.Frequency((1, Gen.Choose(1, 12)), (4, Gen.Choose(13, 144))).Select(l => l * 5)
        select new OpeningInterval(LocalTime.Midnight.PlusMinutes(opens), LocalTime.Midnight.PlusMinutes(Math.Min(opens + length, 23 * 60 + 55)));

    /// <summary>The wall-clock time just after each offset change in <paramref name="zone"/> from 2016 to 2029.</summary>
    private static LocalDateTime[] Changes(DateTimeZone zone)
    {
        var (from, to) = (Instant.FromUtc(2016, 1, 1, 0, 0), Instant.FromUtc(2030, 1, 1, 0, 0));
        return [.. zone.GetZoneIntervals(from, to).Where(i => i.HasEnd && i.End < to).Select(i => i.End.InZone(zone).LocalDateTime)];
    }

    private static int Minutes(LocalTime time) => time.Hour * 60 + time.Minute;

    private sealed record BookingWish(LocalDate Date, int Chair, Guid Patient, bool NearPreferred, int Pick, int InfusionMinutes, int ObservationMinutes);
}
