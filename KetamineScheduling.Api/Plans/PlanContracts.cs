using KetamineScheduling.Api.Audit;
using System.ComponentModel.DataAnnotations;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.OpenApi;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Plans;

/// <summary>The induction cycle; any field left out takes the default (6 sessions every 2 days, largest interval 3, span 21).</summary>
/// <param name="Sessions">Induction infusions, 1 to 30.</param>
/// <param name="IntervalDays">Target days between induction sessions, 1 to 60.</param>
/// <param name="MaxIntervalDays">Most days allowed between two induction sessions; at least intervalDays.</param>
/// <param name="MaxSpanDays">Most days from the first induction session to the last.</param>
public sealed record InductionRequest(
    [property: Range(1, InductionCycle.MaxSessions)] int? Sessions,
    [property: Range(1, InductionCycle.MaxDays)] int? IntervalDays,
    [property: Range(1, InductionCycle.MaxDays)] int? MaxIntervalDays,
    [property: Range(0, InductionCycle.MaxSessions * InductionCycle.MaxDays)] int? MaxSpanDays);

/// <summary>
/// The maintenance cycle: <paramref name="Sessions"/> every <paramref name="IntervalDays"/> days, or a taper given
/// as <paramref name="Intervals"/> (e.g. [14, 21, 28]). Left out of a new plan: none, to be added after induction
/// by POST .../maintenance when the course says so. Given without sessions or intervals: 6 sessions every 28 days.
/// </summary>
/// <param name="Sessions">Maintenance infusions, 0 to 26.</param>
/// <param name="IntervalDays">Days between maintenance sessions, 1 to 180.</param>
/// <param name="Intervals">A taper: the days before each maintenance session, counted from the session before.</param>
public sealed record MaintenanceRequest(
    [property: Range(0, MaintenanceCycle.MaxSessions)] int? Sessions,
    [property: Range(1, MaintenanceCycle.MaxIntervalDays)] int? IntervalDays,
    [property: MaxLength(MaintenanceCycle.MaxSessions)] IReadOnlyList<int>? Intervals);

/// <summary>A new treatment plan for a patient.</summary>
public sealed record CreatePlanRequest : IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [PatientId];

    public required Guid PatientId { get; init; }

    /// <summary>The local date of the first session (moved to the next open day if the clinic is closed).</summary>
    public required LocalDate StartDate { get; init; }

    /// <summary>The local time each session should start, in the clinic's zone.</summary>
    public required LocalTime PreferredStartTime { get; init; }

    /// <summary>40 to 60. Default 40 (0.5 mg/kg over 40 minutes).</summary>
    [Range(Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)]
    public int InfusionMinutes { get; init; } = Protocol.DefaultInfusionMinutes;

    /// <summary>Observation after each infusion; defaults to the clinic's.</summary>
    [Range(0, Protocol.MaxObservationMinutes)]
    public int? ObservationMinutes { get; init; }

    public InductionRequest? Induction { get; init; }

    /// <summary>Maintenance planned up front, for clinics that sell packages; left out, the plan has none.</summary>
    public MaintenanceRequest? Maintenance { get; init; }

    /// <summary>What the plan treats; an intake cannot be approved without it.</summary>
    public IndicationRequest? Indication { get; init; }

    /// <summary>The prescriber responsible: an active member of staff who is a prescriber.</summary>
    public Guid? PrescriberId { get; init; }

    /// <summary>The measure the course follows: phq9, gad7, pcl5 or pain-nrs. Default by condition (depression phq9, anxiety gad7, ptsd pcl5, pain pain-nrs, other phq9).</summary>
    [ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.Instruments))]
    public string? PrimaryMeasure { get; init; }
}

/// <summary>What a plan treats.</summary>
public sealed record IndicationRequest
{
    /// <summary>The condition, as one of the listed codes.</summary>
    [ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.Conditions))]
    public required string Condition { get; init; }

    /// <summary>An ICD-10-CM code, such as F33.2; its shape is checked, not that it exists.</summary>
    [MaxLength(8)]
    public string? Icd10 { get; init; }

    /// <summary>Free text for the prescriber.</summary>
    [MaxLength(1000)]
    public string? Note { get; init; }
}

/// <summary>What a plan treats.</summary>
/// <param name="Condition">The condition's code.</param>
/// <param name="Icd10">Its ICD-10-CM code; null when none was given.</param>
/// <param name="Note">A note; null when none was given.</param>
public sealed record IndicationResponse(
    [property: ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.Conditions))] string Condition,
    [property: MaxLength(8)] string? Icd10,
    [property: MaxLength(1000)] string? Note);

