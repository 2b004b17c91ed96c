using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;
using NodaTime.Testing;

namespace KetamineScheduling.Tests.Domain;

/// <summary>The clinics, chairs, plans and bookings the example tests are written against.</summary>
internal static class Clinic
{
    public static readonly IsoDayOfWeek[] MondayToSaturday =
    [
        IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday,
        IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday,
    ];

    public static readonly IsoDayOfWeek[] EveryDay = [.. MondayToSaturday, IsoDayOfWeek.Sunday];

    /// <summary>The start date of the example plan.</summary>
    public static readonly LocalDate MondayJanuary11 = new(2027, 1, 11);

    /// <summary>The Wednesday of the example, the day of its second session.</summary>
    public static readonly LocalDate January13 = new(2027, 1, 13);

    /// <summary>The preferred start of the example plans.</summary>
    public static readonly LocalTime Ten = new(10, 0);

    /// <summary>A patient whose plans the tests place.</summary>
    public static readonly Guid Patient = Id(9_000);

    /// <summary>Another patient, whose sessions take chairs.</summary>
    public static readonly Guid OtherPatient = Id(9_001);

    public static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];

    /// <summary>A clinic open 08:00 to 20:00 on <paramref name="days"/> (Monday to Saturday when none are given).</summary>
    public static ClinicCalendar Calendar(
        string zone = "Europe/London",
        IEnumerable<IsoDayOfWeek>? days = null,
        IEnumerable<LocalDate>? closed = null,
        int slotMinutes = 15,
        int turnoverMinutes = 15,
        int? maxStartsPerSlot = null,
        OpeningHours? hours = null) =>
        new(
            Zone(zone),
            hours ?? OpeningHours.On(days ?? MondayToSaturday, new LocalTime(8, 0), new LocalTime(20, 0)),
            closed,
            slotMinutes,
            turnoverMinutes,
            maxStartsPerSlot);

    /// <summary>A readable, repeatable id: 00000000-0000-0000-0000-00000000000n.</summary>
    public static Guid Id(int n) => new($"00000000-0000-0000-0000-{n:D12}");

    /// <summary>Chairs named A, B, C, ... with ids 1, 2, 3, ...</summary>
    public static IReadOnlyList<Chair> Chairs(int count) =>
        [.. Enumerable.Range(1, count).Select(n => new Chair(Id(n), ((char)('A' + n - 1)).ToString()))];

    /// <summary>Session ids counting up from 1,000, one per call.</summary>
    public static Func<Guid> SessionIds()
    {
        var next = 1_000;
        return () => Id(next++);
    }

    /// <summary>A clock at midnight UTC on <paramref name="date"/>; 2027-01-01 when none is given.</summary>
    public static FakeClock ClockAt(LocalDate? date = null) =>
        new((date ?? new LocalDate(2027, 1, 1)).AtMidnight().InUtc().ToInstant());

    public static Protocol Protocol(InductionCycle? induction = null, MaintenanceCycle? maintenance = null, int infusionMinutes = 40, int observationMinutes = 30) =>
        new(infusionMinutes, observationMinutes, induction ?? InductionCycle.Default, maintenance ?? MaintenanceCycle.None);

    public static SessionLength LengthFor(Protocol protocol, ClinicCalendar calendar) =>
        new(protocol.InfusionMinutes, protocol.ObservationMinutes, calendar.TurnoverMinutes);

    /// <summary>The planned dates of <paramref name="protocol"/> from <paramref name="start"/>, as a draft plan for <see cref="Patient"/>.</summary>
    public static TreatmentPlan Plan(ClinicCalendar calendar, Protocol protocol, LocalDate start, LocalTime? preferred = null, Guid? patient = null)
    {
        var planned = PlanningRule.Plan(calendar, protocol, start);
        Assert.True(planned.Succeeded, planned.Failure?.Reason);
        return new TreatmentPlan(Id(8_000), patient ?? Patient, protocol, start, preferred ?? new LocalTime(10, 0), planned.Sessions);
    }

    /// <summary>A booked session of <paramref name="patient"/> in <paramref name="chair"/> at a local start.</summary>
    public static Session Booked(ClinicCalendar calendar, Chair chair, LocalDateTime start, SessionLength length, Guid? patient = null, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), patient ?? OtherPatient, chair.Id, calendar.AtClinicTime(start), length);

    /// <summary>Two six-hour sessions of <see cref="OtherPatient"/> that hold a chair from 08:00 to 20:00.</summary>
    public static IEnumerable<Session> FullDay(ClinicCalendar calendar, Chair chair, LocalDate date)
    {
        var sixHours = new SessionLength(60, 240, 60);
        yield return Booked(calendar, chair, date.At(new LocalTime(8, 0)), sixHours);
        yield return Booked(calendar, chair, date.At(new LocalTime(14, 0)), sixHours);
    }

    public static ChairOccupancy Occupancy(params IEnumerable<Session> sessions) => new(sessions.Select(s => s.ToBooking()));

    /// <summary>Places <paramref name="plan"/> with the clock at <see cref="ClockAt"/>'s default.</summary>
    public static PlacementResult Place(ClinicCalendar calendar, TreatmentPlan plan, IReadOnlyList<Chair> chairs, ChairOccupancy? occupancy = null) =>
        new Placement(ClockAt()).Place(calendar, plan, chairs, occupancy ?? ChairOccupancy.Empty, LengthFor(plan.Protocol, calendar), SessionIds());

    /// <summary>The local dates of sessions, for comparing with a list of days.</summary>
    public static LocalDate[] Dates(this IEnumerable<Session> sessions) => [.. sessions.Select(s => s.Start.Date)];

    public static LocalDate[] Dates(this IEnumerable<PlannedSession> sessions) => [.. sessions.Select(s => s.Date)];

    /// <summary>Days of one month, as local dates.</summary>
    public static LocalDate[] Days(int year, int month, params int[] days) => [.. days.Select(d => new LocalDate(year, month, d))];
}
