using System.Collections.Immutable;
using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;
using static KetamineScheduling.Tests.Domain.Clinic;

namespace KetamineScheduling.Tests.Domain;

public sealed class ReschedulingTests
{
    private readonly IReadOnlyList<Chair> chairs = Chairs(3);

    [Fact]
    public void Moving_a_session_to_a_free_time_and_chair_moves_only_that_session()
    {
        var (calendar, plan, sessions) = PlacedSeries();

        var result = Move(calendar, plan, sessions, 3, new LocalDateTime(2027, 1, 16, 9, 0), chairs[1].Id);

        var moved = Assert.Single(result.Moved);
        Assert.Equal((sessions[2].Id, new LocalDateTime(2027, 1, 16, 9, 0), chairs[1].Id), (moved.Id, moved.Start.LocalDateTime, moved.ChairId));
    }

    [Fact]
    public void Moving_onto_a_taken_chair_is_refused()
    {
        var (calendar, plan, sessions) = PlacedSeries();
        var other = Booked(calendar, chairs[0], new LocalDateTime(2027, 1, 15, 11, 30), LengthFor(plan.Protocol, calendar));

        var result = Move(calendar, plan, sessions, 3, new LocalDateTime(2027, 1, 15, 11, 0), extra: [other]);

        Assert.Empty(result.Moved);
        Assert.Equal((sessions[2].Id, Obstacle.ChairTaken), (result.Refused!.Value.Session.Id, result.Refused.Value.Obstacle));
        Assert.Equal("Session 3 cannot start at 2027-01-15T11:00: the chair is taken.", result.Refused.Value.Reason);
    }

    [Fact]
    public void A_move_into_its_own_old_time_does_not_collide_with_itself()
    {
        var (calendar, plan, sessions) = PlacedSeries();

        var result = Move(calendar, plan, sessions, 3, new LocalDateTime(2027, 1, 15, 10, 30));

        Assert.True(result.Succeeded, result.Refused?.Reason);
    }

