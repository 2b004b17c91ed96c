using System.ComponentModel.DataAnnotations;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.OpenApi;
using NodaTime;

namespace KetamineScheduling.Api.Course;

/// <summary>A prescriber's intake decision on a plan: what was reviewed, what was found, and the decision.</summary>
public sealed record IntakeRequest
{
    /// <summary>The prescriber deciding: an active member of staff who is a prescriber.</summary>
    public required Guid PrescriberId { get; init; }

    /// <summary>Whether the medical history was reviewed; approval requires it.</summary>
    public required bool HistoryReviewed { get; init; }

    /// <summary>Whether the medications were reviewed; approval requires it.</summary>
    public required bool MedicationsReviewed { get; init; }

    /// <summary>The local date the patient signed consent; on or before today in the clinic's zone for approval.</summary>
    public required LocalDate ConsentSignedOn { get; init; }

    /// <summary>
    /// What the intake found. Absolute ones (uncontrolled-hypertension, pregnancy, active-psychosis, ketamine-allergy,
    /// elevated-intracranial-pressure) refuse approval; relative ones are recorded and shown.
    /// </summary>
    [MaxLength(13)]
    [ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.Contraindications))]
    public IReadOnlyList<string> Contraindications { get; init; } = [];

    /// <summary>approved or declined. A declined plan cannot be booked.</summary>
    [ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.IntakeDecisions))]
    public required string Decision { get; init; }

    /// <summary>The prescriber's note.</summary>
    [MaxLength(2000)]
    public string? Note { get; init; }
}

/// <summary>An assessment as the course shows it.</summary>
/// <param name="Id">The assessment's id.</param>
/// <param name="Total">Its total.</param>
/// <param name="Severity">The band of the total.</param>
/// <param name="TakenAt">When it was taken, the clinic's local time.</param>
public sealed record CourseAssessmentResponse(
    Guid Id,
    [property: Range(0, 80)] int Total,
    [property: ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.Severities))] string Severity,
    LocalDateTime TakenAt);

/// <summary>One session of the plan and the assessment of the measure that goes with it.</summary>
/// <param name="Sequence">The planned session's sequence.</param>
/// <param name="Phase">Induction or Maintenance.</param>
/// <param name="SessionId">The booked session; null while unbooked.</param>
/// <param name="Date">The local date it is booked on, or planned for.</param>
/// <param name="Assessment">The assessment linked to the session, or else the latest taken that day; null when none.</param>
public sealed record CoursePointResponse(
    [property: Range(1, Domain.Plans.TreatmentPlan.MaxSessions)] int Sequence,
    Domain.Plans.Phase Phase,
    Guid? SessionId,
    LocalDate Date,
    CourseAssessmentResponse? Assessment);

/// <summary>What the course suggests, and why.</summary>
/// <param name="Action">none, start-maintenance, review-with-prescriber or booster-due.</param>
/// <param name="Reason">A sentence with the numbers.</param>
public sealed record RecommendationResponse(
    [property: ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.CourseActions))] string Action,
    [property: MaxLength(500)] string Reason);

/// <summary>
/// The course of a plan's primary measure: baseline, a point per session, the latest, the change and what to do
/// next. Response is a fall of at least 50% from baseline, partial response 25-49%, remission a PHQ-9 or GAD-7 of
/// at most 4; in maintenance a booster is due 5 points above the post-induction total, or in the moderate band or
/// worse (the documented defaults).
/// </summary>
/// <param name="PlanId">The plan.</param>
/// <param name="PatientId">Its patient.</param>
/// <param name="Measure">The plan's primary measure.</param>
/// <param name="Baseline">The latest assessment of the measure in the 30 days before the first session's start; null when none.</param>
/// <param name="Points">One per planned session.</param>
/// <param name="Latest">The latest assessment of the measure; null when none.</param>
/// <param name="ChangeFromBaselinePercent">The latest total's change from baseline, in percent of it (negative is better); null without a baseline, or from a baseline of 0.</param>
/// <param name="Status">no-baseline, response, partial-response, non-response or remission.</param>
/// <param name="Recommendation">What to do next.</param>
public sealed record CourseResponse(
    Guid PlanId,
    Guid PatientId,
    [property: ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.Instruments))] string Measure,
    CourseAssessmentResponse? Baseline,
    [property: MaxLength(Domain.Plans.TreatmentPlan.MaxSessions)] IReadOnlyList<CoursePointResponse> Points,
    CourseAssessmentResponse? Latest,
    [property: Range(-100, 100000)] decimal? ChangeFromBaselinePercent,
    [property: ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.CourseStatuses))] string Status,
    RecommendationResponse Recommendation) : Audit.IPatientScoped
{
    IEnumerable<Guid> Audit.IPatientScoped.Patients => [PatientId];
}
