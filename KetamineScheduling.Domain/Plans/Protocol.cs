namespace KetamineScheduling.Domain.Plans;

/// <summary>
/// The clinical recipe a treatment plan follows: how long each infusion runs, how long the patient is observed
/// in the chair afterwards, and the induction and maintenance cycles.
/// </summary>
public sealed record Protocol
{
    /// <summary>The shortest infusion, in minutes.</summary>
    public const int MinInfusionMinutes = 40;

    /// <summary>The longest infusion, in minutes.</summary>
    public const int MaxInfusionMinutes = 60;

    /// <summary>The longest observation after an infusion, in minutes.</summary>
    public const int MaxObservationMinutes = 240;

    /// <summary>Common practice: 0.5 mg/kg over 40 minutes, then 30 minutes' observation.</summary>
    public const int DefaultInfusionMinutes = 40;

    /// <summary>Observation after the infusion when the clinic or plan names none.</summary>
    public const int DefaultObservationMinutes = 30;

    /// <summary>Six induction infusions every two days, then an infusion every 28 days, six times.</summary>
    public static readonly Protocol Default = new(DefaultInfusionMinutes, DefaultObservationMinutes, InductionCycle.Default, MaintenanceCycle.Default);

    public Protocol(int infusionMinutes, int observationMinutes, InductionCycle induction, MaintenanceCycle maintenance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(infusionMinutes, MinInfusionMinutes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(infusionMinutes, MaxInfusionMinutes);
        ArgumentOutOfRangeException.ThrowIfNegative(observationMinutes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(observationMinutes, MaxObservationMinutes);
        ArgumentNullException.ThrowIfNull(induction);
        ArgumentNullException.ThrowIfNull(maintenance);
        InfusionMinutes = infusionMinutes;
        ObservationMinutes = observationMinutes;
        Induction = induction;
        Maintenance = maintenance;
    }

    /// <summary>Minutes the drip runs, 40 to 60 inclusive.</summary>
    public int InfusionMinutes { get; }

    /// <summary>Minutes the patient stays in the chair, observed, after the infusion ends.</summary>
    public int ObservationMinutes { get; }

    public InductionCycle Induction { get; }

    public MaintenanceCycle Maintenance { get; }

    /// <summary>Every session in the plan, induction and maintenance.</summary>
    public int TotalSessions => Induction.Sessions + Maintenance.Sessions;
}
