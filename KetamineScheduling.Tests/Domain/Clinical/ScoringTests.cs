using KetamineScheduling.Domain.Clinical;

namespace KetamineScheduling.Tests.Domain.Clinical;

public sealed class ScoringTests
{
    /// <summary>PHQ-9 by Kroenke 2001, GAD-7 by Spitzer 2006, the pain scale's usual reading, PCL-5 either side of 33.</summary>
    [Theory]
    [InlineData("phq9", 0, "minimal")]
    [InlineData("phq9", 4, "minimal")]
    [InlineData("phq9", 5, "mild")]
    [InlineData("phq9", 9, "mild")]
    [InlineData("phq9", 10, "moderate")]
    [InlineData("phq9", 14, "moderate")]
    [InlineData("phq9", 15, "moderately-severe")]
    [InlineData("phq9", 19, "moderately-severe")]
    [InlineData("phq9", 20, "severe")]
    [InlineData("phq9", 24, "severe")]
    [InlineData("gad7", 0, "minimal")]
    [InlineData("gad7", 4, "minimal")]
    [InlineData("gad7", 5, "mild")]
    [InlineData("gad7", 9, "mild")]
    [InlineData("gad7", 10, "moderate")]
    [InlineData("gad7", 14, "moderate")]
    [InlineData("gad7", 15, "severe")]
    [InlineData("gad7", 21, "severe")]
    [InlineData("pain-nrs", 0, "none")]
    [InlineData("pain-nrs", 1, "mild")]
    [InlineData("pain-nrs", 3, "mild")]
    [InlineData("pain-nrs", 4, "moderate")]
    [InlineData("pain-nrs", 6, "moderate")]
    [InlineData("pain-nrs", 7, "severe")]
    [InlineData("pain-nrs", 10, "severe")]
    [InlineData("pcl5", 0, "mild")]
    [InlineData("pcl5", 32, "mild")]
    [InlineData("pcl5", 33, "moderate")]
    [InlineData("pcl5", 80, "moderate")]
    public void A_total_falls_in_its_instruments_published_band(string instrument, int total, string severity)
    {
        Assert.True(WireCodes.TryParse<Instrument>(instrument, out var parsed));
        var result = Scoring.Score(parsed, Answers.Totalling(parsed, total));

        AssertScore(result, total, severity, parsed == Instrument.Pcl5 && total >= 33 ? ["probable-ptsd"] : []);
        Assert.Equal(severity, InstrumentScale.Of(parsed).SeverityOf(total).Code());
    }

    [Fact]
    public void The_highest_phq9_total_of_27_is_severe_and_flags_item_9() =>
        AssertScore(Phq9.Score([3, 3, 3, 3, 3, 3, 3, 3, 3]), 27, "severe", "self-harm-item-positive");

    [Fact]
    public void A_pcl5_total_of_33_is_probable_ptsd() =>
        AssertScore(Pcl5.Score(Answers.Totalling(Instrument.Pcl5, 33)), 33, "moderate", "probable-ptsd");

    [Fact]
    public void A_phq9_with_item_9_above_0_is_flagged_whatever_the_total() =>
        AssertScore(Phq9.Score([0, 0, 0, 0, 0, 0, 0, 0, 1]), 1, "minimal", "self-harm-item-positive");

    [Fact]
    public void A_phq9_with_a_high_total_but_item_9_at_0_raises_no_flag() =>
        AssertScore(Phq9.Score([3, 3, 3, 3, 3, 3, 3, 3, 0]), 24, "severe");

    [Fact]
    public void Only_item_9_raises_the_self_harm_flag() =>
        AssertScore(Phq9.Score([0, 0, 0, 0, 0, 0, 0, 3, 0]), 3, "minimal");

    [Fact]
    public void A_gad7_raises_no_flag_even_at_its_highest() =>
        AssertScore(Gad7.Score([3, 3, 3, 3, 3, 3, 3]), 21, "severe");

    [Fact]
    public void One_phq9_answer_says_1_was_given() =>
        Assert.Equal<FieldProblem>([new FieldProblem("answers", "PHQ-9 takes 9 answers; 1 was given.")], Phq9.Score([1]).Problems);

    [Fact]
    public void Nineteen_pcl5_answers_name_the_pcl5() =>
        Assert.Equal<FieldProblem>([new FieldProblem("answers", "PCL-5 takes 20 answers; 19 were given.")], Pcl5.Score(new int[19]).Problems);

    [Fact]
    public void Risk_flags_are_listed_once_each_in_a_fixed_order() =>
        Assert.Equal(
            [RiskFlag.SelfHarmItemPositive, RiskFlag.ProbablePtsd],
            new Score(Instrument.Pcl5, 40, [RiskFlag.ProbablePtsd, RiskFlag.SelfHarmItemPositive, RiskFlag.ProbablePtsd]).RiskFlags.AsEnumerable());

