using KetamineScheduling.Domain.Plans;
using NodaTime;

namespace KetamineScheduling.Domain.Sessions;

/// <summary>How long a session keeps its patient and its chair.</summary>
public sealed record SessionLength
{
    public SessionLength(int infusionMinutes, int observationMinutes, int turnoverMinutes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(infusionMinutes, Protocol.MinInfusionMinutes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(infusionMinutes, Protocol.MaxInfusionMinutes);
        ArgumentOutOfRangeException.ThrowIfNegative(observationMinutes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(observationMinutes, Protocol.MaxObservationMinutes);
        ArgumentOutOfRangeException.ThrowIfNegative(turnoverMinutes);
        InfusionMinutes = infusionMinutes;
        ObservationMinutes = observationMinutes;
        TurnoverMinutes = turnoverMinutes;
    }

    /// <summary>Minutes the drip runs.</summary>
    public int InfusionMinutes { get; }

    /// <summary>Minutes the patient is observed in the chair after the infusion.</summary>
    public int ObservationMinutes { get; }

    /// <summary>Minutes the chair is cleaned after the patient leaves.</summary>
    public int TurnoverMinutes { get; }

    /// <summary>From the start until the patient leaves: infusion plus observation. The session's end.</summary>
    public Duration WithPatient => Duration.FromMinutes(InfusionMinutes + ObservationMinutes);

    /// <summary>From the start until the chair is clean and free for the next patient.</summary>
    public Duration ChairTime => Duration.FromMinutes(InfusionMinutes + ObservationMinutes + TurnoverMinutes);
}
