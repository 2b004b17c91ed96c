using System.Collections.Immutable;
using KetamineScheduling.Domain.Clinical;
using NodaTime;

namespace KetamineScheduling.Api.Plans;

/// <summary>What a plan treats: the condition, optionally its ICD-10-CM code and a note.</summary>
internal sealed record Indication(Condition Condition, string? Icd10, string? Note);

/// <summary>The intake decision on a plan: who decided what, on which reviews, and when.</summary>
/// <param name="Approved">Whether it was approved; a declined plan cannot be booked.</param>
/// <param name="PrescriberId">The prescriber who decided.</param>
/// <param name="HistoryReviewed">Whether the medical history was reviewed.</param>
/// <param name="MedicationsReviewed">Whether the medications were reviewed.</param>
/// <param name="ConsentSignedOn">The local date the patient signed consent.</param>
/// <param name="Contraindications">What the intake found; on an approved plan, relative ones only.</param>
/// <param name="Note">The prescriber's note.</param>
/// <param name="DecidedAt">When the decision was recorded.</param>
/// <param name="DecidedByKeyId">The API key that recorded it.</param>
internal sealed record PlanIntake(
    bool Approved,
    Guid PrescriberId,
    bool HistoryReviewed,
    bool MedicationsReviewed,
    LocalDate ConsentSignedOn,
    ImmutableArray<Contraindication> Contraindications,
    string? Note,
    Instant DecidedAt,
    Guid DecidedByKeyId)
{
    public const string ApprovedCode = "approved";

    public const string DeclinedCode = "declined";

    public string Decision => Approved ? ApprovedCode : DeclinedCode;
}

/// <summary>
/// The clinical side of a plan: its indication, its prescriber, the measure its course follows and its intake.
/// </summary>
internal sealed record PlanClinical(Indication? Indication, Guid? PrescriberId, Instrument PrimaryMeasure, PlanIntake? Intake)
{
    /// <summary>A plan made before plans had a clinical side: no indication, followed by the PHQ-9.</summary>
    public static readonly PlanClinical None = new(null, null, Instrument.Phq9, null);

    /// <summary>Whether the plan may be booked where the clinic requires an intake.</summary>
    public bool IntakeApproved => Intake is { Approved: true };
}
