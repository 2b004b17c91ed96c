using System.ComponentModel.DataAnnotations;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.OpenApi;
using NodaTime;

namespace KetamineScheduling.Api.Assessments;

/// <summary>A completed questionnaire: the server scores it.</summary>
public sealed record CreateAssessmentRequest
{
    /// <summary>phq9 (9 answers of 0-3), gad7 (7 of 0-3), pcl5 (20 of 0-4) or pain-nrs (1 of 0-10).</summary>
    [ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.Instruments))]
    public required string Instrument { get; init; }

    /// <summary>The answers, item 1 first.</summary>
    [MaxLength(20)]
    public required IReadOnlyList<int> Answers { get; init; }

    /// <summary>When it was taken: the clinic's local time, without an offset. Defaults to now; never in the future.</summary>
    public LocalDateTime? TakenAt { get; init; }

    /// <summary>The session it belongs to, if any: one of this patient's.</summary>
    public Guid? SessionId { get; init; }

    /// <summary>baseline, pre-infusion, post-infusion or follow-up.</summary>
    [ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.Timings))]
    public string? Timing { get; init; }
}

/// <summary>Why an assessment is retracted: it was entered in error.</summary>
/// <param name="Reason">A sentence for the record.</param>
public sealed record RetractAssessmentRequest([property: MaxLength(500)] string Reason);

/// <summary>A scored questionnaire. Never edited; a retracted one was entered in error and no longer counts.</summary>
/// <param name="Id">The assessment's id.</param>
/// <param name="PatientId">Whose it is.</param>
/// <param name="Instrument">What was measured.</param>
/// <param name="Answers">The answers as given, item 1 first.</param>
/// <param name="Total">The sum of the answers.</param>
/// <param name="Severity">The band the total falls in (Kroenke 2001 for the PHQ-9, Spitzer 2006 for the GAD-7).</param>
/// <param name="RiskFlags">Answers a clinician must see at once: self-harm-item-positive (PHQ-9 item 9 above 0), probable-ptsd (PCL-5 of 33 or more).</param>
/// <param name="TakenAt">When it was taken, the clinic's local time without an offset.</param>
/// <param name="SessionId">The session it belongs to; null when none.</param>
/// <param name="Timing">When in the visit it was taken; null when not said.</param>
/// <param name="RecordedAt">When the API recorded it.</param>
/// <param name="RetractedAt">When it was retracted; null while it counts.</param>
/// <param name="RetractReason">Why it was retracted; null while it counts.</param>
public sealed record AssessmentResponse(
    Guid Id,
    Guid PatientId,
    [property: ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.Instruments))] string Instrument,
    [property: MaxLength(20)] IReadOnlyList<int> Answers,
    [property: Range(0, 80)] int Total,
    [property: ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.Severities))] string Severity,
    [property: MaxLength(2), ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.RiskFlags))] IReadOnlyList<string> RiskFlags,
    LocalDateTime TakenAt,
    Guid? SessionId,
    [property: ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.Timings))] string? Timing,
    Instant RecordedAt,
    Instant? RetractedAt,
    [property: MaxLength(500)] string? RetractReason) : IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [PatientId];
}
