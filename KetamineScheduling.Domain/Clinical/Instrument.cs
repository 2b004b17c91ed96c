namespace KetamineScheduling.Domain.Clinical;

/// <summary>A validated questionnaire (or scale) the clinic uses to follow a patient's course.</summary>
public enum Instrument
{
    /// <summary>Patient Health Questionnaire-9: depression, nine items (Kroenke, Spitzer and Williams 2001).</summary>
    [WireCode("phq9")]
    Phq9,

    /// <summary>Generalized Anxiety Disorder-7: anxiety, seven items (Spitzer, Kroenke, Williams and Löwe 2006).</summary>
    [WireCode("gad7")]
    Gad7,

    /// <summary>PTSD Checklist for DSM-5: post-traumatic stress, twenty items (Weathers et al. 2013, National Center for PTSD).</summary>
    [WireCode("pcl5")]
    Pcl5,

    /// <summary>Pain numeric rating scale: the patient's pain right now, from 0 (none) to 10 (worst imaginable).</summary>
    [WireCode("pain-nrs")]
    PainNrs,
}

/// <summary>How severe a patient's symptoms are by an instrument's total, in the words of its published bands.</summary>
/// <remarks>
/// The members are in order of increasing severity, so "at or above moderate" is <c>severity &gt;= Severity.Moderate</c>.
/// Each instrument uses only some of them: PHQ-9 all but <see cref="None"/>; GAD-7 all but <see cref="None"/> and
/// <see cref="ModeratelySevere"/>; the pain scale all but <see cref="Minimal"/> and <see cref="ModeratelySevere"/>.
/// </remarks>
public enum Severity
{
    /// <summary>No symptoms at all (pain 0).</summary>
    [WireCode("none")]
    None,

    [WireCode("minimal")]
    Minimal,

    [WireCode("mild")]
    Mild,

    [WireCode("moderate")]
    Moderate,

    [WireCode("moderately-severe")]
    ModeratelySevere,

    [WireCode("severe")]
    Severe,
}

/// <summary>An answer pattern a clinician must see at once, whatever the total.</summary>
public enum RiskFlag
{
    /// <summary>PHQ-9 item 9 ("thoughts that you would be better off dead, or of hurting yourself") was answered above 0.</summary>
    [WireCode("self-harm-item-positive")]
    SelfHarmItemPositive,

    /// <summary>A PCL-5 total at or above the cut-off for a provisional PTSD diagnosis (<see cref="Pcl5.ProbablePtsdCutOff"/>).</summary>
    [WireCode("probable-ptsd")]
    ProbablePtsd,
}
