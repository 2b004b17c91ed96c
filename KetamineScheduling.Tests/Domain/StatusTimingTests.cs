using KetamineScheduling.Domain.Sessions;
using NodaTime;
using static KetamineScheduling.Tests.Domain.Clinic;

namespace KetamineScheduling.Tests.Domain;

public sealed class StatusTimingTests
{
    // Monday 3 May 2027 at 10:00 in London (09:00 UTC, summer time): 40 minutes' infusion and 30 of observation, so
    // the patient leaves at 11:10 local.
    private static readonly Session Session = Booked(Calendar(), Chairs(1)[0], new LocalDateTime(2027, 5, 3, 10, 0), new SessionLength(40, 30, 15));
    private static readonly Instant Start = Instant.FromUtc(2027, 5, 3, 9, 0);
    private static readonly Instant End = Instant.FromUtc(2027, 5, 3, 10, 10);

    private static TimingRefusal? At(SessionStatus wanted, Instant now, int checkInOpensMinutes = StatusTiming.DefaultCheckInOpensMinutes) =>
        StatusTiming.Check(Session, wanted, now, checkInOpensMinutes);

    [Fact]
    public void Check_in_opens_exactly_two_hours_before_the_start_by_default()
    {
        Assert.Null(At(SessionStatus.CheckedIn, Start - Duration.FromMinutes(120)));

        var early = At(SessionStatus.CheckedIn, Start - Duration.FromMinutes(121));

        Assert.Equal("check-in-not-open", early!.Rule);
        Assert.Equal(new LocalDateTime(2027, 5, 3, 8, 0), early.Earliest!.Value.LocalDateTime);
        Assert.Equal(Offset.FromHours(1), early.Earliest.Value.Offset);
        Assert.Equal("Check-in opens 120 minutes before the start, at 2027-05-03T08:00.", early.Reason);
    }

    [Fact]
    public void Check_in_opens_when_the_clinic_says()
    {
        Assert.Null(At(SessionStatus.CheckedIn, Start - Duration.FromMinutes(30), checkInOpensMinutes: 30));
        Assert.Equal("check-in-not-open", At(SessionStatus.CheckedIn, Start - Duration.FromMinutes(31), checkInOpensMinutes: 30)!.Rule);
        Assert.Null(At(SessionStatus.CheckedIn, Start, checkInOpensMinutes: 0));
        Assert.NotNull(At(SessionStatus.CheckedIn, Start - Duration.FromMinutes(1), checkInOpensMinutes: 0));
    }

    [Fact]
    public void Check_in_closes_when_the_session_ends()
    {
        Assert.Null(At(SessionStatus.CheckedIn, End - Duration.FromMinutes(1)));

        var late = At(SessionStatus.CheckedIn, End);

        Assert.Equal("check-in-closed", late!.Rule);
        Assert.Null(late.Earliest);
        Assert.Equal("Check-in closed when the session ended, at 2027-05-03T11:10.", late.Reason);
    }

    [Theory]
    [InlineData(SessionStatus.NoShow, "A no-show can be recorded only once the start has passed, from 2027-05-03T10:00.")]
    [InlineData(SessionStatus.Completed, "A session can be completed only once it has started, from 2027-05-03T10:00.")]
    public void A_no_show_or_a_completion_is_allowed_from_the_start_and_not_a_minute_before(SessionStatus wanted, string reason)
    {
        Assert.Null(At(wanted, Start));
        Assert.Null(At(wanted, End + Duration.FromDays(3)));

        var early = At(wanted, Start - Duration.FromMinutes(1));

        Assert.Equal(("not-started", new LocalDateTime(2027, 5, 3, 10, 0), reason), (early!.Rule, early.Earliest!.Value.LocalDateTime, early.Reason));
    }

    [Fact]
    public void A_session_whose_infusion_started_before_its_booked_time_can_be_completed_before_that_time()
    {
        var early = Start - Duration.FromMinutes(20);

        Assert.Null(StatusTiming.Check(Session with { Status = SessionStatus.InInfusion }, SessionStatus.Completed, early, StatusTiming.DefaultCheckInOpensMinutes));
        Assert.NotNull(StatusTiming.Check(Session with { Status = SessionStatus.CheckedIn }, SessionStatus.Completed, early, StatusTiming.DefaultCheckInOpensMinutes));
    }

    [Fact]
    public void Cancelling_has_no_time_rule()
    {
        Assert.Null(At(SessionStatus.Cancelled, Start - Duration.FromDays(60)));
        Assert.Null(At(SessionStatus.Cancelled, End + Duration.FromDays(1)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1441)]
    public void Check_in_cannot_open_less_than_zero_or_more_than_a_day_ahead(int minutes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => At(SessionStatus.CheckedIn, Start, minutes));

    [Fact]
    public void Timing_is_checked_for_some_session() =>
        Assert.Throws<ArgumentNullException>(() => StatusTiming.Check(null!, SessionStatus.CheckedIn, Start, StatusTiming.DefaultCheckInOpensMinutes));
}
