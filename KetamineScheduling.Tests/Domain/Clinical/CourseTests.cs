using KetamineScheduling.Domain.Clinical;
using NodaTime;

namespace KetamineScheduling.Tests.Domain.Clinical;

public sealed class CourseTests
{
    private static readonly LocalDateTime FirstSession = new(2027, 1, 11, 9, 0);

    [Fact]
    public void Exactly_50_percent_below_baseline_is_a_response() =>
        AssertStatus(Instrument.Pcl5, 60, 30, "response", -50.0m);

    [Fact]
    public void A_fall_of_49_2_percent_is_only_a_partial_response() =>
        AssertStatus(Instrument.Pcl5, 59, 30, "partial-response", -49.2m);

    [Fact]
    public void Exactly_25_percent_below_baseline_is_a_partial_response() =>
        AssertStatus(Instrument.Phq9, 20, 15, "partial-response", -25.0m);

    [Fact]
    public void Exactly_24_percent_below_baseline_is_a_non_response() =>
        AssertStatus(Instrument.Pcl5, 50, 38, "non-response", -24.0m);

    [Fact]
    public void A_total_above_baseline_is_a_non_response_with_a_positive_change() =>
        AssertStatus(Instrument.Phq9, 10, 15, "non-response", 50.0m);

    [Fact]
    public void A_phq9_of_4_is_remission_even_where_it_is_also_a_response() =>
        AssertStatus(Instrument.Phq9, 20, 4, "remission", -80.0m);

    [Fact]
    public void A_phq9_of_5_is_not_remission_however_far_it_fell() =>
        AssertStatus(Instrument.Phq9, 20, 5, "response", -75.0m);

    [Fact]
    public void A_gad7_of_4_is_remission_even_when_the_fall_is_small() =>
        AssertStatus(Instrument.Gad7, 5, 4, "remission", -20.0m);

    [Fact]
    public void A_pcl5_or_pain_total_of_4_is_never_remission()
    {
        AssertStatus(Instrument.Pcl5, 6, 4, "partial-response", -33.3m);
        AssertStatus(Instrument.PainNrs, 8, 0, "response", -100.0m);
    }

    [Fact]
    public void The_change_is_rounded_to_one_place_half_away_from_zero() =>
        AssertStatus(Instrument.Phq9, 16, 15, "non-response", -6.3m);

    [Fact]
    public void Without_a_baseline_the_status_is_no_baseline_and_there_is_no_change() =>
        AssertStatus(Instrument.Phq9, null, 8, "no-baseline", null);

    [Fact]
    public void A_baseline_of_0_has_no_percentage_and_no_response()
    {
        var course = Evaluate(Instrument.PainNrs, 0, 3, stage: CourseStage.InductionCompleted);

        Assert.Equal((CourseStatus.NonResponse, (decimal?)null), (course.Status, course.ChangeFromBaselinePercent));
        Assert.Equal("Induction is complete. The Pain NRS was 0 at baseline and is 3 now: no response. The prescriber should review the plan.", course.Recommendation.Reason);
    }

    [Fact]
    public void With_only_a_baseline_the_baseline_is_the_latest() =>
        AssertStatus(Instrument.Phq9, 18, null, "non-response", 0.0m);

    [Fact]
    public void A_completed_induction_with_a_response_says_start_maintenance_with_the_numbers()
    {
        var course = Evaluate(Instrument.Phq9, 18, 8, stage: CourseStage.InductionCompleted);

        Assert.Equal(CourseAction.StartMaintenance, course.Recommendation.Action);
        Assert.Equal(
            "Induction is complete. The PHQ-9 was 18 at baseline and is 8 now, 55.6% below baseline: a response. Plan maintenance infusions.",
            course.Recommendation.Reason);
    }

    [Fact]
    public void A_completed_induction_in_remission_says_start_maintenance() =>
        Assert.Equal(
            new Recommendation(CourseAction.StartMaintenance, "Induction is complete. The GAD-7 was 12 at baseline and is 3 now, 75.0% below baseline: remission. Plan maintenance infusions."),
            Evaluate(Instrument.Gad7, 12, 3, stage: CourseStage.InductionCompleted).Recommendation);

