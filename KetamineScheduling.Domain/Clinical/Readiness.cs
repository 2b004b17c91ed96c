using System.Collections.Immutable;

namespace KetamineScheduling.Domain.Clinical;

/// <summary>The result of a pregnancy test taken before an infusion.</summary>
public enum PregnancyTest
{
    [WireCode("negative")]
    Negative,

    /// <summary>A positive test: the patient is never ready for ketamine.</summary>
    [WireCode("positive")]
    Positive,

    /// <summary>No test applies to this patient.</summary>
    [WireCode("not-applicable")]
    NotApplicable,
}

/// <summary>One of the checks made before an infusion starts.</summary>
public enum ReadinessCheck
{
    [WireCode("fasting-hours")]
    FastingHours,

    [WireCode("systolic")]
    Systolic,

    [WireCode("diastolic")]
    Diastolic,

    [WireCode("heart-rate")]
    HeartRate,

    [WireCode("spo2")]
    Spo2,

    [WireCode("ride-home")]
    RideHome,

    [WireCode("pregnancy-test")]
    PregnancyTest,
}

/// <summary>The lowest and highest value an entry may hold, both included.</summary>
public sealed record EntryRange(decimal Min, decimal Max)
{
    public bool Contains(decimal value) => Min <= value && value <= Max;

    /// <summary>The problem with <paramref name="value"/> in <paramref name="field"/>: "Must be from 20 to 250; it was 0."</summary>
    public FieldProblem Problem(string field, decimal value) => FieldProblem.OutOfRange(field, Min, Max, value);
}

/// <summary>Vital signs taken in the chair: before the infusion, and again at discharge.</summary>
/// <param name="Systolic">Systolic blood pressure, mmHg.</param>
/// <param name="Diastolic">Diastolic blood pressure, mmHg.</param>
/// <param name="HeartRate">Heart rate, beats a minute.</param>
/// <param name="Spo2">Oxygen saturation by pulse oximetry, percent.</param>
public sealed record Vitals(int Systolic, int Diastolic, int HeartRate, int Spo2)
{
    /// <summary>
    /// The values a measurement can plausibly show, to catch a slip of the keyboard (a pressure of 1200, a
    /// saturation of 9): systolic 50-300, diastolic 20-200, heart rate 20-250, SpO2 50-100. They are not clinical
    /// limits; <see cref="ReadinessLimits"/> are.
    /// </summary>
    public static readonly EntryRange SystolicRange = new(50, 300);

    /// <inheritdoc cref="SystolicRange"/>
    public static readonly EntryRange DiastolicRange = new(20, 200);

    /// <inheritdoc cref="SystolicRange"/>
    public static readonly EntryRange HeartRateRange = new(20, 250);

    /// <inheritdoc cref="SystolicRange"/>
    public static readonly EntryRange Spo2Range = new(50, 100);

    /// <summary>
    /// What is wrong with these vitals as an entry, each problem named <c>{field}.systolic</c> and so on: a value
    /// outside its range (<see cref="SystolicRange"/> and the others), or a diastolic not below the systolic.
    /// </summary>
    public ImmutableArray<FieldProblem> Problems(string field)
    {
        var problems = ImmutableArray.CreateBuilder<FieldProblem>();
        Check("systolic", Systolic, SystolicRange);
        Check("diastolic", Diastolic, DiastolicRange);
        Check("heartRate", HeartRate, HeartRateRange);
        Check("spo2", Spo2, Spo2Range);
        if (problems.Count == 0 && Diastolic >= Systolic)
        {
            problems.Add(new($"{field}.diastolic", $"Must be below the systolic ({Systolic}); it was {Diastolic}."));
        }

        return problems.ToImmutable();

        void Check(string name, int value, EntryRange range)
        {
            if (!range.Contains(value))
            {
                problems.Add(range.Problem($"{field}.{name}", value));
            }
        }
    }
}

/// <summary>What the nurse records at check-in, before the infusion may start.</summary>
/// <param name="FastingHours">Hours since the patient last ate.</param>
/// <param name="RideHomeArranged">Whether someone will take the patient home: they must not drive until the next day.</param>
/// <param name="EscortName">Who is taking the patient home, when known.</param>
/// <param name="Vitals">The vital signs taken in the chair.</param>
/// <param name="WeightKg">The patient's weight today, in kilograms: the dose is worked out from it.</param>
/// <param name="PregnancyTest">The pregnancy test's result; <see langword="null"/> when none was recorded.</param>
/// <remarks>Check an entry with <see cref="Readiness.Problems"/> before judging it with <see cref="Readiness.Check"/>.</remarks>
public sealed record ReadinessRecord(decimal FastingHours, bool RideHomeArranged, string? EscortName, Vitals Vitals, decimal WeightKg, PregnancyTest? PregnancyTest = null)
{
    /// <summary>The hours of fasting that can be recorded: 0 to 72 (three days).</summary>
    public static readonly EntryRange FastingHoursRange = new(0, 72);
}

/// <summary>
/// The limits a patient must be within for the infusion to start. The defaults are common practice for
/// sub-anaesthetic ketamine infusions and are placeholders: the clinic's medical director should set them.
/// </summary>
/// <remarks>
/// Ketamine raises blood pressure and heart rate for the length of the infusion, so a patient must start well below
/// the levels at which that rise becomes dangerous. A positive pregnancy test is never ready, whatever the limits.
/// </remarks>
public sealed record ReadinessLimits
{
    /// <summary>At least 4 hours fasting; systolic at most 160, diastolic at most 100; heart rate at most 110; SpO2 at least 94%; a ride home required.</summary>
    public static readonly ReadinessLimits Default = new();

