using System.ComponentModel.DataAnnotations;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.OpenApi;
using KetamineScheduling.Api.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Infusions;

/// <summary>Vital signs taken in the chair.</summary>
/// <remarks>Values no one could have measured are refused as slips of the keyboard; the clinical limits are the clinic's readiness limits.</remarks>
public sealed record VitalsBody
{
    /// <summary>Systolic blood pressure, mmHg: 50 to 300.</summary>
    [Range(50, 300)]
    public required int Systolic { get; init; }

    /// <summary>Diastolic blood pressure, mmHg: 20 to 200, and below the systolic.</summary>
    [Range(20, 200)]
    public required int Diastolic { get; init; }

    /// <summary>Heart rate, beats a minute: 20 to 250.</summary>
    [Range(20, 250)]
    public required int HeartRate { get; init; }

    /// <summary>Oxygen saturation by pulse oximetry, percent: 50 to 100.</summary>
    [Range(50, 100)]
    public required int Spo2 { get; init; }
}

/// <summary>Who recorded a part of a session's record: the key, and the member of staff a clinician's key acts for.</summary>
/// <param name="KeyId">The API key that recorded it.</param>
/// <param name="StaffId">The member of staff the key acts for; null for a key that names none.</param>
public sealed record RecordedBy(Guid KeyId, Guid? StaffId);

/// <summary>What the nurse records once the patient is checked in, before the infusion may start. A PUT replaces the last one.</summary>
public sealed record ReadinessRequest
{
    /// <summary>Hours since the patient last ate: 0 to 72.</summary>
    [Range(0, 72)]
    public required decimal FastingHours { get; init; }

    /// <summary>Whether someone will take the patient home: they must not drive until the next day.</summary>
    public required bool RideHomeArranged { get; init; }

    /// <summary>Who is taking the patient home, when known; at most 200 characters.</summary>
    [MaxLength(200)]
    public string? EscortName { get; init; }

    /// <summary>The vital signs taken in the chair.</summary>
    public required VitalsBody Vitals { get; init; }

    /// <summary>The patient's weight today, kg: 30 to 250. The dose is worked out from it.</summary>
    [Range(30, 250)]
    public required decimal WeightKg { get; init; }

    /// <summary>negative, positive or not-applicable; a positive test is never ready. Leave it out when none was taken.</summary>
    [ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.PregnancyTests))]
    public string? PregnancyTest { get; init; }
}

/// <summary>A readiness check the patient did not pass.</summary>
/// <param name="Check">fasting-hours, systolic, diastolic, heart-rate, spo2, ride-home or pregnancy-test.</param>
/// <param name="Value">What was recorded: "165", "3.5", "false", "positive".</param>
/// <param name="Limit">What it had to be: "at most 160", "at least 4", "true", "negative or not-applicable".</param>
public sealed record ReadinessFailureBody(
    [property: ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.ReadinessChecks))] string Check,
    [property: MaxLength(50)] string Value,
    [property: MaxLength(50)] string Limit);

/// <summary>The readiness recorded for a session, and how it stood against the clinic's limits when it was recorded.</summary>
/// <param name="FastingHours">Hours since the patient last ate.</param>
/// <param name="RideHomeArranged">Whether a ride home is arranged.</param>
/// <param name="EscortName">Who is taking the patient home, when known.</param>
/// <param name="Vitals">The vital signs before the infusion.</param>
/// <param name="WeightKg">The weight today, kg.</param>
/// <param name="PregnancyTest">negative, positive or not-applicable; null when none was recorded.</param>
/// <param name="Ready">Whether every check passed.</param>
/// <param name="Failures">Every check that did not pass, in a fixed order; empty when ready.</param>
/// <param name="RecordedAt">When it was recorded, the clinic's local time with offset.</param>
/// <param name="RecordedBy">Who recorded it.</param>
public sealed record ReadinessBody(
    decimal FastingHours,
    bool RideHomeArranged,
    [property: MaxLength(200)] string? EscortName,
    VitalsBody Vitals,
    decimal WeightKg,
    [property: ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.PregnancyTests))] string? PregnancyTest,
    bool Ready,
    [property: MaxLength(7)] IReadOnlyList<ReadinessFailureBody> Failures,
    OffsetDateTime RecordedAt,
    RecordedBy RecordedBy);

