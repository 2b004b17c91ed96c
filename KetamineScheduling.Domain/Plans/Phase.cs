namespace KetamineScheduling.Domain.Plans;

/// <summary>The part of a treatment plan a session belongs to.</summary>
public enum Phase
{
    /// <summary>The opening series: an infusion about every two days for two to three weeks.</summary>
    Induction,

    /// <summary>The sessions after induction that sustain the effect, one every few weeks.</summary>
    Maintenance,
}