    [Fact]
    public void Scores_are_equal_only_with_the_same_instrument_total_and_flags()
    {
        var score = new Score(Instrument.Phq9, 10, []);

        Assert.Equal(new Score(Instrument.Phq9, 10, []), score);
        Assert.NotEqual(new Score(Instrument.Phq9, 11, []), score);
        Assert.NotEqual(new Score(Instrument.Gad7, 10, []), score);
        Assert.NotEqual(new Score(Instrument.Phq9, 10, [RiskFlag.SelfHarmItemPositive]), score);
        Assert.False(score.Equals(null));
    }

    [Fact]
    public void A_total_outside_the_scale_has_no_severity()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Phq9.Scale.SeverityOf(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Phq9.Scale.SeverityOf(28));
    }

    [Fact]
    public void The_phq9_bands_run_from_each_published_cut_point_to_the_next()
    {
        Assert.Equal(
            [(0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 19, "moderately-severe"), (20, 27, "severe")],
            Phq9.Scale.Bands.Select(b => (b.From, b.To, b.Severity.Code())));
    }

    [Fact]
    public void Scoring_needs_the_answers() =>
        Assert.Throws<ArgumentNullException>(() => Scoring.Score(Instrument.Phq9, null!));

    [Fact]
    public void Eight_phq9_answers_name_the_answers_and_say_how_many_were_given()
    {
        var result = Phq9.Score([1, 1, 1, 1, 1, 1, 1, 1]);

        Assert.False(result.Succeeded);
        Assert.Null(result.Score);
        Assert.Equal<FieldProblem>([new FieldProblem("answers", "PHQ-9 takes 9 answers; 8 were given.")], result.Problems);
    }

    [Fact]
    public void Two_pain_ratings_say_it_takes_one_answer() =>
        Assert.Equal<FieldProblem>(
            [new FieldProblem("answers", "Pain NRS takes 1 answer; 2 were given.")],
            PainNrs.Score([1, 2]).Problems);

    [Fact]
    public void No_gad7_answers_say_none_were_given() =>
        Assert.Equal<FieldProblem>(
            [new FieldProblem("answers", "GAD-7 takes 7 answers; 0 were given.")],
            Gad7.Score([]).Problems);

    [Fact]
    public void A_phq9_answer_of_4_names_its_index_and_the_range() =>
        Assert.Equal<FieldProblem>(
            [new FieldProblem("answers[8]", "Must be from 0 to 3; it was 4.")],
            Phq9.Score([0, 0, 0, 0, 0, 0, 0, 0, 4]).Problems);

    [Fact]
    public void A_negative_answer_is_out_of_range_too() =>
        Assert.Equal<FieldProblem>(
            [new FieldProblem("answers[0]", "Must be from 0 to 4; it was -1.")],
            Pcl5.Score([-1, .. Enumerable.Repeat(0, 19)]).Problems);

    [Fact]
    public void The_highest_answer_of_each_item_is_accepted_and_one_more_is_not()
    {
        Assert.True(PainNrs.Score([10]).Succeeded);
        Assert.Equal<FieldProblem>([new FieldProblem("answers[0]", "Must be from 0 to 10; it was 11.")], PainNrs.Score([11]).Problems);
        Assert.True(Pcl5.Score(Enumerable.Repeat(4, 20).ToArray()).Succeeded);
        Assert.Equal("answers[19]", Assert.Single(Pcl5.Score([.. Enumerable.Repeat(4, 19), 5]).Problems).Field);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_the_count_first_then_each_index()
    {
        var result = Gad7.Score([4, 0, 9, 1]);

        Assert.Equal(["answers", "answers[0]", "answers[2]"], result.Problems.Select(p => p.Field));
        Assert.Equal("Must be from 0 to 3; it was 9.", result.Problems[2].Message);
    }

    [Fact]
    public void Scoring_by_instrument_gives_what_the_instrument_gives() =>
        Assert.Equal(Phq9.Score([1, 2, 3, 0, 1, 2, 3, 0, 0]).Score, Scoring.Score(Instrument.Phq9, [1, 2, 3, 0, 1, 2, 3, 0, 0]).Score);

    private static void AssertScore(ScoringResult result, int total, string severity, params string[] flags)
    {
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        var score = result.Score!;
        Assert.Equal(total, score.Total);
        Assert.Equal(severity, score.Severity.Code());
        Assert.Equal(flags, score.RiskFlags.Select(f => f.Code()));
        Assert.Empty(result.Problems);
    }
}
