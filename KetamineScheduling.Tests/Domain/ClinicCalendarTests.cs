using KetamineScheduling.Domain.Calendar;
using NodaTime;
using static KetamineScheduling.Tests.Domain.Clinic;

namespace KetamineScheduling.Tests.Domain;

public sealed class ClinicCalendarTests
{
    private static readonly OpeningHours SplitMondays = new(
    [
        (IsoDayOfWeek.Monday, new OpeningInterval(new LocalTime(13, 0), new LocalTime(17, 0))),
        (IsoDayOfWeek.Monday, new OpeningInterval(new LocalTime(8, 0), new LocalTime(12, 0))),
    ]);

    [Fact]
    public void A_weekday_without_hours_or_a_closed_date_is_closed()
    {
        var calendar = Calendar(closed: [new LocalDate(2027, 1, 12)]);

        Assert.True(calendar.IsOpenOn(MondayJanuary11));
        Assert.False(calendar.IsOpenOn(new LocalDate(2027, 1, 12)));
        Assert.False(calendar.IsOpenOn(new LocalDate(2027, 1, 17)));
        Assert.Empty(calendar.HoursOn(new LocalDate(2027, 1, 12)));
    }

    [Fact]
    public void The_next_open_day_skips_closed_dates_and_weekdays()
    {
        var calendar = Calendar(closed: [new LocalDate(2027, 1, 18)]);

        Assert.Equal(new LocalDate(2027, 1, 19), calendar.NextOpenDay(new LocalDate(2027, 1, 17)));
        Assert.Equal(MondayJanuary11, calendar.NextOpenDay(MondayJanuary11));
    }

    [Fact]
    public void The_next_open_day_is_looked_for_within_a_year_and_no_further()
    {
        var start = new LocalDate(2027, 1, 1);
        var closedForAYear = Enumerable.Range(0, ClinicCalendar.SearchHorizonDays).Select(start.PlusDays);
        var calendar = Calendar(days: EveryDay, closed: closedForAYear);

        Assert.Null(calendar.NextOpenDay(start));
        Assert.Equal(start.PlusDays(ClinicCalendar.SearchHorizonDays), calendar.NextOpenDay(start.PlusDays(1)));
    }

    [Fact]
    public void A_week_without_any_hours_is_never_open()
    {
        var closed = new OpeningHours([]);

        Assert.False(closed.IsOpenAnyDay);
        Assert.Empty(closed.All);
        Assert.False(Calendar(hours: closed).IsOpenOn(MondayJanuary11));
    }

    [Fact]
    public void A_split_day_lists_its_intervals_earliest_first()
    {
        Assert.Equal(["08:00-12:00", "13:00-17:00"], SplitMondays.On(IsoDayOfWeek.Monday).Select(i => i.ToString()));
        Assert.Empty(SplitMondays.On(IsoDayOfWeek.Tuesday));
        Assert.Equal(2, SplitMondays.All.Count());
        Assert.True(SplitMondays.IsOpenAnyDay);
    }

    [Fact]
    public void Chair_time_must_fit_inside_one_interval_of_a_split_day()
    {
        var calendar = Calendar(hours: SplitMondays, slotMinutes: 60);

        var starts = calendar.StartsOn(MondayJanuary11, Duration.FromMinutes(85));

        Assert.Equal([8, 9, 10, 13, 14, 15], starts.Select(s => s.Hour));
        Assert.False(calendar.FitsOpeningHours(MondayJanuary11.At(new LocalTime(11, 0)), Duration.FromMinutes(85)));
    }

    [Fact]
    public void Chair_time_that_fills_the_morning_to_closing_lists_each_start_of_a_split_day_once()
    {
        var calendar = Calendar(hours: SplitMondays, slotMinutes: 60);

        var starts = calendar.StartsOn(MondayJanuary11, Duration.FromMinutes(60));

        Assert.Equal([8, 9, 10, 11, 13, 14, 15, 16], starts.Select(s => s.Hour));
    }

