using KetamineScheduling.Domain.Clinical;

namespace KetamineScheduling.Tests.Domain.Clinical;

public sealed class ReadinessTests
{
    /// <summary>A patient exactly at every default limit: four hours fasted, 160/100, 110 a minute, 94%.</summary>
    private static readonly ReadinessRecord AtEveryLimit =
        new(4m, RideHomeArranged: true, EscortName: "Sam Lee", new Vitals(160, 100, 110, 94), 72.5m, PregnancyTest.Negative);

    [Fact]
    public void A_patient_at_every_limit_is_ready()
    {
        var result = Check(AtEveryLimit);

        Assert.True(result.Ready);
        Assert.Empty(result.Failures);
    }

    [Fact]
    public void Fasting_for_less_than_4_hours_fails_naming_the_hours_and_the_limit() =>
        AssertOnlyFailure(AtEveryLimit with { FastingHours = 3.9m }, new(ReadinessCheck.FastingHours, "3.9", "at least 4"));

    [Fact]
    public void A_systolic_of_161_fails() =>
        AssertOnlyFailure(AtEveryLimit with { Vitals = AtEveryLimit.Vitals with { Systolic = 161 } }, new(ReadinessCheck.Systolic, "161", "at most 160"));

    [Fact]
    public void A_diastolic_of_101_fails() =>
        AssertOnlyFailure(AtEveryLimit with { Vitals = AtEveryLimit.Vitals with { Diastolic = 101 } }, new(ReadinessCheck.Diastolic, "101", "at most 100"));

    [Fact]
    public void A_heart_rate_of_111_fails() =>
        AssertOnlyFailure(AtEveryLimit with { Vitals = AtEveryLimit.Vitals with { HeartRate = 111 } }, new(ReadinessCheck.HeartRate, "111", "at most 110"));

    [Fact]
    public void An_spo2_of_93_fails() =>
        AssertOnlyFailure(AtEveryLimit with { Vitals = AtEveryLimit.Vitals with { Spo2 = 93 } }, new(ReadinessCheck.Spo2, "93", "at least 94"));

    [Fact]
    public void No_ride_home_fails_when_one_is_required() =>
        AssertOnlyFailure(AtEveryLimit with { RideHomeArranged = false }, new(ReadinessCheck.RideHome, "false", "true"));

    [Fact]
    public void No_ride_home_passes_where_the_clinic_does_not_require_one() =>
        Assert.True(Readiness.Check(AtEveryLimit with { RideHomeArranged = false }, new ReadinessLimits(rideHomeRequired: false)).Ready);

    [Fact]
    public void A_positive_pregnancy_test_is_never_ready_whatever_the_limits() =>
        AssertOnlyFailure(
            AtEveryLimit with { PregnancyTest = PregnancyTest.Positive },
            new(ReadinessCheck.PregnancyTest, "positive", "negative or not-applicable"),
            new ReadinessLimits(minFastingHours: 0, maxSystolic: 300, maxDiastolic: 200, maxHeartRate: 250, minSpo2: 0, rideHomeRequired: false));

    [Theory]
    [InlineData(PregnancyTest.Negative)]
    [InlineData(PregnancyTest.NotApplicable)]
    [InlineData(null)]
    public void A_negative_inapplicable_or_missing_pregnancy_test_passes(PregnancyTest? test) =>
        Assert.True(Check(AtEveryLimit with { PregnancyTest = test }).Ready);

    [Fact]
    public void Every_failure_is_listed_in_the_order_of_the_checks()
    {
        var record = new ReadinessRecord(2m, false, null, new Vitals(172, 104, 118, 91), 80m, PregnancyTest.Positive);

        Assert.Equal(
            ["fasting-hours", "systolic", "diastolic", "heart-rate", "spo2", "ride-home", "pregnancy-test"],
            Check(record).Failures.Select(f => f.Check.Code()));
    }

    [Fact]
    public void A_clinic_may_set_its_own_limits()
    {
        var limits = new ReadinessLimits(minFastingHours: 6, maxSystolic: 150, maxDiastolic: 95, maxHeartRate: 100, minSpo2: 95);

        Assert.Equal<ReadinessFailure>(
            [
                new ReadinessFailure(ReadinessCheck.FastingHours, "4", "at least 6"),
                new ReadinessFailure(ReadinessCheck.Systolic, "160", "at most 150"),
                new ReadinessFailure(ReadinessCheck.Diastolic, "100", "at most 95"),
                new ReadinessFailure(ReadinessCheck.HeartRate, "110", "at most 100"),
                new ReadinessFailure(ReadinessCheck.Spo2, "94", "at least 95"),
            ],
            Readiness.Check(AtEveryLimit, limits).Failures);
    }

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var limits = ReadinessLimits.Default;

