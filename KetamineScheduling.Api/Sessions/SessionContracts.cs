using KetamineScheduling.Api.Audit;
using System.ComponentModel.DataAnnotations;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Infusions;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Sessions;

/// <summary>
/// A booked session. <paramref name="Start"/> and <paramref name="End"/> are the clinic's local times with their
/// UTC offset on that date (RFC 3339); <paramref name="TimeZone"/> is the clinic's IANA zone.
/// </summary>
/// <param name="Id">The session's id.</param>
/// <param name="PlanId">The plan it belongs to; null for an ad-hoc visit.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="ChairId">The chair it occupies.</param>
/// <param name="Sequence">Its place in the plan, 1 first; null outside a plan's series.</param>
/// <param name="Phase">Induction or Maintenance; null outside a plan's series.</param>
/// <param name="Status">Booked, CheckedIn, InInfusion, Completed, Cancelled or NoShow.</param>
/// <param name="Start">When the infusion starts, local time with offset.</param>
/// <param name="End">When the patient leaves (infusion plus observation), local time with offset.</param>
/// <param name="TimeZone">The clinic's IANA time zone.</param>
/// <param name="InfusionMinutes">Minutes the infusion runs.</param>
/// <param name="ObservationMinutes">Minutes of observation in the chair afterwards.</param>
/// <param name="Version">Changes with every update; sent as the ETag.</param>
/// <param name="CancelReason">Why it was cancelled, when it was.</param>
/// <param name="Readiness">The readiness recorded once the patient was checked in; null until then.</param>
/// <param name="Infusion">The infusion's dose, start and any override; null until it starts.</param>
/// <param name="Discharge">What was recorded when the patient left; null until the session is completed with it.</param>
/// <param name="NurseId">The nurse on shift who sets up and watches the session, where the clinic counts nurses (see the clinic's <c>nursing</c>); null otherwise.</param>
public sealed record SessionResponse(
    Guid Id,
    Guid? PlanId,
    Guid PatientId,
    Guid ChairId,
    [property: Range(1, TreatmentPlan.MaxSessions)] int? Sequence,
    Phase? Phase,
    SessionStatus Status,
    OffsetDateTime Start,
    OffsetDateTime End,
    [property: MaxLength(64)] string TimeZone,
    [property: Range(Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)] int InfusionMinutes,
    [property: Range(0, Protocol.MaxObservationMinutes)] int ObservationMinutes,
    [property: Range(1, int.MaxValue)] int Version,
    [property: MaxLength(500)] string? CancelReason,
    ReadinessBody? Readiness = null,
    InfusionBody? Infusion = null,
    DischargeBody? Discharge = null,
    Guid? NurseId = null) : IVersioned, IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [PatientId];
}

/// <summary>
/// What a request for one session's time names, a booking's or a reservation's: both go through the same checks, and
/// a reservation's becomes the booking's.
/// </summary>
public abstract record SessionRequest : IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [PatientId];

    public required Guid PatientId { get; init; }

    public required Guid ChairId { get; init; }

    /// <summary>Local start in the clinic's zone, without offset: 2027-05-03T10:00.</summary>
    public required LocalDateTime Start { get; init; }

    /// <summary>40 to 60.</summary>
    [Range(Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)]
    public required int InfusionMinutes { get; init; }

    /// <summary>Defaults to the plan's observation, or the clinic's.</summary>
    [Range(0, Protocol.MaxObservationMinutes)]
    public int? ObservationMinutes { get; init; }

    /// <summary>The patient's plan the session belongs to, if any.</summary>
    public Guid? PlanId { get; init; }
}

/// <summary>
/// One session to book, outside or beside a plan's series: a booster, an ad-hoc visit. With
/// <see cref="ReservationId"/> it books that reservation, which then becomes this session, with the reservation's id.
/// </summary>
public sealed record BookSessionRequest : SessionRequest
{
    /// <summary>
    /// A live reservation to book: the session keeps its id, chair, start and length, so the other fields must say
    /// the same (observation and plan may be left out). An expired or released reservation answers 410.
    /// </summary>
    public Guid? ReservationId { get; init; }
}

/// <summary>Move a session to a new local start and, optionally, another chair.</summary>
/// <param name="Start">The new local start in the clinic's zone.</param>
/// <param name="ChairId">The new chair; omitted keeps the chair.</param>
/// <param name="ShiftFollowing">Also move every later booked session of the plan, induction and maintenance, by the same number of days, keeping the planning rule; sessions the move leaves where they were are not listed as shifted.</param>
public sealed record RescheduleSessionRequest(LocalDateTime Start, Guid? ChairId, bool ShiftFollowing = false);

/// <summary>Why a session is called off.</summary>
public sealed record CancelSessionRequest([property: MaxLength(500)] string? Reason);

/// <summary>The sessions a reschedule moved: the session itself first, then any it shifted.</summary>
public sealed record RescheduleResponse(SessionResponse Session, [property: MaxLength(TreatmentPlan.MaxSessions)] IReadOnlyList<SessionResponse> Shifted) : IVersioned, IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [Session.PatientId, .. Shifted.Select(s => s.PatientId)];

    /// <summary>The moved session's version: the ETag describes it, not the sessions shifted with it.</summary>
    int IVersioned.Version => Session.Version;
}

/// <summary>A chair free at a local start for a session of the asked length.</summary>
public sealed record FreeStart(Guid ChairId, OffsetDateTime Start, OffsetDateTime End);

/// <summary>The free chair starts on one date.</summary>
public sealed record AvailabilityResponse(
    LocalDate Date,
    [property: MaxLength(64)] string TimeZone,
    [property: Range(Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)] int InfusionMinutes,
    [property: Range(0, Protocol.MaxObservationMinutes)] int ObservationMinutes,
    IReadOnlyList<FreeStart> Items,
    [property: MaxLength(500)] string? NextCursor);
