using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Reports;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Tests.Domain.Reports;

public sealed class UtilizationReportTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly Chair A = new(Guid.NewGuid(), "A");
    private static readonly Chair B = new(Guid.NewGuid(), "B");
    private static readonly LocalDate Monday = new(2027, 1, 11);

    /// <summary>Open 08:00 to 12:00 every day, with 15 minutes' cleaning.</summary>
    private static ClinicCalendar Mornings(params LocalDate[] closed) =>
        new(London, OpeningHours.On(Clinic.EveryDay, new LocalTime(8, 0), new LocalTime(12, 0)), closed);

    private static Session At(Chair chair, LocalDateTime start, SessionStatus status = SessionStatus.Booked, int infusion = 40, DateTimeZone? zone = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), chair.Id, start.InZoneLeniently(zone ?? London), new SessionLength(infusion, 30, 15), status: status);

    [Fact]
    public void The_example_in_the_docs_two_chairs_one_session_and_a_no_show()
    {
        var report = UtilizationReport.For(Mornings(), new DateInterval(Monday, Monday), [A, B],
            [At(A, Monday.At(new LocalTime(9, 0))), At(B, Monday.At(new LocalTime(10, 0)), SessionStatus.NoShow)]);

        Assert.Equal(new Utilization(240, 85, 1, 0, 0), report.Cells[0].Utilization);
        Assert.Equal(35.4m, report.Cells[0].Utilization.UtilizationPercent);
        Assert.Equal(new Utilization(240, 0, 0, 1, 0), report.Cells[1].Utilization);
        Assert.Equal(0m, report.Cells[1].Utilization.UtilizationPercent);
        Assert.Equal(new Utilization(480, 85, 1, 1, 0), report.Total);
        Assert.Equal(17.7m, report.Total.UtilizationPercent);
    }

    [Fact]
    public void Completed_sessions_count_as_booked_and_cancellations_hold_no_chair_time()
    {
        var report = UtilizationReport.For(Mornings(), new DateInterval(Monday, Monday), [A],
        [
            At(A, Monday.At(new LocalTime(8, 0)), SessionStatus.Completed),
            At(A, Monday.At(new LocalTime(9, 30)), SessionStatus.CheckedIn),
            At(A, Monday.At(new LocalTime(11, 0)), SessionStatus.Cancelled),
        ]);

        Assert.Equal(new Utilization(240, 170, 2, 0, 1), report.Total);
    }

    [Fact]
    public void A_closed_date_has_no_open_minutes_and_no_percentage()
    {
        var report = UtilizationReport.For(Mornings(Monday), new DateInterval(Monday, Monday.PlusDays(1)), [A], []);

        Assert.Equal(Utilization.None, report.Days[0].Utilization);
        Assert.Null(report.Days[0].Utilization.UtilizationPercent);
        Assert.Equal(240, report.Days[1].Utilization.OpenMinutes);
        Assert.Equal(new Utilization(240, 0, 0, 0, 0), report.ChairTotals[0].Utilization);
    }

    [Fact]
    public void Chair_time_past_closing_is_not_booked_time_so_a_day_never_passes_100_percent()
    {
        // Booked before the clinic moved its closing time to 12:00: 11:30 to 13:05 holds 30 minutes of open time.
        var report = UtilizationReport.For(Mornings(), new DateInterval(Monday, Monday), [A],
            [At(A, Monday.At(new LocalTime(8, 0)), infusion: 60), At(A, Monday.At(new LocalTime(11, 30)), infusion: 50)]);

        Assert.Equal(105 + 30, report.Total.BookedMinutes);
        Assert.True(report.Total.UtilizationPercent <= 100);
    }

    [Fact]
    public void The_spring_forward_night_is_an_hour_shorter_in_a_clinic_open_round_the_clock_hours()
    {
        var spring = new LocalDate(2027, 3, 28);
        var nights = new ClinicCalendar(London, OpeningHours.On(Clinic.EveryDay, new LocalTime(0, 0), new LocalTime(4, 0)));

        var report = UtilizationReport.For(nights, new DateInterval(spring.PlusDays(-1), spring), [A], []);

        Assert.Equal([240, 180], report.Days.Select(d => d.Utilization.OpenMinutes));
    }

    [Fact]
    public void A_chair_out_of_service_is_reported_only_where_it_held_sessions()
    {
        var idle = new Chair(Guid.NewGuid(), "Idle", InService: false);
        var retired = new Chair(Guid.NewGuid(), "Retired", InService: false);

        var report = UtilizationReport.For(Mornings(), new DateInterval(Monday, Monday.PlusDays(1)), [A, idle, retired],
            [At(retired, Monday.At(new LocalTime(9, 0)))]);

        Assert.Equal([A, retired], report.Chairs.AsEnumerable());
        Assert.Equal(4, report.Cells.Length);
    }

    [Fact]
    public void On_a_split_day_a_session_counts_only_in_the_interval_it_is_in()
    {
        var split = new OpeningHours(Clinic.EveryDay.SelectMany(d => new[]
        {
            (d, new OpeningInterval(new LocalTime(8, 0), new LocalTime(12, 0))),
            (d, new OpeningInterval(new LocalTime(13, 0), new LocalTime(17, 0))),
        }));

        var report = UtilizationReport.For(new ClinicCalendar(London, split), new DateInterval(Monday, Monday), [A], [At(A, Monday.At(new LocalTime(9, 0)))]);

        Assert.Equal(new Utilization(480, 85, 1, 0, 0), report.Total);
    }

    [Fact]
    public void A_chair_out_of_service_whose_sessions_are_all_outside_the_dates_is_not_reported()
    {
        var retired = new Chair(Guid.NewGuid(), "Retired", InService: false);

        var report = UtilizationReport.For(Mornings(), new DateInterval(Monday, Monday), [A, retired],
            [At(retired, Monday.PlusDays(1).At(new LocalTime(9, 0)))]);

        Assert.Equal([A], report.Chairs.AsEnumerable());
    }

    [Fact]
    public void A_report_needs_a_calendar_and_dates()
    {
        Assert.Throws<ArgumentNullException>(() => UtilizationReport.For(null!, new DateInterval(Monday, Monday), [A], []));
        Assert.Throws<ArgumentNullException>(() => UtilizationReport.For(Mornings(), null!, [A], []));
    }

    [Fact]
    public void Figures_add_up_only_with_other_figures_and_the_sum_of_none_is_none()
    {
        Assert.Throws<ArgumentNullException>(() => Utilization.None + null!);
        Assert.Throws<ArgumentNullException>(() => null! + Utilization.None);
        Assert.Equal(Utilization.None, Utilization.Sum([]));
        Assert.Equal(Utilization.None, Utilization.Sum(null!));
    }

    [Fact]
    public void Sessions_outside_the_dates_or_on_other_chairs_are_not_counted()
    {
        var report = UtilizationReport.For(Mornings(), new DateInterval(Monday, Monday), [A],
            [At(A, Monday.PlusDays(1).At(new LocalTime(9, 0))), At(B, Monday.At(new LocalTime(9, 0)))]);

        Assert.Equal(new Utilization(240, 0, 0, 0, 0), report.Total);
    }

    [Fact]
    public void The_totals_per_date_and_per_chair_add_up_to_the_whole()
    {
        var week = new DateInterval(Monday, Monday.PlusDays(6));
        var sessions = week.SelectMany(d => new[] { At(A, d.At(new LocalTime(8, 0))), At(B, d.At(new LocalTime(9, 0)), SessionStatus.NoShow), At(B, d.At(new LocalTime(10, 30))) });

        var report = UtilizationReport.For(Mornings(Monday.PlusDays(3)), week, [A, B], sessions);

        Assert.Equal(report.Total, Utilization.Sum(report.Days.Select(d => d.Utilization)));
        Assert.Equal(report.Total, Utilization.Sum(report.ChairTotals.Select(c => c.Utilization)));
        // The closed Thursday's sessions (booked before it closed) are counted, but hold no open time.
        Assert.Equal(new Utilization(6 * 480, 6 * 170, 14, 7, 0), report.Total);
    }

    [Fact]
    public void A_report_covers_at_most_92_days()
    {
        var longest = new DateInterval(Monday, Monday.PlusDays(UtilizationReport.MaxDays - 1));

        Assert.Equal(92, UtilizationReport.For(Mornings(), longest, [A], []).Days.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => UtilizationReport.For(Mornings(), new DateInterval(Monday, longest.End.PlusDays(1)), [A], []));
    }

    [Theory]
    [InlineData(1, 3, 33.3)]
    [InlineData(2, 3, 66.7)]
    [InlineData(1, 8, 12.5)]
    [InlineData(1, 16, 6.3)]
    [InlineData(540, 540, 100)]
    public void Utilisation_is_rounded_to_one_place_half_away_from_zero(int booked, int open, double percent)
    {
        Assert.Equal((decimal)percent, new Utilization(open, booked, 0, 0, 0).UtilizationPercent);
    }
}

