using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;
using NodaTime.Text;
using static KetamineScheduling.Tests.Domain.Clinic;

namespace KetamineScheduling.Tests.Domain;

public sealed class ClinicTimeTests
{
    private static readonly Protocol ThreeSessions = Protocol(new InductionCycle(3, 2, 3, 21));

    private static readonly OpeningHours Nights = OpeningHours.On(EveryDay, new LocalTime(0, 0), new LocalTime(6, 0));

    [Theory]
    [InlineData("Europe/London", "2027-10-27", "+01:00 +01:00 +00:00")]
    [InlineData("America/New_York", "2027-11-03", "-04:00 -04:00 -05:00")]
    [InlineData("Australia/Sydney", "2027-10-01", "+10:00 +11:00 +11:00")]
    public void A_ten_oclock_series_stays_at_ten_local_across_a_daylight_saving_change(string zone, string start, string offsets)
    {
        var calendar = Calendar(zone, EveryDay);
        var startDate = LocalDatePattern.Iso.Parse(start).Value;
        var plan = Plan(calendar, ThreeSessions, startDate, new LocalTime(10, 0));

        var result = Place(calendar, plan, Chairs(1));

        Assert.Equal([startDate, startDate.PlusDays(2), startDate.PlusDays(4)], result.Sessions.Dates());
        Assert.All(result.Sessions, s => Assert.Equal(new LocalTime(10, 0), s.Start.TimeOfDay));
        Assert.Equal(offsets, string.Join(" ", result.Sessions.Select(s => s.Start.Offset.ToString("m", null))));
    }

    [Fact]
    public void London_sessions_either_side_of_the_end_of_summer_time_are_an_hour_apart_in_utc()
    {
        var calendar = Calendar("Europe/London", EveryDay);
        var plan = Plan(calendar, ThreeSessions, new LocalDate(2027, 10, 27));

        var result = Place(calendar, plan, Chairs(1));

        Assert.Equal(
            [Instant.FromUtc(2027, 10, 27, 9, 0), Instant.FromUtc(2027, 10, 29, 9, 0), Instant.FromUtc(2027, 10, 31, 10, 0)],
            result.Sessions.Select(s => s.Start.ToInstant()));
    }

    [Fact]
    public void A_local_time_the_clocks_skip_moves_forward_by_the_gap()
    {
        var calendar = Calendar("Europe/London");

        var start = calendar.AtClinicTime(new LocalDateTime(2027, 3, 28, 1, 30));

        Assert.Equal((new LocalDateTime(2027, 3, 28, 2, 30), Offset.FromHours(1)), (start.LocalDateTime, start.Offset));
        Assert.False(calendar.Exists(new LocalDateTime(2027, 3, 28, 1, 30)));
    }

    [Fact]
    public void A_local_time_that_happens_twice_means_the_first_at_the_summer_offset()
    {
        var calendar = Calendar("America/New_York");

        var start = calendar.AtClinicTime(new LocalDateTime(2027, 11, 7, 1, 30));

        Assert.Equal(Offset.FromHours(-4), start.Offset);
        Assert.True(calendar.Exists(new LocalDateTime(2027, 11, 7, 1, 30)));
    }

    [Fact]
    public void Starts_on_a_spring_forward_night_skip_the_missing_hour()
    {
        var calendar = Calendar("Europe/London", hours: Nights, slotMinutes: 30);

        var starts = calendar.StartsOn(new LocalDate(2027, 3, 28), Duration.FromMinutes(60));

        Assert.Equal(
            ["00:00", "00:30", "02:00", "02:30", "03:00", "03:30", "04:00", "04:30", "05:00"],
            starts.Select(s => s.TimeOfDay.ToString("HH:mm", null)));
    }

