using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace KetamineScheduling.Tests.Domain.Properties;

public sealed class ClinicCalendarProperties
{
    private static readonly Gen<int> ChairMinutes = Gen.Choose(8, 84).Select(m => m * 5);

    [Fact]
    public void Chair_time_fits_opening_hours_exactly_when_the_wall_clock_says_the_clinic_is_open_throughout() =>
        Checks.ForAll(Generators.AroundAnOffsetChange.Zip(ChairMinutes), c =>
        {
            var ((calendar, date), minutes) = c;
            var chairTime = Duration.FromMinutes(minutes);
            foreach (var start in Rules.GridStarts(calendar, date))
            {
                Assert.True(
                    Rules.InsideHours(calendar, date, start.ToInstant(), chairTime) == calendar.FitsOpeningHours(start.LocalDateTime, chairTime),
                    $"{calendar.Hours.On(date.DayOfWeek)[0]} on {date}: {start} for {minutes} minutes");
            }
        }, runs: 300);

    [Fact]
    public void The_starts_on_a_day_are_the_grid_times_that_exist_and_fit() =>
        Checks.ForAll(Generators.AroundAnOffsetChange.Zip(ChairMinutes), c =>
        {
            var ((calendar, date), minutes) = c;
            var chairTime = Duration.FromMinutes(minutes);

            var expected = Rules.GridStarts(calendar, date).Where(s => Rules.InsideHours(calendar, date, s.ToInstant(), chairTime)).Select(s => s.LocalDateTime);

            Assert.Equal(expected, calendar.StartsOn(date, chairTime));
        }, runs: 300);
}