    [Fact]
    public void A_completed_induction_with_a_worse_total_says_how_far_above_baseline_it_is() =>
        Assert.Equal(
            "Induction is complete. The PHQ-9 was 10 at baseline and is 15 now, 50.0% above baseline: no response. The prescriber should review the plan.",
            Evaluate(Instrument.Phq9, 10, 15, stage: CourseStage.InductionCompleted).Recommendation.Reason);

    [Fact]
    public void A_completed_induction_without_any_assessment_says_none_was_taken_and_goes_to_the_prescriber() =>
        Assert.Equal(
            new Recommendation(CourseAction.ReviewWithPrescriber, "Induction is complete. No PHQ-9 has been taken, so there is no baseline to judge by. The prescriber should review the plan."),
            Evaluate(Instrument.Phq9, null, null, stage: CourseStage.InductionCompleted).Recommendation);

    [Fact]
    public void A_pain_rating_of_0_at_baseline_and_still_0_is_no_response()
    {
        var course = Evaluate(Instrument.PainNrs, 0, 0, stage: CourseStage.InductionCompleted);

        Assert.Equal((CourseStatus.NonResponse, CourseAction.ReviewWithPrescriber), (course.Status, course.Recommendation.Action));
    }

    [Fact]
    public void A_completed_induction_with_a_partial_response_goes_to_the_prescriber()
    {
        var course = Evaluate(Instrument.Phq9, 20, 14, stage: CourseStage.InductionCompleted);

        Assert.Equal(CourseAction.ReviewWithPrescriber, course.Recommendation.Action);
        Assert.Equal(
            "Induction is complete. The PHQ-9 was 20 at baseline and is 14 now, 30.0% below baseline: a partial response. The prescriber should review the plan.",
            course.Recommendation.Reason);
    }

    [Fact]
    public void A_completed_induction_without_a_baseline_goes_to_the_prescriber()
    {
        var course = Evaluate(Instrument.Phq9, null, 6, stage: CourseStage.InductionCompleted);

        Assert.Equal(CourseAction.ReviewWithPrescriber, course.Recommendation.Action);
        Assert.Contains("The latest PHQ-9 is 6, but none was taken in the 30 days before the first session", course.Recommendation.Reason);
    }

    [Fact]
    public void While_induction_runs_nothing_is_recommended_even_on_a_response()
    {
        var course = Evaluate(Instrument.Phq9, 20, 6, stage: CourseStage.InductionRunning);

        Assert.Equal(CourseStatus.Response, course.Status);
        Assert.Equal(
            new Recommendation(CourseAction.None, "Induction is still running; the course is judged after its last session. The PHQ-9 was 20 at baseline and is 6 now, 70.0% below baseline: a response."),
            course.Recommendation);
    }

    [Fact]
    public void In_maintenance_a_rise_of_exactly_5_points_is_a_booster_even_in_the_mild_band()
    {
        var course = Evaluate(Instrument.Phq9, 20, 7, postInduction: 2, stage: CourseStage.InMaintenance);

        Assert.Equal(CourseAction.BoosterDue, course.Recommendation.Action);
        Assert.Equal("The latest PHQ-9 is 7 against 2 after induction, 5 points up: a booster infusion is due.", course.Recommendation.Reason);
    }

    [Fact]
    public void In_maintenance_a_rise_of_4_points_within_the_mild_band_holds()
    {
        var course = Evaluate(Instrument.Phq9, 20, 6, postInduction: 2, stage: CourseStage.InMaintenance);

        Assert.Equal(CourseAction.None, course.Recommendation.Action);
        Assert.Equal("The latest PHQ-9 is 6 against 2 after induction, in the mild band: maintenance is holding.", course.Recommendation.Reason);
    }

