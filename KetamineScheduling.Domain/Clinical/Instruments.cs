using static KetamineScheduling.Domain.Clinical.Severity;

namespace KetamineScheduling.Domain.Clinical;

/// <summary>The Patient Health Questionnaire-9, a depression measure the patient fills in.</summary>
/// <remarks>
/// Nine items, each answered 0 ("not at all") to 3 ("nearly every day") for the last two weeks; total 0-27.
/// Bands: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe (Kroenke K, Spitzer RL,
/// Williams JBW. The PHQ-9: validity of a brief depression severity measure. J Gen Intern Med 2001;16:606-613).
/// </remarks>
public static class Phq9
{
    /// <summary>
    /// The index (from 0) of item 9, "thoughts that you would be better off dead, or of hurting yourself in some
    /// way". Any answer above 0 raises <see cref="RiskFlag.SelfHarmItemPositive"/>, whatever the total.
    /// </summary>
    public const int SelfHarmItemIndex = 8;

    public static readonly InstrumentScale Scale =
        new(Instrument.Phq9, "PHQ-9", items: 9, itemMax: 3, (0, Minimal), (5, Mild), (10, Moderate), (15, ModeratelySevere), (20, Severe));

    /// <summary>Scores nine PHQ-9 answers, or says which are wrong.</summary>
    public static ScoringResult Score(IReadOnlyList<int> answers) => Scoring.Score(Instrument.Phq9, answers);
}

/// <summary>The Generalized Anxiety Disorder-7 scale, an anxiety measure the patient fills in.</summary>
/// <remarks>
/// Seven items, each answered 0 ("not at all") to 3 ("nearly every day") for the last two weeks; total 0-21.
/// Bands: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe (Spitzer RL, Kroenke K, Williams JBW, Löwe B. A
/// brief measure for assessing generalized anxiety disorder: the GAD-7. Arch Intern Med 2006;166:1092-1097).
/// </remarks>
public static class Gad7
{
    public static readonly InstrumentScale Scale =
        new(Instrument.Gad7, "GAD-7", items: 7, itemMax: 3, (0, Minimal), (5, Mild), (10, Moderate), (15, Severe));

    /// <summary>Scores seven GAD-7 answers, or says which are wrong.</summary>
    public static ScoringResult Score(IReadOnlyList<int> answers) => Scoring.Score(Instrument.Gad7, answers);
}

/// <summary>The PTSD Checklist for DSM-5, a post-traumatic stress measure the patient fills in.</summary>
/// <remarks>
/// <para>Twenty items, each answered 0 ("not at all") to 4 ("extremely") for the last month; total 0-80. A total of
/// 33 or more suggests probable PTSD (Weathers FW, Litz BT, Keane TM, Palmieri PA, Marx BP, Schnurr PP. The
/// PTSD Checklist for DSM-5 (PCL-5). National Center for PTSD, 2013; cut-off as the Center's scoring guidance
/// gives it).</para>
/// <para>The PCL-5 has no published severity bands. This clinic reads it by its one validated point: totals below
/// 33 are <see cref="Mild"/>, 33 and over <see cref="Moderate"/>, as the PHQ-9's diagnostic cut-off of 10 opens
/// its moderate band. The band says only which side of the cut-off a total lies; the total itself, and the
/// <see cref="RiskFlag.ProbablePtsd"/> flag, are what a clinician reads. It also means a patient in maintenance
/// who is back over the cut-off is due a booster by the band rule.</para>
/// </remarks>
public static class Pcl5
{
    /// <summary>The lowest total that suggests probable PTSD.</summary>
    public const int ProbablePtsdCutOff = 33;

    public static readonly InstrumentScale Scale =
        new(Instrument.Pcl5, "PCL-5", items: 20, itemMax: 4, (0, Mild), (ProbablePtsdCutOff, Moderate));

    /// <summary>Scores twenty PCL-5 answers, or says which are wrong.</summary>
    public static ScoringResult Score(IReadOnlyList<int> answers) => Scoring.Score(Instrument.Pcl5, answers);
}

/// <summary>The pain numeric rating scale: one answer from 0 (no pain) to 10 (worst pain imaginable).</summary>
/// <remarks>
/// Bands: 0 none, 1-3 mild, 4-6 moderate, 7-10 severe, the common clinical reading of the 11-point scale (as the
/// Canadian Physiotherapy Association's pain science division presents the NRS-11). Studies place the cut-points
/// a little differently (Serlin RC et al., Pain 1995;61:277-284: 1-4, 5-6, 7-10 for cancer pain; Boonstra AM et
/// al., Front Psychol 2016;7:1466: up to 5, 6-7, 8 and over for chronic musculoskeletal pain), so the rating itself
/// is what a clinician follows.
/// </remarks>
public static class PainNrs
{
    public static readonly InstrumentScale Scale =
        new(Instrument.PainNrs, "Pain NRS", items: 1, itemMax: 10, (0, None), (1, Mild), (4, Moderate), (7, Severe));

    /// <summary>Scores one pain rating, or says why it is wrong.</summary>
    public static ScoringResult Score(IReadOnlyList<int> answers) => Scoring.Score(Instrument.PainNrs, answers);
}