/// <summary>The intake decision on a plan.</summary>
/// <param name="Decision">approved or declined.</param>
/// <param name="PrescriberId">The prescriber who decided.</param>
/// <param name="HistoryReviewed">Whether the medical history was reviewed.</param>
/// <param name="MedicationsReviewed">Whether the medications were reviewed.</param>
/// <param name="ConsentSignedOn">The local date consent was signed.</param>
/// <param name="Contraindications">What the intake found; relative ones are shown and do not block.</param>
/// <param name="Note">The prescriber's note; null when none.</param>
/// <param name="DecidedAt">When the decision was recorded.</param>
/// <param name="DecidedByKeyId">The API key that recorded it.</param>
public sealed record IntakeResponse(
    [property: ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.IntakeDecisions))] string Decision,
    Guid PrescriberId,
    bool HistoryReviewed,
    bool MedicationsReviewed,
    LocalDate ConsentSignedOn,
    [property: MaxLength(13), ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.Contraindications))] IReadOnlyList<string> Contraindications,
    [property: MaxLength(2000)] string? Note,
    Instant DecidedAt,
    Guid DecidedByKeyId);

public sealed record InductionResponse(
    [property: Range(1, InductionCycle.MaxSessions)] int Sessions,
    [property: Range(1, InductionCycle.MaxDays)] int IntervalDays,
    [property: Range(1, InductionCycle.MaxDays)] int MaxIntervalDays,
    [property: Range(0, InductionCycle.MaxSessions * InductionCycle.MaxDays)] int MaxSpanDays);

/// <param name="Sessions">How many maintenance sessions.</param>
/// <param name="IntervalDays">The interval when every one is the same; null for a taper.</param>
/// <param name="Intervals">The days before each maintenance session.</param>
public sealed record MaintenanceResponse(
    [property: Range(0, MaintenanceCycle.MaxSessions)] int Sessions,
    [property: Range(1, MaintenanceCycle.MaxIntervalDays)] int? IntervalDays,
    [property: MaxLength(MaintenanceCycle.MaxSessions)] IReadOnlyList<int> Intervals);

/// <summary>One planned session and, once the plan is booked, the session booked for it.</summary>
/// <param name="Sequence">1 for the first session.</param>
/// <param name="Phase">Induction or Maintenance.</param>
/// <param name="Date">The planned local date.</param>
/// <param name="WindowStart">The first date it may take place.</param>
/// <param name="WindowEnd">The last date it may take place (included).</param>
/// <param name="Session">The booked session; null while the plan is a draft.</param>
public sealed record PlannedSessionResponse([property: Range(1, TreatmentPlan.MaxSessions)] int Sequence, Phase Phase, LocalDate Date, LocalDate WindowStart, LocalDate WindowEnd, SessionResponse? Session);

/// <summary>A treatment plan.</summary>
public sealed record PlanResponse(
    Guid Id,
    Guid PatientId,
    PlanStatus Status,
    LocalDate StartDate,
    LocalTime PreferredStartTime,
    [property: Range(Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)] int InfusionMinutes,
    [property: Range(0, Protocol.MaxObservationMinutes)] int ObservationMinutes,
    InductionResponse Induction,
    MaintenanceResponse Maintenance,
    bool InductionInterrupted,
    [property: Range(1, int.MaxValue)] int Version,
    [property: MaxLength(TreatmentPlan.MaxSessions)] IReadOnlyList<PlannedSessionResponse> Sessions,
    IndicationResponse? Indication = null,
    Guid? PrescriberId = null,
    [property: ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.Instruments))] string PrimaryMeasure = "phq9",
    IntakeResponse? Intake = null) : IVersioned, IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [PatientId];
}

/// <summary>A chair and local start where an unplaced session would fit.</summary>
public sealed record AlternativeResponse(Guid ChairId, OffsetDateTime Start);

/// <summary>A plan session that could not be booked, why, and where it could go instead.</summary>
public sealed record UnplacedSessionResponse(
    [property: Range(1, TreatmentPlan.MaxSessions)] int Sequence,
    Phase Phase,
    LocalDate WindowStart,
    LocalDate WindowEnd,
    Obstacle Obstacle,
    string Reason,
    IReadOnlyList<AlternativeResponse> Alternatives);