    [Fact]
    public void In_maintenance_a_total_back_in_the_moderate_band_is_a_booster_however_small_the_rise()
    {
        var course = Evaluate(Instrument.Phq9, 20, 10, postInduction: 9, stage: CourseStage.InMaintenance);

        Assert.Equal(CourseAction.BoosterDue, course.Recommendation.Action);
        Assert.Equal("The latest PHQ-9 is 10 against 9 after induction, in the moderate band: a booster infusion is due.", course.Recommendation.Reason);
    }

    [Fact]
    public void In_maintenance_a_total_at_the_top_of_the_mild_band_holds() =>
        Assert.Equal(CourseAction.None, Evaluate(Instrument.Phq9, 20, 9, postInduction: 9, stage: CourseStage.InMaintenance).Recommendation.Action);

    [Fact]
    public void In_maintenance_without_a_post_induction_total_only_the_band_counts()
    {
        Assert.Equal(CourseAction.None, Evaluate(Instrument.PainNrs, 8, 3, stage: CourseStage.InMaintenance).Recommendation.Action);
        Assert.Equal(CourseAction.BoosterDue, Evaluate(Instrument.PainNrs, 8, 4, stage: CourseStage.InMaintenance).Recommendation.Action);
        Assert.Equal("The latest Pain NRS is 3, in the mild band: maintenance is holding.", Evaluate(Instrument.PainNrs, 8, 3, stage: CourseStage.InMaintenance).Recommendation.Reason);
    }

    [Fact]
    public void In_maintenance_a_pcl5_back_over_the_cut_off_is_a_booster() =>
        Assert.Equal(CourseAction.BoosterDue, Evaluate(Instrument.Pcl5, 60, 33, postInduction: 30, stage: CourseStage.InMaintenance).Recommendation.Action);

    [Fact]
    public void In_maintenance_without_any_assessment_nothing_is_recommended() =>
        Assert.Equal(
            new Recommendation(CourseAction.None, "No PHQ-9 has been taken, so maintenance cannot be judged."),
            Evaluate(Instrument.Phq9, null, null, stage: CourseStage.InMaintenance).Recommendation);

    [Fact]
    public void A_clinic_may_ask_for_a_larger_fall_and_a_smaller_rise()
    {
        var strict = new CourseThresholds(responsePercent: 60, boosterRisePoints: 3, boosterBand: Severity.ModeratelySevere);

        Assert.Equal(CourseStatus.PartialResponse, Course.Evaluate(Instrument.Phq9, 20, 10, null, CourseStage.InductionCompleted, strict).Status);
        Assert.Equal(CourseAction.BoosterDue, Course.Evaluate(Instrument.Phq9, 20, 8, 5, CourseStage.InMaintenance, strict).Recommendation.Action);
        Assert.Equal(CourseAction.None, Course.Evaluate(Instrument.Phq9, 20, 14, 12, CourseStage.InMaintenance, strict).Recommendation.Action);
    }

