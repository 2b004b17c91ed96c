namespace KetamineScheduling.Domain.Clinical;

/// <summary>
/// The modified Aldrete score a nurse gives before a patient leaves: activity, respiration, circulation,
/// consciousness and oxygen saturation, each 0 to 2, so 0 to 10 in all. A score of 9 or more is fit for discharge
/// (Aldrete JA. The post-anesthesia recovery score revisited. J Clin Anesth 1995;7:89-91).
/// </summary>
public static class Aldrete
{
    public const int MinScore = 0;

    public const int MaxScore = 10;

    /// <summary>The lowest score at which a patient may go home.</summary>
    public const int FitForDischargeScore = 9;

    public static bool IsInRange(int score) => score is >= MinScore and <= MaxScore;

    /// <summary>Whether a patient with <paramref name="score"/> may go home: 9 or 10.</summary>
    public static bool IsFitForDischarge(int score)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(score, MinScore);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(score, MaxScore);
        return score >= FitForDischargeScore;
    }
}

/// <summary>Something that went wrong during or after an infusion, recorded at discharge.</summary>
public enum AdverseEvent
{
    [WireCode("nausea")]
    Nausea,

    [WireCode("vomiting")]
    Vomiting,

    [WireCode("dizziness")]
    Dizziness,

    [WireCode("headache")]
    Headache,

    /// <summary>Blood pressure rose beyond what the infusion usually causes.</summary>
    [WireCode("hypertension")]
    Hypertension,

    [WireCode("agitation")]
    Agitation,

    /// <summary>Dissociation distressing enough that the infusion was slowed or stopped.</summary>
    [WireCode("dissociation-severe")]
    DissociationSevere,

    /// <summary>Anything else; the discharge note says what.</summary>
    [WireCode("other")]
    Other,
}
