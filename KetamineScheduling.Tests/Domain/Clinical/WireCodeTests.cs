using KetamineScheduling.Domain.Clinical;

namespace KetamineScheduling.Tests.Domain.Clinical;

public sealed class WireCodeTests
{
    [Fact]
    public void The_instruments_are_written_as_the_issue_names_them()
    {
        Assert.Equal<string>(["phq9", "gad7", "pcl5", "pain-nrs"], WireCodes.All<Instrument>());
        Assert.Equal("pain-nrs", Instrument.PainNrs.Code());
    }

    [Fact]
    public void The_severities_course_statuses_and_actions_are_written_as_the_issue_names_them()
    {
        Assert.Equal<string>(["none", "minimal", "mild", "moderate", "moderately-severe", "severe"], WireCodes.All<Severity>());
        Assert.Equal<string>(["no-baseline", "response", "partial-response", "non-response", "remission"], WireCodes.All<CourseStatus>());
        Assert.Equal<string>(["none", "start-maintenance", "review-with-prescriber", "booster-due"], WireCodes.All<CourseAction>());
        Assert.Equal<string>(["self-harm-item-positive", "probable-ptsd"], WireCodes.All<RiskFlag>());
        Assert.Equal<string>(["negative", "positive", "not-applicable"], WireCodes.All<PregnancyTest>());
    }

    [Fact]
    public void The_conditions_and_contraindications_are_written_as_the_issue_names_them()
    {
        Assert.Equal<string>(
            ["major-depressive-disorder", "treatment-resistant-depression", "bipolar-depression", "generalized-anxiety-disorder", "ptsd", "ocd", "chronic-pain", "suicidal-ideation", "other"],
            WireCodes.All<Condition>());
        Assert.Equal(13, WireCodes.All<Contraindication>().Length);
        Assert.Contains("elevated-intracranial-pressure", WireCodes.All<Contraindication>());
    }

    [Fact]
    public void Every_code_reads_back_as_its_value()
    {
        foreach (var severity in Enum.GetValues<Severity>())
        {
            Assert.True(WireCodes.TryParse<Severity>(severity.Code(), out var read));
            Assert.Equal(severity, read);
        }
    }

    [Theory]
    [InlineData("PHQ9")]
    [InlineData("Phq9")]
    [InlineData("phq-9")]
    [InlineData("")]
    [InlineData(null)]
    public void A_code_in_another_case_or_spelling_is_not_read(string? code) =>
        Assert.False(WireCodes.TryParse<Instrument>(code, out _));

    [Fact]
    public void A_value_outside_the_enum_has_no_code() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ((Instrument)42).Code());
}
