using KetamineScheduling.Domain.Plans;
using NodaTime;
using static KetamineScheduling.Tests.Domain.Clinic;

namespace KetamineScheduling.Tests.Domain;

public sealed class PlanningRuleTests
{
    [Fact]
    public void The_issue_example_skips_sundays_and_the_closed_wednesday()
    {
        var calendar = Calendar(closed: [new LocalDate(2027, 1, 20)]);
        var protocol = Protocol(maintenance: MaintenanceCycle.Every(2, 28));

        var result = PlanningRule.Plan(calendar, protocol, MondayJanuary11);

        Assert.True(result.Succeeded);
        Assert.Equal(
            [.. Days(2027, 1, 11, 13, 15, 18, 21, 23), new LocalDate(2027, 2, 20), new LocalDate(2027, 3, 20)],
            result.Sessions.Dates());
        Assert.Equal(
            [Phase.Induction, Phase.Induction, Phase.Induction, Phase.Induction, Phase.Induction, Phase.Induction, Phase.Maintenance, Phase.Maintenance],
            result.Sessions.Select(s => s.Phase));
        Assert.Equal(Enumerable.Range(1, 8), result.Sessions.Select(s => s.Sequence));
    }

    [Fact]
    public void Maintenance_planned_after_induction_counts_from_the_date_held_and_numbers_on_from_the_plan()
    {
        var calendar = Calendar();

        // The last induction session was held on Saturday 23 January; 28 days on is Saturday 20 February, and
        // 14 days after that is Saturday 6 March.
        var result = PlanningRule.PlanMaintenance(calendar, new MaintenanceCycle([28, 14]), firstSequence: 7, previous: new LocalDate(2027, 1, 23));

        Assert.True(result.Succeeded);
        Assert.Equal([new LocalDate(2027, 2, 20), new LocalDate(2027, 3, 6)], result.Sessions.Dates());
        Assert.Equal([7, 8], result.Sessions.Select(s => s.Sequence));
        Assert.All(result.Sessions, s => Assert.Equal(Phase.Maintenance, s.Phase));
    }

    [Fact]
    public void Maintenance_due_on_a_closed_sunday_moves_to_the_monday()
    {
        var result = PlanningRule.PlanMaintenance(Calendar(), MaintenanceCycle.Every(1, 29), firstSequence: 3, previous: new LocalDate(2027, 1, 23));

        Assert.Equal([new LocalDate(2027, 2, 22)], result.Sessions.Dates());
    }

    [Fact]
    public void Induction_skips_closed_sundays_and_continues_from_the_date_used()
    {
        var calendar = Calendar();

        var result = PlanningRule.Plan(calendar, Protocol(), new LocalDate(2027, 1, 13));

        Assert.Equal(Days(2027, 1, 13, 15, 18, 20, 22, 25), result.Sessions.Dates());
    }

    [Fact]
    public void A_start_on_a_closed_day_puts_session_one_on_the_next_open_day()
    {
        var calendar = Calendar();

        var result = PlanningRule.Plan(calendar, Protocol(), new LocalDate(2027, 1, 10));

        Assert.Equal(MondayJanuary11, result.Sessions[0].Date);
    }