    [Theory]
    [InlineData(50, 0, 4, 5, Severity.Moderate)]
    [InlineData(20, 25, 4, 5, Severity.Moderate)]
    [InlineData(101, 25, 4, 5, Severity.Moderate)]
    [InlineData(50, 25, -1, 5, Severity.Moderate)]
    [InlineData(50, 25, 4, 0, Severity.Moderate)]
    [InlineData(50, 25, 4, 5, (Severity)99)]
    public void Thresholds_a_clinic_could_not_mean_are_refused(int response, int partial, int remission, int rise, Severity band) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CourseThresholds(response, partial, remission, rise, band));

    [Fact]
    public void The_course_is_judged_by_the_clinics_thresholds_and_the_assessments_given()
    {
        Assert.Throws<ArgumentNullException>(() => Course.Evaluate(Instrument.Phq9, 18, 8, null, CourseStage.InductionCompleted, null!));
        Assert.Throws<ArgumentNullException>(() => Course.Latest(null!, Instrument.Phq9));
    }

    [Fact]
    public void A_total_outside_the_measure_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Evaluate(Instrument.Gad7, 22, 10));

    [Fact]
    public void The_baseline_is_the_latest_assessment_of_the_measure_in_the_30_days_before_the_first_session()
    {
        var chosen = Assessment(Instrument.Phq9, 17, FirstSession.PlusDays(-3));
        var assessments = new[]
        {
            Assessment(Instrument.Phq9, 20, FirstSession.PlusDays(-10)),
            chosen,
            Assessment(Instrument.Gad7, 15, FirstSession.PlusDays(-1)),
            Assessment(Instrument.Phq9, 12, FirstSession.PlusDays(-2), retracted: true),
            Assessment(Instrument.Phq9, 9, FirstSession.PlusMinutes(1)),
        };

        Assert.Same(chosen, Course.Baseline(assessments, Instrument.Phq9, FirstSession));
    }

    [Fact]
    public void An_assessment_exactly_30_days_before_counts_and_one_a_minute_earlier_does_not()
    {
        var atTheEdge = Assessment(Instrument.Phq9, 17, FirstSession.PlusDays(-30));
        var tooEarly = Assessment(Instrument.Phq9, 17, FirstSession.PlusDays(-30).PlusMinutes(-1));

        Assert.Same(atTheEdge, Course.Baseline([atTheEdge], Instrument.Phq9, FirstSession));
        Assert.Null(Course.Baseline([tooEarly], Instrument.Phq9, FirstSession));
    }

    [Fact]
    public void A_questionnaire_filled_in_at_the_first_sessions_start_is_the_baseline()
    {
        var atCheckIn = Assessment(Instrument.Phq9, 19, FirstSession);

        Assert.Same(atCheckIn, Course.Baseline([Assessment(Instrument.Phq9, 21, FirstSession.PlusDays(-5)), atCheckIn], Instrument.Phq9, FirstSession));
    }

    [Fact]
    public void The_post_induction_total_is_the_latest_from_the_last_induction_session_until_maintenance_begins()
    {
        var lastInduction = FirstSession.PlusDays(12);
        var firstMaintenance = lastInduction.PlusDays(28);
        var afterInduction = Assessment(Instrument.Phq9, 6, lastInduction.PlusDays(7));
        var assessments = new[]
        {
            Assessment(Instrument.Phq9, 10, lastInduction.PlusDays(-2)),
            Assessment(Instrument.Phq9, 8, lastInduction),
            afterInduction,
            Assessment(Instrument.Phq9, 4, lastInduction.PlusDays(8), retracted: true),
            Assessment(Instrument.Phq9, 9, firstMaintenance),
        };

        Assert.Same(afterInduction, Course.PostInduction(assessments, Instrument.Phq9, lastInduction, firstMaintenance));
        Assert.Same(assessments[^1], Course.PostInduction(assessments, Instrument.Phq9, lastInduction, null));
        Assert.Same(assessments[^1], Course.Latest(assessments, Instrument.Phq9));
        Assert.Null(Course.PostInduction(assessments, Instrument.Phq9, firstMaintenance.PlusMinutes(1), null));
    }

    [Fact]
    public void Of_two_assessments_taken_at_the_same_time_the_later_given_is_the_latest()
    {
        var first = Assessment(Instrument.Phq9, 8, FirstSession);
        var second = Assessment(Instrument.Phq9, 9, FirstSession);

        Assert.Same(second, Course.Latest([first, second], Instrument.Phq9));
    }

    private static CourseAssessment Assessment(Instrument instrument, int total, LocalDateTime takenAt, bool retracted = false) =>
        new(Guid.NewGuid(), instrument, total, takenAt, retracted);

    private static CourseEvaluation Evaluate(Instrument measure, int? baseline, int? latest, int? postInduction = null, CourseStage stage = CourseStage.InductionRunning) =>
        Course.Evaluate(measure, baseline, latest, postInduction, stage, CourseThresholds.Default);

    private static void AssertStatus(Instrument measure, int? baseline, int? latest, string status, decimal? change)
    {
        var course = Evaluate(measure, baseline, latest);

        Assert.Equal((status, change), (course.Status.Code(), course.ChangeFromBaselinePercent));
    }
}