/// <summary>The answer to recording readiness: whether the infusion may start, every failed check, and the session as it now is.</summary>
/// <param name="Ready">Whether every check passed against the clinic's readiness limits.</param>
/// <param name="Failures">Every check that did not pass; empty when ready.</param>
/// <param name="Session">The session, its readiness recorded; its version is the ETag.</param>
public sealed record ReadinessResponse(bool Ready, [property: MaxLength(7)] IReadOnlyList<ReadinessFailureBody> Failures, SessionResponse Session) : IVersioned, IPatientScoped
{
    int IVersioned.Version => Session.Version;

    IEnumerable<Guid> IPatientScoped.Patients => [Session.PatientId];
}

/// <summary>A prescriber's decision to start the infusion although readiness is missing or failing.</summary>
public sealed record OverrideRequest
{
    /// <summary>The prescriber who decided: an active prescriber of the clinic's staff (404 when there is no such member of staff, 422 when they are not an active prescriber).</summary>
    public required Guid PrescriberId { get; init; }

    /// <summary>Why the infusion may start anyway; 1 to 500 characters.</summary>
    [MaxLength(500)]
    public required string Reason { get; init; }
}

/// <summary>Start the infusion of a checked-in session.</summary>
public sealed record StartInfusionRequest
{
    /// <summary>The dose, mg per kg: 0.1 to 1.0. Default 0.5, the usual sub-anaesthetic dose.</summary>
    [Range(0.1, 1.0)]
    public decimal? DoseMgPerKg { get; init; }

    /// <summary>The weight the dose is worked out from, kg: 30 to 250. Default: the weight recorded with readiness.</summary>
    [Range(30, 250)]
    public decimal? WeightKg { get; init; }

    /// <summary>Needed only when readiness is missing or failing: the prescriber who lets the infusion start anyway.</summary>
    public OverrideRequest? Override { get; init; }
}

/// <summary>A prescriber's override, as recorded.</summary>
/// <param name="PrescriberId">The prescriber who decided.</param>
/// <param name="Reason">Why.</param>
/// <param name="ReadinessRecorded">Whether readiness had been recorded at all.</param>
/// <param name="Failures">The failed checks the override set aside; empty when readiness was missing.</param>
public sealed record OverrideBody(Guid PrescriberId, [property: MaxLength(500)] string Reason, bool ReadinessRecorded, [property: MaxLength(7)] IReadOnlyList<ReadinessFailureBody> Failures);

/// <summary>The infusion as started.</summary>
/// <param name="DoseMgPerKg">The dose, mg per kg.</param>
/// <param name="WeightKg">The weight it was worked out from, kg.</param>
/// <param name="TotalDoseMg">The total dose, mg, rounded to 0.1 with halves away from zero.</param>
/// <param name="StartedAt">When it started, the clinic's local time with offset.</param>
/// <param name="Override">The prescriber's override, when readiness was missing or failing; null otherwise.</param>
/// <param name="StartedBy">Who started it.</param>
public sealed record InfusionBody(decimal DoseMgPerKg, decimal WeightKg, decimal TotalDoseMg, OffsetDateTime StartedAt, OverrideBody? Override, RecordedBy StartedBy);

/// <summary>What is recorded when the patient leaves; every field may be left out, and <c>adverseEvents</c> defaults to none.</summary>
public sealed record CompleteSessionRequest
{
    /// <summary>The modified Aldrete score, 0 to 10; under 9 the patient is not fit for discharge (422).</summary>
    [Range(0, 10)]
    public int? DischargeScore { get; init; }

    /// <summary>The vital signs at discharge.</summary>
    public VitalsBody? VitalsAtDischarge { get; init; }