    public ReadinessLimits(decimal minFastingHours = 4, int maxSystolic = 160, int maxDiastolic = 100, int maxHeartRate = 110, int minSpo2 = 94, bool rideHomeRequired = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minFastingHours);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSystolic);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDiastolic);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHeartRate);
        ArgumentOutOfRangeException.ThrowIfNegative(minSpo2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minSpo2, 100);
        MinFastingHours = minFastingHours;
        MaxSystolic = maxSystolic;
        MaxDiastolic = maxDiastolic;
        MaxHeartRate = maxHeartRate;
        MinSpo2 = minSpo2;
        RideHomeRequired = rideHomeRequired;
    }

    /// <summary>The fewest hours since the last meal.</summary>
    public decimal MinFastingHours { get; }

    /// <summary>The highest systolic pressure, mmHg, included.</summary>
    public int MaxSystolic { get; }

    /// <summary>The highest diastolic pressure, mmHg, included.</summary>
    public int MaxDiastolic { get; }

    /// <summary>The highest heart rate, beats a minute, included.</summary>
    public int MaxHeartRate { get; }

    /// <summary>The lowest oxygen saturation, percent, included.</summary>
    public int MinSpo2 { get; }

    /// <summary>Whether a ride home must be arranged before the infusion starts.</summary>
    public bool RideHomeRequired { get; }
}

/// <summary>A check the patient did not pass: what was recorded and the limit it broke, both as written on the wire.</summary>
/// <param name="Check">Which check.</param>
/// <param name="Value">What was recorded: "165", "3.5", "false", "positive".</param>
/// <param name="Limit">What it had to be: "at most 160", "at least 4", "true", "negative or not-applicable".</param>
public sealed record ReadinessFailure(ReadinessCheck Check, string Value, string Limit);

/// <summary>Whether the infusion may start, and every check that stops it.</summary>
public sealed record ReadinessResult(ImmutableArray<ReadinessFailure> Failures)
{
    /// <summary>Whether every check passed.</summary>
    public bool Ready => Failures.IsEmpty;
}

/// <summary>Checks a readiness record against the clinic's limits before an infusion.</summary>
public static class Readiness
{
    /// <summary>
    /// Every check <paramref name="record"/> fails against <paramref name="limits"/>, in a fixed order (fasting,
    /// systolic, diastolic, heart rate, SpO2, ride home, pregnancy test). Each limit is included: a systolic of
    /// exactly 160 passes, 161 fails. A missing pregnancy test is not a failure: the clinic decides who needs one.
    /// </summary>
    public static ReadinessResult Check(ReadinessRecord record, ReadinessLimits limits)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(limits);
        var failures = ImmutableArray.CreateBuilder<ReadinessFailure>();
        var vitals = record.Vitals;
        AtLeast(ReadinessCheck.FastingHours, record.FastingHours, limits.MinFastingHours);
        AtMost(ReadinessCheck.Systolic, vitals.Systolic, limits.MaxSystolic);
        AtMost(ReadinessCheck.Diastolic, vitals.Diastolic, limits.MaxDiastolic);
        AtMost(ReadinessCheck.HeartRate, vitals.HeartRate, limits.MaxHeartRate);
        AtLeast(ReadinessCheck.Spo2, vitals.Spo2, limits.MinSpo2);
        if (limits.RideHomeRequired && !record.RideHomeArranged)
        {
            failures.Add(new(ReadinessCheck.RideHome, "false", "true"));
        }

        if (record.PregnancyTest == PregnancyTest.Positive)
        {
            failures.Add(new(ReadinessCheck.PregnancyTest, PregnancyTest.Positive.Code(), $"{PregnancyTest.Negative.Code()} or {PregnancyTest.NotApplicable.Code()}"));
        }

        return new ReadinessResult(failures.ToImmutable());

        void AtLeast(ReadinessCheck check, decimal value, decimal limit)
        {
            if (value < limit)
            {
                failures.Add(new(check, Number(value), $"at least {Number(limit)}"));
            }
        }

        void AtMost(ReadinessCheck check, decimal value, decimal limit)
        {
            if (value > limit)
            {
                failures.Add(new(check, Number(value), $"at most {Number(limit)}"));
            }
        }
    }

    /// <summary>
    /// What is wrong with <paramref name="record"/> as an entry, before any clinical limit is applied: values no
    /// nurse could have measured, usually a slip of the keyboard. Each names its field as the API's request does
    /// (<c>fastingHours</c>, <c>vitals.systolic</c>, <c>weightKg</c>). The ranges are <see cref="ReadinessRecord.FastingHoursRange"/>,
    /// <see cref="Vitals.SystolicRange"/> and the other vitals ranges and the dosing weight range; a diastolic must also be below the systolic.
    /// </summary>
    public static ImmutableArray<FieldProblem> Problems(ReadinessRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var problems = ImmutableArray.CreateBuilder<FieldProblem>();
        if (!ReadinessRecord.FastingHoursRange.Contains(record.FastingHours))
        {
            problems.Add(ReadinessRecord.FastingHoursRange.Problem("fastingHours", record.FastingHours));
        }

        problems.AddRange(record.Vitals.Problems("vitals"));
        if (!Dosing.IsWeightInRange(record.WeightKg))
        {
            problems.Add(FieldProblem.OutOfRange("weightKg", Dosing.MinWeightKg, Dosing.MaxWeightKg, record.WeightKg));
        }

        return problems.ToImmutable();
    }

    private static string Number(decimal value) => FieldProblem.Number(value);
}
