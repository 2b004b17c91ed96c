namespace KetamineScheduling.Domain.Clinical;

/// <summary>
/// The ketamine dose for one infusion, prescribed by weight. Sub-anaesthetic infusions for depression are usually
/// 0.5 mg/kg over 40 minutes (Zarate CA et al., Arch Gen Psychiatry 2006;63:856-864); the range allowed here is
/// 0.1 to 1.0 mg/kg, and a weight from 30 to 250 kg, both bounds included.
/// </summary>
public static class Dosing
{
    /// <summary>The dose a plan starts with, mg per kg.</summary>
    public const decimal DefaultDoseMgPerKg = 0.5m;

    public const decimal MinDoseMgPerKg = 0.1m;

    public const decimal MaxDoseMgPerKg = 1.0m;

    public const decimal MinWeightKg = 30m;

    public const decimal MaxWeightKg = 250m;

    public static bool IsDoseInRange(decimal doseMgPerKg) => doseMgPerKg is >= MinDoseMgPerKg and <= MaxDoseMgPerKg;

    public static bool IsWeightInRange(decimal weightKg) => weightKg is >= MinWeightKg and <= MaxWeightKg;

    /// <summary>
    /// The total dose in mg for <paramref name="doseMgPerKg"/> and <paramref name="weightKg"/>, rounded to 0.1 mg
    /// with halves away from zero, as a clinician rounds, never to even: 0.5 mg/kg for 70.5 kg is 35.25 mg, drawn
    /// up as 35.3; for 70.45 kg, 35.225 mg is 35.2. Both must be in range; check them first with
    /// <see cref="IsDoseInRange"/> and <see cref="IsWeightInRange"/>.
    /// </summary>
    public static decimal TotalDoseMg(decimal doseMgPerKg, decimal weightKg)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(doseMgPerKg, MinDoseMgPerKg);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(doseMgPerKg, MaxDoseMgPerKg);
        ArgumentOutOfRangeException.ThrowIfLessThan(weightKg, MinWeightKg);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weightKg, MaxWeightKg);
        return Math.Round(doseMgPerKg * weightKg, 1, MidpointRounding.AwayFromZero);
    }
}
