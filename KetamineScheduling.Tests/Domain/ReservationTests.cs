using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Tests.Domain;

public sealed class ReservationTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    private static Session At10() =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), new LocalDateTime(2027, 5, 3, 10, 0).InZoneLeniently(London), new SessionLength(40, 30, 15));

    [Fact]
    public void A_hold_expires_on_the_whole_second_its_time_runs_out_and_stops_holding_then()
    {
        var now = Instant.FromUtc(2027, 1, 4, 9, 0, 0).PlusNanoseconds(400_000_000);

        var reservation = Reservation.Hold(At10(), now, 60);

        Assert.Equal(Instant.FromUtc(2027, 1, 4, 9, 1, 0), reservation.ExpiresAt);
        Assert.True(reservation.HoldsAt(reservation.ExpiresAt - Duration.FromMilliseconds(1)));
        Assert.False(reservation.HoldsAt(reservation.ExpiresAt));
        Assert.Equal(ReservationStatus.Expired, reservation.StatusAt(reservation.ExpiresAt));
        Assert.Equal(ReservationStatus.Held, reservation.StatusAt(now));
    }

    [Theory]
    [InlineData(59)]
    [InlineData(1801)]
    public void A_hold_outside_60_to_1800_seconds_is_refused(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Reservation.Hold(At10(), Instant.FromUtc(2027, 1, 4, 9, 0), seconds));

    [Fact]
    public void A_released_reservation_stays_released_after_its_expiry()
    {
        var reservation = Reservation.Hold(At10(), Instant.FromUtc(2027, 1, 4, 9, 0)) with { Status = ReservationStatus.Released };

        Assert.Equal(ReservationStatus.Released, reservation.StatusAt(reservation.ExpiresAt + Duration.FromHours(1)));
        Assert.False(reservation.HoldsAt(reservation.CreatedAt));
    }

    [Fact]
    public void A_waitlist_window_fits_only_its_days_and_start_times()
    {
        var window = new WaitlistWindow(new LocalDate(2027, 5, 3), new LocalDate(2027, 5, 9), [IsoDayOfWeek.Wednesday, IsoDayOfWeek.Monday], new LocalTime(9, 0), new LocalTime(12, 0));

        Assert.Equal([new LocalDate(2027, 5, 5)], window.DatesFrom(new LocalDate(2027, 5, 4)));
        Assert.True(window.Fits(new LocalDateTime(2027, 5, 3, 12, 0)));
        Assert.False(window.Fits(new LocalDateTime(2027, 5, 3, 12, 15)));
        Assert.False(window.Fits(new LocalDateTime(2027, 5, 4, 10, 0)));
        Assert.False(window.Fits(new LocalDateTime(2027, 5, 10, 10, 0)));
    }

    [Fact]
    public void A_waitlist_window_longer_than_92_days_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WaitlistWindow(new LocalDate(2027, 1, 1), new LocalDate(2027, 4, 3)));

    [Fact]
    public void A_waitlist_window_that_ends_before_it_begins_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WaitlistWindow(new LocalDate(2027, 5, 9), new LocalDate(2027, 5, 3)));

    [Fact]
    public void A_waitlist_window_runs_from_its_first_date_to_its_last_both_included_on_every_day_when_none_are_named()
    {
        var window = new WaitlistWindow(new LocalDate(2027, 5, 3), new LocalDate(2027, 5, 9));

        Assert.Empty(window.DaysOfWeek);
        Assert.Equal(Enumerable.Range(3, 7).Select(d => new LocalDate(2027, 5, d)), window.DatesFrom(new LocalDate(2027, 5, 1)));
        Assert.True(window.Fits(new LocalDateTime(2027, 5, 9, 19, 0)));
    }

    [Fact]
    public void A_waitlist_window_names_its_days_monday_first_and_each_once()
    {
        var window = new WaitlistWindow(new LocalDate(2027, 5, 3), new LocalDate(2027, 5, 9), [IsoDayOfWeek.Friday, IsoDayOfWeek.Monday, IsoDayOfWeek.Friday]);

        Assert.Equal([IsoDayOfWeek.Monday, IsoDayOfWeek.Friday], window.DaysOfWeek.AsEnumerable());
    }

    [Fact]
    public void A_reservation_holds_some_session_and_expires_after_it_is_made()
    {
        var made = Instant.FromUtc(2027, 1, 4, 9, 0);

        Assert.Throws<ArgumentNullException>(() => new Reservation(null!, made, made + Duration.FromMinutes(5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Reservation(At10(), made, made));
    }
}