    [Fact]
    public void A_closure_that_cannot_be_absorbed_fails_naming_the_session_and_the_dates()
    {
        var calendar = Calendar(closed: Days(2027, 1, 19, 20, 21, 22));

        var result = PlanningRule.Plan(calendar, Protocol(), MondayJanuary11);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Sessions);
        var failure = result.Failure!;
        Assert.Equal((5, Phase.Induction, new LocalDate(2027, 1, 20), (LocalDate?)new LocalDate(2027, 1, 23)), (failure.Sequence, failure.Phase, failure.TargetDate, failure.OpenDate));
        Assert.Equal(
            "Induction session 5 was due on 2027-01-20, but the clinic is closed until 2027-01-23: " +
            "5 days after session 4 on 2027-01-18, more than the largest interval of 3 days.",
            failure.Reason);
    }

    [Fact]
    public void An_induction_longer_than_its_span_fails_naming_the_last_session_and_both_ends()
    {
        var calendar = Calendar();
        var tightSpan = new InductionCycle(sessions: 6, intervalDays: 2, maxIntervalDays: 3, maxSpanDays: 10);

        var result = PlanningRule.Plan(calendar, Protocol(tightSpan), MondayJanuary11);

        var failure = result.Failure!;
        Assert.Equal((6, new LocalDate(2027, 1, 22)), (failure.Sequence, failure.OpenDate));
        Assert.Equal(
            "Induction session 6 on 2027-01-22 would end the induction 11 days after it began on 2027-01-11, longer than its span of 10 days.",
            failure.Reason);
    }

    [Fact]
    public void A_closure_that_stretches_the_span_names_the_date_it_was_due_and_the_date_it_could_be()
    {
        var calendar = Calendar(closed: [new LocalDate(2027, 1, 22)]);
        var protocol = Protocol(new InductionCycle(sessions: 6, intervalDays: 2, maxIntervalDays: 3, maxSpanDays: 11));

        var result = PlanningRule.Plan(calendar, protocol, MondayJanuary11);

        Assert.Equal(
            "Induction session 6 was due on 2027-01-22, but the clinic is closed until 2027-01-23, and a session then " +
            "would end the induction 12 days after it began on 2027-01-11, longer than its span of 11 days.",
            result.Failure!.Reason);
    }

    [Fact]
    public void A_clinic_with_no_open_day_in_a_year_fails_naming_session_one()
    {
        var calendar = Calendar(days: [IsoDayOfWeek.Monday], closed: Enumerable.Range(0, 60).Select(w => MondayJanuary11.PlusWeeks(w)));

        var result = PlanningRule.Plan(calendar, Protocol(), MondayJanuary11);

        var failure = result.Failure!;
        Assert.Equal((1, (LocalDate?)null), (failure.Sequence, failure.OpenDate));
        Assert.Equal("Induction session 1 was due on 2027-01-11, but the clinic has no open day within 366 days of it.", failure.Reason);
    }

    [Fact]
    public void Maintenance_starts_one_interval_after_the_last_induction_session_and_skips_closed_days()
    {
        var calendar = Calendar(closed: [new LocalDate(2027, 2, 22)]);
        var protocol = Protocol(maintenance: MaintenanceCycle.Every(2, 30));

        var result = PlanningRule.Plan(calendar, protocol, MondayJanuary11);

        // The last induction session is Friday 22 January; 30 days on is a Sunday, and Monday 22 February is closed.
        Assert.Equal([new LocalDate(2027, 2, 23), new LocalDate(2027, 3, 25)], result.Sessions.Skip(6).Dates());
    }

    [Fact]
    public void A_taper_spaces_maintenance_by_each_interval_in_turn()
    {
        var calendar = Calendar(days: EveryDay);
        var protocol = Protocol(new InductionCycle(2, 2, 3, 21), new MaintenanceCycle([14, 21, 28]));

        var result = PlanningRule.Plan(calendar, protocol, MondayJanuary11);

        Assert.Equal([.. Days(2027, 1, 11, 13, 27), new LocalDate(2027, 2, 17), new LocalDate(2027, 3, 17)], result.Sessions.Dates());
    }

    [Fact]
    public void Induction_windows_end_at_the_largest_interval_or_the_span()
    {
        var calendar = Calendar(days: EveryDay);
        var protocol = Protocol(new InductionCycle(6, 2, 3, 10));

        var result = PlanningRule.Plan(calendar, protocol, MondayJanuary11);

        Assert.Equal(
            [
                new DateInterval(new(2027, 1, 11), new(2027, 1, 12)),
                new DateInterval(new(2027, 1, 13), new(2027, 1, 14)),
                new DateInterval(new(2027, 1, 15), new(2027, 1, 16)),
                new DateInterval(new(2027, 1, 17), new(2027, 1, 18)),
                new DateInterval(new(2027, 1, 19), new(2027, 1, 20)),
                new DateInterval(new(2027, 1, 21), new(2027, 1, 21)),
            ],
            result.Sessions.Select(s => s.Window));
    }

    [Fact]
    public void A_maintenance_window_allows_a_quarter_of_its_interval_up_to_a_week()
    {
        var calendar = Calendar(days: EveryDay);
        var protocol = Protocol(new InductionCycle(1, 2, 3, 21), new MaintenanceCycle([8, 28, 60]));

        var result = PlanningRule.Plan(calendar, protocol, MondayJanuary11);

        Assert.Equal([2, 7, 7], result.Sessions.Skip(1).Select(s => Period.DaysBetween(s.Window.Start, s.Window.End)));
    }

    [Fact]
    public void A_gap_over_a_largest_interval_of_one_day_says_1_day()
    {
        var calendar = Calendar();
        var daily = Protocol(new InductionCycle(sessions: 3, intervalDays: 1, maxIntervalDays: 1, maxSpanDays: 2));

        var result = PlanningRule.Plan(calendar, daily, new LocalDate(2027, 1, 15));

        Assert.Equal(
            "Induction session 3 was due on 2027-01-17, but the clinic is closed until 2027-01-18: " +
            "2 days after session 2 on 2027-01-16, more than the largest interval of 1 day.",
            result.Failure!.Reason);
    }

    [Fact]
    public void Planning_needs_a_calendar_a_protocol_and_an_induction_cycle()
    {
        var calendar = Calendar();

        Assert.Throws<ArgumentNullException>(() => PlanningRule.Plan(null!, Protocol(), MondayJanuary11));
        Assert.Throws<ArgumentNullException>(() => PlanningRule.Plan(calendar, null!, MondayJanuary11));
        Assert.Throws<ArgumentNullException>(() => PlanningRule.PlanMaintenance(null!, MaintenanceCycle.Default, 7, MondayJanuary11));
        Assert.Throws<ArgumentNullException>(() => PlanningRule.PlanMaintenance(calendar, null!, 7, MondayJanuary11));
        Assert.Throws<ArgumentNullException>(() => PlanningRule.InductionBreak(null!, 2, January13, January13, MondayJanuary11, MondayJanuary11));
    }
}