    [Fact]
    public void A_start_with_seconds_is_off_the_slot_grid()
    {
        var calendar = Calendar(slotMinutes: 30);

        Assert.True(calendar.IsOnSlotGrid(new LocalTime(8, 30)));
        Assert.False(calendar.IsOnSlotGrid(new LocalTime(8, 30, 30)));
        Assert.False(calendar.IsOnSlotGrid(new LocalTime(8, 30).PlusMilliseconds(1)));
    }

    [Fact]
    public void Starts_align_to_the_slot_grid_from_an_opening_time_off_it()
    {
        var hours = OpeningHours.Weekdays(new LocalTime(8, 10), new LocalTime(10, 0));
        var calendar = Calendar(hours: hours, slotMinutes: 30);

        Assert.Equal([new LocalTime(8, 30)], calendar.StartsOn(MondayJanuary11, Duration.FromMinutes(85)).Select(s => s.TimeOfDay));
        Assert.True(calendar.IsOnSlotGrid(new LocalTime(8, 30)));
        Assert.False(calendar.IsOnSlotGrid(new LocalTime(8, 10)));
    }

    [Fact]
    public void Overlapping_hours_on_one_day_are_refused() =>
        Assert.Throws<ArgumentException>(() => new OpeningHours(
        [
            (IsoDayOfWeek.Monday, new OpeningInterval(new LocalTime(8, 0), new LocalTime(12, 0))),
            (IsoDayOfWeek.Monday, new OpeningInterval(new LocalTime(11, 0), new LocalTime(17, 0))),
        ]));

    [Fact]
    public void Back_to_back_hours_on_one_day_do_not_overlap_and_are_allowed()
    {
        var morning = new OpeningInterval(new LocalTime(8, 0), new LocalTime(12, 0));
        var afternoon = new OpeningInterval(new LocalTime(12, 0), new LocalTime(17, 0));

        var hours = new OpeningHours([(IsoDayOfWeek.Monday, afternoon), (IsoDayOfWeek.Monday, morning)]);

        Assert.False(morning.Overlaps(afternoon));
        Assert.False(afternoon.Overlaps(morning));
        Assert.Equal(["08:00-12:00", "12:00-17:00"], hours.On(IsoDayOfWeek.Monday).Select(i => i.ToString()));
    }

    [Fact]
    public void Hours_on_a_day_that_is_not_a_weekday_are_refused_and_such_a_day_has_none()
    {
        Assert.Throws<ArgumentException>(() => new OpeningHours([(IsoDayOfWeek.None, new OpeningInterval(new LocalTime(8, 0), new LocalTime(12, 0)))]));
        Assert.Empty(SplitMondays.On(IsoDayOfWeek.None));
        Assert.Empty(SplitMondays.On((IsoDayOfWeek)8));
    }

    [Fact]
    public void A_calendar_needs_a_time_zone_and_opening_hours()
    {
        Assert.Throws<ArgumentNullException>(() => new ClinicCalendar(null!, SplitMondays));
        Assert.Throws<ArgumentNullException>(() => new ClinicCalendar(Zone("Europe/London"), null!));
    }

    [Fact]
    public void An_interval_must_close_after_it_opens() =>
        Assert.Throws<ArgumentException>(() => new OpeningInterval(new LocalTime(12, 0), new LocalTime(12, 0)));

    [Theory]
    [InlineData(7)]
    [InlineData(45)]
    public void A_slot_size_must_divide_an_hour_in_fives(int slotMinutes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar(slotMinutes: slotMinutes));

    [Theory]
    [InlineData(-1, null)]
    [InlineData(121, null)]
    [InlineData(15, 0)]
    public void Turnover_and_the_starts_per_slot_limit_are_checked(int turnoverMinutes, int? maxStartsPerSlot) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar(turnoverMinutes: turnoverMinutes, maxStartsPerSlot: maxStartsPerSlot));
}