        Assert.Equal((4m, 160, 100, 110, 94, true), (limits.MinFastingHours, limits.MaxSystolic, limits.MaxDiastolic, limits.MaxHeartRate, limits.MinSpo2, limits.RideHomeRequired));
    }

    [Fact]
    public void A_plausible_entry_has_no_problems() =>
        Assert.Empty(Readiness.Problems(AtEveryLimit));

    [Fact]
    public void An_impossible_entry_names_each_field_by_its_path_in_the_request()
    {
        var record = new ReadinessRecord(80m, true, null, new Vitals(1200, 10, 0, 101), 0m);

        Assert.Equal<FieldProblem>(
            [
                new("fastingHours", "Must be from 0 to 72; it was 80."),
                new("vitals.systolic", "Must be from 50 to 300; it was 1200."),
                new("vitals.diastolic", "Must be from 20 to 200; it was 10."),
                new("vitals.heartRate", "Must be from 20 to 250; it was 0."),
                new("vitals.spo2", "Must be from 50 to 100; it was 101."),
                new("weightKg", "Must be from 30 to 250; it was 0."),
            ],
            Readiness.Problems(record));
    }

    [Fact]
    public void A_diastolic_not_below_the_systolic_is_a_slip() =>
        Assert.Equal<FieldProblem>(
            [new("vitalsAtDischarge.diastolic", "Must be below the systolic (90); it was 90.")],
            new Vitals(90, 90, 70, 98).Problems("vitalsAtDischarge"));

    [Fact]
    public void The_entry_ranges_include_their_ends()
    {
        Assert.Empty(Readiness.Problems(new ReadinessRecord(0m, true, null, new Vitals(50, 20, 20, 50), 30m)));
        Assert.Empty(Readiness.Problems(new ReadinessRecord(72m, true, null, new Vitals(300, 200, 250, 100), 250m)));
        Assert.Equal(["fastingHours"], Readiness.Problems(AtEveryLimit with { FastingHours = -0.5m }).Select(p => p.Field));
    }

    [Theory]
    [InlineData(-1, 160, 100, 110, 94)]
    [InlineData(4, 0, 100, 110, 94)]
    [InlineData(4, 160, 0, 110, 94)]
    [InlineData(4, 160, 100, 0, 94)]
    [InlineData(4, 160, 100, 110, -1)]
    [InlineData(4, 160, 100, 110, 101)]
    public void Limits_a_clinic_could_not_mean_are_refused(int minFastingHours, int maxSystolic, int maxDiastolic, int maxHeartRate, int minSpo2) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadinessLimits(minFastingHours, maxSystolic, maxDiastolic, maxHeartRate, minSpo2));

    [Fact]
    public void A_number_is_written_as_a_clinician_writes_it_without_trailing_zeros()
    {
        Assert.Equal(new ReadinessFailure(ReadinessCheck.FastingHours, "3.5", "at least 4"), Check(AtEveryLimit with { FastingHours = 3.50m }).Failures[0]);
        Assert.Equal(new FieldProblem("weightKg", "Must be from 30 to 250; it was 250.5."), Readiness.Problems(AtEveryLimit with { WeightKg = 250.50m })[0]);
    }

    [Fact]
    public void Readiness_is_checked_on_a_record_against_limits()
    {
        Assert.Throws<ArgumentNullException>(() => Readiness.Check(null!, ReadinessLimits.Default));
        Assert.Throws<ArgumentNullException>(() => Readiness.Check(AtEveryLimit, null!));
        Assert.Throws<ArgumentNullException>(() => Readiness.Problems(null!));
    }

    private static ReadinessResult Check(ReadinessRecord record) => Readiness.Check(record, ReadinessLimits.Default);

    private static void AssertOnlyFailure(ReadinessRecord record, ReadinessFailure failure, ReadinessLimits? limits = null)
    {
        var result = Readiness.Check(record, limits ?? ReadinessLimits.Default);

        Assert.False(result.Ready);
        Assert.Equal<ReadinessFailure>([failure], result.Failures);
    }
}
