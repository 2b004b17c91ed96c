using BenchmarkDotNet.Attributes;
using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Benchmarks;

/// <summary>
/// Places a six-plus-six plan in a 40-chair clinic that already holds 20,000 sessions over a year, and again with
/// 200,000 sessions over ten years at the same density: the two should cost the same, because a placement only
/// looks at the bookings of its own dates.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PlacementBenchmarks
{
    private static readonly LocalDate PlanStart = new(2027, 3, 1);

    private readonly Placement placement = new(new FixedClock(Instant.FromUtc(2027, 1, 1, 0, 0)));
    private ClinicCalendar calendar = null!;
    private IReadOnlyList<Chair> chairs = null!;
    private TreatmentPlan plan = null!;
    private SessionLength length = null!;
    private ChairOccupancy yearOfBookings = null!;
    private ChairOccupancy decadeOfBookings = null!;

    [GlobalSetup]
    public void Setup()
    {
        var days = new[] { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday };
        calendar = new ClinicCalendar(DateTimeZoneProviders.Tzdb["Europe/London"], OpeningHours.On(days, new LocalTime(8, 0), new LocalTime(20, 0)));
        chairs = [.. Enumerable.Range(1, 40).Select(n => new Chair(Guid.NewGuid(), $"Chair {n}"))];
        length = new SessionLength(Protocol.Default.InfusionMinutes, Protocol.Default.ObservationMinutes, calendar.TurnoverMinutes);
        var planned = PlanningRule.Plan(calendar, Protocol.Default, PlanStart);
        plan = new TreatmentPlan(Guid.NewGuid(), Guid.NewGuid(), Protocol.Default, PlanStart, new LocalTime(10, 0), planned.Sessions);
        yearOfBookings = new ChairOccupancy(ExistingBookings.Generate(calendar, chairs, new LocalDate(2027, 1, 1), years: 1, count: 20_000));
        decadeOfBookings = new ChairOccupancy(ExistingBookings.Generate(calendar, chairs, new LocalDate(2022, 1, 1), years: 10, count: 200_000));
        if (!Place(yearOfBookings).Succeeded || !Place(decadeOfBookings).Succeeded)
        {
            throw new InvalidOperationException("The benchmark plan does not fit the generated clinic.");
        }
    }

    [Benchmark(Baseline = true, Description = "6+6 plan, 20,000 bookings")]
    public PlacementResult Among20000Bookings() => Place(yearOfBookings);

    [Benchmark(Description = "6+6 plan, 200,000 bookings")]
    public PlacementResult Among200000Bookings() => Place(decadeOfBookings);

    private PlacementResult Place(ChairOccupancy occupancy) => placement.Place(calendar, plan, chairs, occupancy, length, Guid.NewGuid);
}
