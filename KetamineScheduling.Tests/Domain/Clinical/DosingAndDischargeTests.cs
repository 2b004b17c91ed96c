using KetamineScheduling.Domain.Clinical;

namespace KetamineScheduling.Tests.Domain.Clinical;

public sealed class DosingAndDischargeTests
{
    [Theory]
    [InlineData(0.5, 70, 35.0)]
    [InlineData(0.5, 70.5, 35.3)]
    [InlineData(0.5, 70.45, 35.2)]
    [InlineData(0.75, 83.3, 62.5)]
    [InlineData(0.1, 30, 3.0)]
    [InlineData(1.0, 250, 250.0)]
    [InlineData(0.35, 61.3, 21.5)]
    public void The_total_dose_is_rounded_to_a_tenth_of_a_mg_with_halves_up(double doseMgPerKg, double weightKg, double totalMg) =>
        Assert.Equal((decimal)totalMg, Dosing.TotalDoseMg((decimal)doseMgPerKg, (decimal)weightKg));

    [Fact]
    public void A_half_tenth_rounds_away_from_zero_not_to_even() =>
        Assert.Equal(35.3m, Dosing.TotalDoseMg(0.5m, 70.5m));

    [Theory]
    [InlineData(0.09, 70)]
    [InlineData(1.01, 70)]
    [InlineData(5, 70)]
    [InlineData(0.5, 29.9)]
    [InlineData(0.5, 250.1)]
    [InlineData(0.5, 0)]
    public void A_dose_or_weight_out_of_range_is_refused(double doseMgPerKg, double weightKg)
    {
        Assert.False(Dosing.IsDoseInRange((decimal)doseMgPerKg) && Dosing.IsWeightInRange((decimal)weightKg));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dosing.TotalDoseMg((decimal)doseMgPerKg, (decimal)weightKg));
    }

    [Fact]
    public void The_range_bounds_are_included_and_the_default_dose_is_half_a_mg_per_kg()
    {
        Assert.True(Dosing.IsDoseInRange(0.1m) && Dosing.IsDoseInRange(1.0m) && Dosing.IsDoseInRange(Dosing.DefaultDoseMgPerKg));
        Assert.True(Dosing.IsWeightInRange(30m) && Dosing.IsWeightInRange(250m));
        Assert.Equal(0.5m, Dosing.DefaultDoseMgPerKg);
    }

    [Theory]
    [InlineData(8, false)]
    [InlineData(9, true)]
    [InlineData(10, true)]
    [InlineData(0, false)]
    public void A_patient_is_fit_for_discharge_from_an_aldrete_score_of_9(int score, bool fit) =>
        Assert.Equal(fit, Aldrete.IsFitForDischarge(score));

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void An_aldrete_score_of_0_or_10_is_a_score(int score) =>
        Assert.True(Aldrete.IsInRange(score));

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void An_aldrete_score_outside_0_to_10_is_not_a_score(int score)
    {
        Assert.False(Aldrete.IsInRange(score));
        Assert.Throws<ArgumentOutOfRangeException>(() => Aldrete.IsFitForDischarge(score));
    }

    [Fact]
    public void The_adverse_events_are_the_issues_codes() =>
        Assert.Equal<string>(
            ["nausea", "vomiting", "dizziness", "headache", "hypertension", "agitation", "dissociation-severe", "other"],
            WireCodes.All<AdverseEvent>());
}