    [Fact]
    public void Shifting_the_following_sessions_moves_every_later_session_of_the_plan_maintenance_included()
    {
        // Six induction sessions on 11, 13, 15, 18, 20 and 22 January, then maintenance on 19 February and 19 March.
        var (calendar, plan, sessions) = PlacedSeries(Protocol(maintenance: MaintenanceCycle.Every(2, 28)));

        var result = Move(calendar, plan, sessions, 2, new LocalDateTime(2027, 1, 14, 10, 0), shiftFollowing: true);

        Assert.True(result.Succeeded, result.Refused?.Reason);
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], result.Moved.Select(s => s.Sequence!.Value));
        Assert.Equal([.. Days(2027, 1, 14, 16, 19, 21, 23), new LocalDate(2027, 2, 20), new LocalDate(2027, 3, 20)], result.Moved.Dates());
        Assert.All(result.Moved, s => Assert.Equal((Ten, chairs[0].Id), (s.Start.TimeOfDay, s.ChairId)));
    }

    [Fact]
    public void Shifting_from_a_maintenance_session_moves_the_maintenance_after_it()
    {
        var (calendar, plan, sessions) = PlacedSeries(Protocol(maintenance: MaintenanceCycle.Every(2, 28)));

        var result = Move(calendar, plan, sessions, 7, new LocalDateTime(2027, 2, 23, 10, 0), shiftFollowing: true);

        Assert.Equal([7, 8], result.Moved.Select(s => s.Sequence!.Value));
        Assert.Equal([new LocalDate(2027, 2, 23), new LocalDate(2027, 3, 23)], result.Moved.Dates());
    }

    [Fact]
    public void A_maintenance_session_may_slip_by_its_slack_but_no_further()
    {
        // 28 days after 22 January is 19 February; a 28-day interval tolerates seven days more, to 26 February.
        var (calendar, plan, sessions) = PlacedSeries(Protocol(maintenance: MaintenanceCycle.Every(2, 28)));

        var withinSlack = Move(calendar, plan, sessions, 7, new LocalDateTime(2027, 2, 26, 10, 0));
        var pastSlack = Move(calendar, plan, sessions, 7, new LocalDateTime(2027, 2, 27, 10, 0), shiftFollowing: true);

        Assert.True(withinSlack.Succeeded, withinSlack.Refused?.Reason);
        Assert.Equal((7, Obstacle.MaintenanceLate), (pastSlack.Refused!.Value.Session.Sequence, pastSlack.Refused.Value.Obstacle));
        Assert.Equal("Session 7 cannot start at 2027-02-27T10:00: a maintenance session would come later than its interval and slack allow.", pastSlack.Refused.Value.Reason);
    }

    [Fact]
    public void A_shift_that_changes_only_the_time_of_day_moves_only_the_session_itself()
    {
        var (calendar, plan, sessions) = PlacedSeries(Protocol(maintenance: MaintenanceCycle.Every(2, 28)));

        var result = Move(calendar, plan, sessions, 2, new LocalDateTime(2027, 1, 13, 11, 0), shiftFollowing: true);

        var moved = Assert.Single(result.Moved);
        Assert.Equal((sessions[1].Id, new LocalDateTime(2027, 1, 13, 11, 0)), (moved.Id, moved.Start.LocalDateTime));
    }

    [Fact]
    public void Shifting_across_the_end_of_summer_time_keeps_the_local_time()
    {
        var (calendar, plan, sessions) = PlacedSeries(start: new LocalDate(2027, 10, 25));

        var result = Move(calendar, plan, sessions, 2, new LocalDateTime(2027, 10, 28, 10, 0), shiftFollowing: true);

        Assert.Equal([new LocalDate(2027, 10, 28), new LocalDate(2027, 10, 30), .. Days(2027, 11, 2, 4, 6)], result.Moved.Dates());
        Assert.All(result.Moved, s => Assert.Equal(Ten, s.Start.TimeOfDay));
        Assert.Equal([1, 1, 0, 0, 0], result.Moved.Select(s => s.Start.Offset.Seconds / 3600));
    }

    [Fact]
    public void A_shift_that_lands_a_following_session_on_a_closed_day_is_refused()
    {
        var (calendar, plan, sessions) = PlacedSeries();

        var result = Move(calendar, plan, sessions, 5, new LocalDateTime(2027, 1, 22, 10, 0), shiftFollowing: true);

        Assert.Equal((6, Obstacle.ClinicClosed), (result.Refused!.Value.Session.Sequence, result.Refused.Value.Obstacle));
        Assert.Equal("Session 6 cannot start at 2027-01-24T10:00: the clinic is closed that day.", result.Refused.Value.Reason);
    }

    [Fact]
    public void Moving_a_session_onto_the_same_date_as_the_next_one_is_refused_even_at_another_time()
    {
        var (calendar, plan, sessions) = PlacedSeries();

        var result = Move(calendar, plan, sessions, 3, new LocalDateTime(2027, 1, 18, 14, 0));

        Assert.Equal((3, Obstacle.OutOfOrder), (result.Refused!.Value.Session.Sequence, result.Refused.Value.Obstacle));
    }

    [Fact]
    public void Moving_a_session_past_the_next_one_is_refused()
    {
        var (calendar, plan, sessions) = PlacedSeries();

        var result = Move(calendar, plan, sessions, 3, new LocalDateTime(2027, 1, 19, 10, 0));

        Assert.Equal((3, Obstacle.OutOfOrder), (result.Refused!.Value.Session.Sequence, result.Refused.Value.Obstacle));
    }

    [Fact]
    public void Moving_an_induction_session_past_the_largest_interval_is_refused()
    {
        var (calendar, plan, sessions) = PlacedSeries();

        var result = Move(calendar, plan, sessions, 6, new LocalDateTime(2027, 1, 26, 10, 0));

        Assert.Equal((6, Obstacle.InductionBroken), (result.Refused!.Value.Session.Sequence, result.Refused.Value.Obstacle));
        Assert.Equal("Session 6 cannot start at 2027-01-26T10:00: the induction would break its largest interval or its span.", result.Refused.Value.Reason);
    }

    [Fact]
    public void Moving_the_first_session_earlier_cannot_stretch_the_induction_past_its_span()
    {
        // Every three days, at most seven apart, all within six days: 13, 16 and 19 January.
        var (calendar, plan, sessions) = PlacedSeries(Protocol(new InductionCycle(3, 3, 7, 6)), new LocalDate(2027, 1, 13), EveryDay);

        var result = Move(calendar, plan, sessions, 1, new LocalDateTime(2027, 1, 12, 10, 0));

        Assert.Equal((1, Obstacle.InductionBroken), (result.Refused!.Value.Session.Sequence, result.Refused.Value.Obstacle));
    }

    [Fact]
    public void A_checked_in_session_cannot_move()
    {
        var (calendar, plan, sessions) = PlacedSeries();
        sessions = sessions.SetItem(2, sessions[2].MoveTo(SessionStatus.CheckedIn)!);

        var result = Move(calendar, plan, sessions, 3, new LocalDateTime(2027, 1, 15, 11, 0));

        Assert.Equal(Obstacle.NotMovable, result.Refused!.Value.Obstacle);
    }

    [Fact]
    public void A_move_to_a_time_already_passed_is_refused()
    {
        var (calendar, plan, sessions) = PlacedSeries();

        var result = new Rescheduling(ClockAt(new LocalDate(2027, 1, 14))).Move(
            calendar, plan.Protocol, sessions[1], new LocalDateTime(2027, 1, 13, 15, 0), null, false, sessions, Occupancy(sessions));

        Assert.Equal(Obstacle.InThePast, result.Refused!.Value.Obstacle);
    }

    [Fact]
    public void A_no_show_interrupting_an_induction_is_reported()
    {
        var (_, plan, sessions) = PlacedSeries();

        var afterNoShow = sessions.SetItem(2, sessions[2].MoveTo(SessionStatus.NoShow)!);

        Assert.False(Rescheduling.IsInductionInterrupted(plan.Protocol.Induction, sessions));
        Assert.True(Rescheduling.IsInductionInterrupted(plan.Protocol.Induction, afterNoShow));
    }

    [Fact]
    public void A_cancelled_last_induction_session_does_not_interrupt_the_induction()
    {
        var (_, plan, sessions) = PlacedSeries();

        var afterCancel = sessions.SetItem(5, sessions[5].MoveTo(SessionStatus.Cancelled)!);

        Assert.False(Rescheduling.IsInductionInterrupted(plan.Protocol.Induction, afterCancel));
    }

    [Fact]
    public void After_a_no_show_the_next_session_may_still_change_its_time_of_day()
    {
        var (calendar, plan, sessions) = PlacedSeries();
        sessions = sessions.SetItem(2, sessions[2].MoveTo(SessionStatus.NoShow)!);

        var result = Move(calendar, plan, sessions, 4, new LocalDateTime(2027, 1, 18, 14, 0));

        Assert.True(result.Succeeded, result.Refused?.Reason);
    }

    [Fact]
    public void After_a_no_show_a_move_that_widens_the_gap_further_is_refused()
    {
        var (calendar, plan, sessions) = PlacedSeries();
        sessions = sessions.SetItem(2, sessions[2].MoveTo(SessionStatus.NoShow)!);

        var result = Move(calendar, plan, sessions, 4, new LocalDateTime(2027, 1, 19, 10, 0));

        Assert.Equal((4, Obstacle.InductionBroken), (result.Refused!.Value.Session.Sequence, result.Refused.Value.Obstacle));
    }

    [Fact]
    public void Shifting_the_following_sessions_may_not_stretch_the_induction_past_its_span_and_the_refusal_names_the_session_that_would()
    {
        // Every three days, at most seven apart, all within six days: 13, 16 and 19 January. Moving session 2 a day
        // later with the rest puts session 3 on the 20th, seven days after the first.
        var (calendar, plan, sessions) = PlacedSeries(Protocol(new InductionCycle(3, 3, 7, 6)), new LocalDate(2027, 1, 13), EveryDay);

        var result = Move(calendar, plan, sessions, 2, new LocalDateTime(2027, 1, 17, 10, 0), shiftFollowing: true);

        Assert.Equal((3, Obstacle.InductionBroken), (result.Refused!.Value.Session.Sequence, result.Refused.Value.Obstacle));
    }

    [Fact]
    public void A_cancelled_session_holds_no_place_in_the_order_so_the_next_may_move_before_its_date()
    {
        var (calendar, plan, sessions) = PlacedSeries();
        sessions = sessions.SetItem(2, sessions[2].MoveTo(SessionStatus.Cancelled)!);

        // Session 3 was on Friday 15 January; session 4 moves from Monday 18 to Thursday 14, and 5 and 6 with it.
        var result = Move(calendar, plan, sessions, 4, new LocalDateTime(2027, 1, 14, 10, 0), shiftFollowing: true);

        Assert.True(result.Succeeded, result.Refused?.Reason);
        Assert.Equal(Days(2027, 1, 14, 16, 18), result.Moved.Dates());
    }

    [Fact]
    public void After_a_cancelled_maintenance_session_the_next_is_timed_from_the_last_session_held_and_may_not_move_later()
    {
        var (calendar, plan, sessions) = PlacedSeries(Protocol(maintenance: MaintenanceCycle.Every(2, 28)));
        sessions = sessions.SetItem(6, sessions[6].MoveTo(SessionStatus.Cancelled)!);

        // Session 7 on 19 February is cancelled, so session 8 on 19 March is already 56 days after session 6.
        var result = Move(calendar, plan, sessions, 8, new LocalDateTime(2027, 3, 20, 10, 0));

        Assert.Equal((8, Obstacle.MaintenanceLate), (result.Refused!.Value.Session.Sequence, result.Refused.Value.Obstacle));
    }

    [Fact]
    public void Moving_a_maintenance_session_so_early_that_the_next_comes_too_late_after_it_is_refused_on_the_session_moved()
    {
        var (calendar, plan, sessions) = PlacedSeries(Protocol(maintenance: MaintenanceCycle.Every(2, 28)));

        // Session 8 stays on 19 March: 36 days after 11 February, one more than 28 days and seven of slack.
        var result = Move(calendar, plan, sessions, 7, new LocalDateTime(2027, 2, 11, 10, 0));

        Assert.Equal((7, Obstacle.MaintenanceLate), (result.Refused!.Value.Session.Sequence, result.Refused.Value.Obstacle));
    }

    [Fact]
    public void Rescheduling_needs_a_clock_the_session_the_plan_sessions_and_the_occupancy()
    {
        var (calendar, plan, sessions) = PlacedSeries();
        var checkedIn = sessions[2].MoveTo(SessionStatus.CheckedIn)!;
        var start = new LocalDateTime(2027, 1, 15, 11, 0);
        var rescheduling = new Rescheduling(ClockAt());

        Assert.Throws<ArgumentNullException>(() => new Rescheduling(null!));
        Assert.Throws<ArgumentNullException>(() => rescheduling.Move(calendar, plan.Protocol, null!, start, null, false, sessions, Occupancy(sessions)));
        Assert.Throws<ArgumentNullException>(() => rescheduling.Move(calendar, plan.Protocol, checkedIn, start, null, false, null!, Occupancy(sessions)));
        Assert.Throws<ArgumentNullException>(() => rescheduling.Move(calendar, plan.Protocol, checkedIn, start, null, false, sessions, null!));
        Assert.Throws<ArgumentNullException>(() => checkedIn.MovedTo(null!, start, checkedIn.ChairId));
        Assert.Throws<ArgumentNullException>(() => Rescheduling.IsInductionInterrupted(null!, []));
    }

    /// <summary>A six-session induction placed at 10:00 in chair A from Monday 11 January (or <paramref name="start"/>).</summary>
    private (ClinicCalendar Calendar, TreatmentPlan Plan, ImmutableArray<Session> Sessions) PlacedSeries(Protocol? protocol = null, LocalDate? start = null, IEnumerable<IsoDayOfWeek>? days = null)
    {
        var calendar = Calendar(days: days);
        var plan = Plan(calendar, protocol ?? Protocol(), start ?? MondayJanuary11);
        var placed = Place(calendar, plan, chairs);
        Assert.True(placed.Succeeded);
        return (calendar, plan, placed.Sessions);
    }

    private static RescheduleResult Move(
        ClinicCalendar calendar,
        TreatmentPlan plan,
        ImmutableArray<Session> sessions,
        int sequence,
        LocalDateTime start,
        Guid? chairId = null,
        bool shiftFollowing = false,
        IEnumerable<Session>? extra = null) =>
        new Rescheduling(ClockAt()).Move(
            calendar,
            plan.Protocol,
            sessions[sequence - 1],
            start,
            chairId,
            shiftFollowing,
            sessions,
            Occupancy(sessions.Where(s => s.Status.HoldsChair()).Concat(extra ?? [])));
}