    [Fact]
    public void Chair_time_over_the_spring_forward_change_is_as_long_as_it_really_is()
    {
        var calendar = Calendar("Europe/London", hours: OpeningHours.On(EveryDay, new LocalTime(0, 0), new LocalTime(2, 30)));
        var start = new LocalDateTime(2027, 3, 28, 0, 30);

        // 85 minutes from 00:30 GMT end at 02:55 BST, after closing, although 00:30 + 85 minutes reads 01:55.
        Assert.False(calendar.FitsOpeningHours(start, Duration.FromMinutes(85)));
        Assert.True(calendar.FitsOpeningHours(start, Duration.FromMinutes(60)));
    }

    [Fact]
    public void Chair_time_over_the_fall_back_change_is_as_long_as_it_really_is()
    {
        var calendar = Calendar("Europe/London", hours: OpeningHours.On(EveryDay, new LocalTime(0, 0), new LocalTime(2, 0)));
        var start = new LocalDateTime(2027, 10, 31, 1, 0);

        // From 01:00 BST the clinic has two real hours until 02:00 GMT.
        Assert.True(calendar.FitsOpeningHours(start, Duration.FromMinutes(120)));
        Assert.False(calendar.FitsOpeningHours(start, Duration.FromMinutes(125)));
    }

    [Fact]
    public void A_closing_time_the_clocks_skip_closes_the_clinic_when_they_skip_it()
    {
        var calendar = Calendar("Europe/London", hours: OpeningHours.On(EveryDay, new LocalTime(0, 0), new LocalTime(1, 30)));
        var start = new LocalDateTime(2027, 3, 28, 0, 0);

        // At 01:00 GMT the clocks jump to 02:00 BST, past 01:30: the clinic has closed by then.
        Assert.True(calendar.FitsOpeningHours(start, Duration.FromMinutes(60)));
        Assert.False(calendar.FitsOpeningHours(start, Duration.FromMinutes(85)));
    }

    [Fact]
    public void An_opening_time_the_clocks_skip_opens_the_clinic_when_they_skip_it()
    {
        var calendar = Calendar("Europe/London", hours: OpeningHours.On(EveryDay, new LocalTime(1, 30), new LocalTime(6, 0)));

        var starts = calendar.StartsOn(new LocalDate(2027, 3, 28), Duration.FromMinutes(60));

        Assert.Equal(new LocalDateTime(2027, 3, 28, 2, 0), starts.First());
    }

    [Fact]
    public void A_move_to_a_skipped_local_time_books_the_time_after_the_gap()
    {
        var calendar = Calendar("Europe/London", hours: Nights);
        var length = LengthFor(Protocol(), calendar);
        var session = Booked(calendar, Chairs(1)[0], new LocalDateTime(2027, 3, 27, 1, 0), length);

        var result = new Rescheduling(ClockAt()).Move(calendar, null, session, new LocalDateTime(2027, 3, 28, 1, 30), null, false, [], Occupancy(session));

        Assert.True(result.Succeeded, result.Refused?.Reason);
        Assert.Equal(new LocalDateTime(2027, 3, 28, 2, 30), result.Moved[0].Start.LocalDateTime);
    }

    [Fact]
    public void Every_local_time_on_a_chatham_spring_forward_day_resolves_without_an_exception()
    {
        var calendar = Calendar("Pacific/Chatham", hours: Nights);
        var springForward = new LocalDate(2027, 9, 26);

        var resolved = Enumerable.Range(0, 24 * 60).Select(m => calendar.AtClinicTime(springForward + LocalTime.Midnight.PlusMinutes(m))).ToList();

        // The clocks go from 02:45 +12:45 to 03:45 +13:45, so 03:00 is read as 04:00.
        Assert.Equal(new LocalTime(4, 0), resolved[3 * 60].TimeOfDay);
        Assert.Equal(Offset.FromHoursAndMinutes(13, 45), resolved[3 * 60].Offset);
        Assert.Equal(60, Enumerable.Range(0, 24 * 60).Count(m => resolved[m].LocalDateTime != springForward + LocalTime.Midnight.PlusMinutes(m)));
    }
}
