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
