using System.Collections.Immutable;
using NodaTime;

namespace KetamineScheduling.Domain.Clinical;

/// <summary>What the patient is treated for: the indication on the plan.</summary>
public enum Condition
{
    [WireCode("major-depressive-disorder")]
    MajorDepressiveDisorder,

    /// <summary>Depression that has not responded to at least two adequate antidepressant trials.</summary>
    [WireCode("treatment-resistant-depression")]
    TreatmentResistantDepression,

    [WireCode("bipolar-depression")]
    BipolarDepression,

    [WireCode("generalized-anxiety-disorder")]
    GeneralizedAnxietyDisorder,

    [WireCode("ptsd")]
    Ptsd,

    [WireCode("ocd")]
    Ocd,

    [WireCode("chronic-pain")]
    ChronicPain,

    /// <summary>Suicidal ideation, usually within a depressive episode.</summary>
    [WireCode("suicidal-ideation")]
    SuicidalIdeation,

    [WireCode("other")]
    Other,
}

/// <summary>What the intake found that speaks against ketamine.</summary>
/// <remarks>See <see cref="Contraindications.IsAbsolute"/>: absolute ones stop the plan, relative ones are recorded and shown.</remarks>
public enum Contraindication
{
    /// <summary>Absolute: ketamine raises blood pressure during the infusion.</summary>
    [WireCode("uncontrolled-hypertension")]
    UncontrolledHypertension,

    /// <summary>Absolute.</summary>
    [WireCode("pregnancy")]
    Pregnancy,

    /// <summary>Absolute: ketamine can worsen psychosis.</summary>
    [WireCode("active-psychosis")]
    ActivePsychosis,

    /// <summary>Absolute.</summary>
    [WireCode("ketamine-allergy")]
    KetamineAllergy,

    /// <summary>Absolute.</summary>
    [WireCode("elevated-intracranial-pressure")]
    ElevatedIntracranialPressure,

    [WireCode("controlled-hypertension")]
    ControlledHypertension,

    [WireCode("substance-use-history")]
    SubstanceUseHistory,

    [WireCode("bipolar-disorder")]
    BipolarDisorder,

    [WireCode("cardiovascular-disease")]
    CardiovascularDisease,

    [WireCode("hepatic-impairment")]
    HepaticImpairment,

    [WireCode("glaucoma")]
    Glaucoma,

    [WireCode("thyroid-disorder")]
    ThyroidDisorder,

    [WireCode("breastfeeding")]
    Breastfeeding,
}

/// <summary>What a contraindication means for the plan.</summary>
public static class Contraindications
{
    /// <summary>
    /// Whether <paramref name="contraindication"/> rules ketamine out: uncontrolled hypertension, pregnancy,
    /// active psychosis, a ketamine allergy or raised intracranial pressure. The others are relative: recorded,
    /// shown and weighed by the prescriber, but they do not block approval.
    /// </summary>
    public static bool IsAbsolute(this Contraindication contraindication) => contraindication is
        Contraindication.UncontrolledHypertension or Contraindication.Pregnancy or Contraindication.ActivePsychosis
        or Contraindication.KetamineAllergy or Contraindication.ElevatedIntracranialPressure;
}

/// <summary>What a condition means for the plan.</summary>
public static class Conditions
{
    /// <summary>
    /// The measure a plan follows when none is named: the PHQ-9 for every kind of depression (suicidal ideation
    /// included) and for <see cref="Condition.Other"/>; the GAD-7 for generalized anxiety and for OCD; the PCL-5 for
    /// PTSD; the pain rating for chronic pain.
    /// </summary>
    /// <remarks>
    /// OCD has its own measure (the Y-BOCS), which is clinician-rated and not one this clinic scores; the GAD-7
    /// follows the anxiety that comes with it, and the prescriber may name another measure on the plan.
    /// </remarks>
    public static Instrument DefaultMeasure(this Condition condition) => condition switch
    {
        Condition.GeneralizedAnxietyDisorder or Condition.Ocd => Instrument.Gad7,
        Condition.Ptsd => Instrument.Pcl5,
        Condition.ChronicPain => Instrument.PainNrs,
        Condition.MajorDepressiveDisorder or Condition.TreatmentResistantDepression or Condition.BipolarDepression
            or Condition.SuicidalIdeation or Condition.Other => Instrument.Phq9,
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, "Not a condition."),
    };
}

/// <summary>What an intake approval requires, in the words of the intake form.</summary>
public static class IntakeRules
{
    /// <summary>
    /// Why the intake cannot be approved; empty when it can. Approval requires the medical history and the
    /// medications reviewed, consent signed on or before <paramref name="today"/> (the clinic's date), an
    /// indication on the plan, an active prescriber, and no absolute contraindication. Each refusal names the field
    /// of the intake request it is about: <c>historyReviewed</c>, <c>medicationsReviewed</c>,
    /// <c>consentSignedOn</c>, <c>indication</c>, <c>prescriberId</c> and <c>contraindications</c>, the last naming
    /// every absolute contraindication given.
    /// </summary>
    public static ImmutableArray<FieldProblem> CheckApproval(
        bool historyReviewed,
        bool medicationsReviewed,
        LocalDate consentSignedOn,
        LocalDate today,
        bool hasIndication,
        bool prescriberActive,
        IEnumerable<Contraindication> contraindications)
    {
        ArgumentNullException.ThrowIfNull(contraindications);
        var refusals = ImmutableArray.CreateBuilder<FieldProblem>();
        Require(historyReviewed, "historyReviewed", "The medical history must be reviewed before approval.");
        Require(medicationsReviewed, "medicationsReviewed", "The medications must be reviewed before approval.");
        Require(consentSignedOn <= today, "consentSignedOn", $"Consent must be signed on or before today ({Iso(today)}); it says {Iso(consentSignedOn)}.");
        Require(hasIndication, "indication", "The plan needs an indication before approval.");
        Require(prescriberActive, "prescriberId", "The prescriber must be an active member of staff.");
        var absolute = contraindications.Where(c => c.IsAbsolute()).Distinct().Order().Select(c => c.Code()).ToList();
        Require(absolute.Count == 0, "contraindications", $"Ketamine is contraindicated: {string.Join(", ", absolute)}.");
        return refusals.ToImmutable();

        void Require(bool met, string field, string message)
        {
            if (!met)
            {
                refusals.Add(new(field, message));
            }
        }
    }

    private static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", null);
}