    /// <summary>Whether the escort who takes the patient home is here.</summary>
    public bool? EscortConfirmed { get; init; }

    /// <summary>What went wrong during or after the infusion: nausea, vomiting, dizziness, headache, hypertension, agitation, dissociation-severe or other (the note says what).</summary>
    [MaxLength(8), ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.AdverseEvents))]
    public IReadOnlyList<string>? AdverseEvents { get; init; }

    /// <summary>The nurse's note; at most 2000 characters, and required when adverseEvents lists other.</summary>
    [MaxLength(2000)]
    public string? Note { get; init; }
}

/// <summary>The discharge, as recorded.</summary>
/// <param name="DischargeScore">The modified Aldrete score, 9 or 10; null when none was recorded.</param>
/// <param name="VitalsAtDischarge">The vital signs at discharge, when taken.</param>
/// <param name="EscortConfirmed">Whether the escort was confirmed, when recorded.</param>
/// <param name="AdverseEvents">What went wrong, each once; empty for nothing.</param>
/// <param name="Note">The nurse's note.</param>
/// <param name="DischargedAt">When the session was completed, the clinic's local time with offset.</param>
/// <param name="DischargedBy">Who recorded the discharge.</param>
public sealed record DischargeBody(
    [property: Range(0, 10)] int? DischargeScore,
    VitalsBody? VitalsAtDischarge,
    bool? EscortConfirmed,
    [property: MaxLength(8), ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.AdverseEvents))] IReadOnlyList<string> AdverseEvents,
    [property: MaxLength(2000)] string? Note,
    OffsetDateTime DischargedAt,
    RecordedBy DischargedBy);

/// <summary>
/// The limits a patient must be within for the infusion to start. The defaults are common practice for
/// sub-anaesthetic ketamine infusions and are placeholders: the clinic's medical director should set them.
/// </summary>
/// <param name="MinFastingHours">The fewest hours since the last meal; default 4.</param>
/// <param name="MaxSystolic">The highest systolic pressure, mmHg, included; default 160.</param>
/// <param name="MaxDiastolic">The highest diastolic pressure, mmHg, included; default 100.</param>
/// <param name="MaxHeartRate">The highest heart rate, beats a minute, included; default 110.</param>
/// <param name="MinSpo2">The lowest oxygen saturation, percent, included; default 94.</param>
/// <param name="RideHomeRequired">Whether a ride home must be arranged; default true. A positive pregnancy test is never ready, whatever the limits.</param>
public sealed record ReadinessLimitsResponse(
    [property: Range(0, 72)] decimal MinFastingHours,
    [property: Range(50, 300)] int MaxSystolic,
    [property: Range(20, 200)] int MaxDiastolic,
    [property: Range(20, 250)] int MaxHeartRate,
    [property: Range(50, 100)] int MinSpo2,
    bool RideHomeRequired);

/// <summary>The clinic's readiness limits to set; a field left out takes its default when a clinic is created, and keeps its value when one is changed.</summary>
public sealed record ReadinessLimitsRequest
{
    /// <summary>The fewest hours since the last meal: 0 to 72. Default 4.</summary>
    [Range(0, 72)]
    public decimal? MinFastingHours { get; init; }

    /// <summary>The highest systolic pressure, mmHg, included: 50 to 300. Default 160.</summary>
    [Range(50, 300)]
    public int? MaxSystolic { get; init; }

    /// <summary>The highest diastolic pressure, mmHg, included: 20 to 200. Default 100.</summary>
    [Range(20, 200)]
    public int? MaxDiastolic { get; init; }

    /// <summary>The highest heart rate, beats a minute, included: 20 to 250. Default 110.</summary>
    [Range(20, 250)]
    public int? MaxHeartRate { get; init; }

    /// <summary>The lowest oxygen saturation, percent, included: 50 to 100. Default 94.</summary>
    [Range(50, 100)]
    public int? MinSpo2 { get; init; }

    /// <summary>Whether a ride home must be arranged. Default true.</summary>
    public bool? RideHomeRequired { get; init; }
}