public sealed class TreatmentOutcomesTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly LocalDate Start = new(2027, 1, 11);
    private static readonly DateInterval January = new(new LocalDate(2027, 1, 1), new LocalDate(2027, 1, 31));

    /// <summary>When the reports below are made: after every session of their plans.</summary>
    private static readonly Instant Later = Instant.FromUtc(2027, 6, 1, 0, 0);

    /// <summary>A plan of <paramref name="statuses"/>.Length induction sessions two days apart from <paramref name="first"/>, with these statuses.</summary>
    private static PlanHistory Plan(LocalDate first, CourseStatus? outcome, params SessionStatus[] statuses)
    {
        var id = Guid.NewGuid();
        var sessions = statuses.Select((status, i) => new Session(
            Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), first.PlusDays(2 * i).At(new LocalTime(10, 0)).InZoneLeniently(London),
            new SessionLength(40, 30, 15), id, i + 1, Phase.Induction, status)).ToList();
        return new PlanHistory(id, statuses.Length, statuses.Length, sessions, outcome);
    }

    private static PlanHistory Plan(params SessionStatus[] statuses) => Plan(Start, null, statuses);

    private const SessionStatus Done = SessionStatus.Completed;
    private const SessionStatus Missed = SessionStatus.NoShow;
    private const SessionStatus Off = SessionStatus.Cancelled;
    private const SessionStatus Booked = SessionStatus.Booked;

    [Fact]
    public void Five_plans_one_stopped_after_its_first_infusion()
    {
        var outcomes = TreatmentOutcomes.For(January,
        [
            Plan(Done, Done, Done),
            Plan(Done, Done, Done),
            Plan(Done, Missed, Done),
            Plan(Done, Off, Off),
            Plan(Done, Done, Booked),
        ], Later);

        Assert.Equal(5, outcomes.PlansStarted);
        Assert.Equal(2, outcomes.InductionCompleted);
        Assert.Equal(1, outcomes.StoppedAfterFirstSession);
        Assert.Equal(0.4m, outcomes.CompletionRate);
        Assert.Equal(0.0833m, outcomes.NoShowRate); // 1 of the 12 sessions that were due: 11 completed and the no-show
    }

    [Fact]
    public void A_plan_starts_on_its_first_session_that_was_not_cancelled()
    {
        var december = Plan(new LocalDate(2026, 12, 30), null, Done, Done);
        var movedIntoJanuary = Plan(new LocalDate(2026, 12, 30), null, Off, Done, Done);
        var february = Plan(new LocalDate(2027, 2, 1), null, Done);

        var outcomes = TreatmentOutcomes.For(January, [december, movedIntoJanuary, february], Later);

        Assert.Equal(1, outcomes.PlansStarted);
        Assert.Equal(new LocalDate(2027, 1, 1), movedIntoJanuary.FirstSession!.Start.Date);
    }

    [Fact]
    public void Missing_the_first_session_and_still_booked_is_not_stopping_and_a_plan_of_one_session_never_stops()
    {
        Assert.False(Plan(Missed, Booked).StoppedAfterFirstSession);
        Assert.False(Plan(Done).StoppedAfterFirstSession);
        Assert.True(Plan(Done, Missed, Missed).StoppedAfterFirstSession);
        Assert.False(Plan(Done, SessionStatus.CheckedIn).StoppedAfterFirstSession);
    }

    [Fact]
    public void No_plans_give_counts_of_zero_and_no_rates()
    {
        var outcomes = TreatmentOutcomes.For(January, [], Later);

        Assert.Equal(new TreatmentOutcomes(0, 0, 0, null, null, 0, null, null), outcomes);
    }

    [Fact]
    public void Response_and_remission_are_rated_over_the_plans_with_outcome_measures_only()
    {
        var outcomes = TreatmentOutcomes.For(January,
        [
            Plan(Start, CourseStatus.Remission, Done),
            Plan(Start, CourseStatus.Response, Done),
            Plan(Start, CourseStatus.NonResponse, Done),
            Plan(Start, CourseStatus.PartialResponse, Done),
            Plan(Start, null, Done),
        ], Later);

        Assert.Equal(4, outcomes.PlansWithOutcomeMeasures);
        Assert.Equal(0.5m, outcomes.ResponseRate);
        Assert.Equal(0.25m, outcomes.RemissionRate);
    }

    [Fact]
    public void A_partial_response_is_neither_a_response_nor_a_remission()
    {
        var outcomes = TreatmentOutcomes.For(January,
        [
            Plan(Start, CourseStatus.PartialResponse, Done),
            Plan(Start, CourseStatus.PartialResponse, Done),
            Plan(Start, CourseStatus.Response, Done),
        ], Later);

        Assert.Equal((0.3333m, 0m), (outcomes.ResponseRate, outcomes.RemissionRate));
    }

    [Fact]
    public void A_plan_whose_every_session_was_cancelled_never_started()
    {
        var calledOff = Plan(Off, Off);

        var outcomes = TreatmentOutcomes.For(January, [calledOff, Plan(Done)], Later);

        Assert.Null(calledOff.FirstSession);
        Assert.Equal(1, outcomes.PlansStarted);
    }

    [Fact]
    public void A_plan_whose_first_session_is_still_ahead_has_not_started_and_starts_the_moment_that_session_begins()
    {
        var plan = Plan(Booked, Booked);
        var firstBegins = plan.FirstSession!.Start.ToInstant();

        var before = TreatmentOutcomes.For(January, [plan], firstBegins - Duration.FromMinutes(1));
        var atItsStart = TreatmentOutcomes.For(January, [plan], firstBegins);

        Assert.Equal((0, null), (before.PlansStarted, before.CompletionRate));
        Assert.Equal((1, 0m), (atItsStart.PlansStarted, atItsStart.CompletionRate));
    }

    [Fact]
    public void Outcomes_are_for_a_range_of_dates() =>
        Assert.Throws<ArgumentNullException>(() => TreatmentOutcomes.For(null!, [Plan(Done)], Later));

    [Fact]
    public void Without_outcome_measures_the_response_and_remission_rates_are_null()
    {
        var outcomes = TreatmentOutcomes.For(January, [Plan(Done, Done)], Later);

        Assert.Equal((0, null, null), (outcomes.PlansWithOutcomeMeasures, outcomes.ResponseRate, outcomes.RemissionRate));
    }
}
