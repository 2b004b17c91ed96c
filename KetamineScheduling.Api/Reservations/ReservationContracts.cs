using System.ComponentModel.DataAnnotations;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Reservations;

/// <summary>Hold a chair and a patient's time for a few minutes, while someone decides.</summary>
public sealed record CreateReservationRequest : SessionRequest
{
    /// <summary>How long to hold the time, in seconds: 60 to 1800, 300 when left out.</summary>
    [Range(Reservation.MinSeconds, Reservation.MaxSeconds)]
    public int? TtlSeconds { get; init; }
}

/// <summary>
/// A reservation: the session it would book, held until <paramref name="ExpiresAt"/>. <paramref name="Start"/> and
/// <paramref name="End"/> are the clinic's local times with their UTC offset on that date (RFC 3339).
/// </summary>
/// <param name="Id">The reservation's id; booked, it becomes the session's id.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="ChairId">The chair it holds.</param>
/// <param name="PlanId">The plan the session would belong to; null for an ad-hoc visit.</param>
/// <param name="Status">Held, Converted (booked as the session of the same id), Released or Expired, as of now.</param>
/// <param name="Start">When the infusion would start, local time with offset.</param>
/// <param name="End">When the patient would leave (infusion plus observation), local time with offset.</param>
/// <param name="TimeZone">The clinic's IANA time zone.</param>
/// <param name="InfusionMinutes">Minutes the infusion would run.</param>
/// <param name="ObservationMinutes">Minutes of observation in the chair afterwards.</param>
/// <param name="ExpiresAt">The first instant it no longer holds the time (UTC, a whole second).</param>
/// <param name="SessionId">The session it was booked as, once Converted.</param>
/// <param name="Version">Changes with every update; sent as the ETag.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="NurseId">The nurse on shift it holds to set up and watch the session, where the clinic counts nurses (see the clinic's <c>nursing</c>); null otherwise. Booked, the session keeps that nurse.</param>
public sealed record ReservationResponse(
    Guid Id,
    Guid PatientId,
    Guid ChairId,
    Guid? PlanId,
    ReservationStatus Status,
    OffsetDateTime Start,
    OffsetDateTime End,
    [property: MaxLength(64)] string TimeZone,
    [property: Range(Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)] int InfusionMinutes,
    [property: Range(0, Protocol.MaxObservationMinutes)] int ObservationMinutes,
    Instant ExpiresAt,
    Guid? SessionId,
    [property: Range(1, int.MaxValue)] int Version,
    Instant CreatedAt,
    Guid? NurseId = null) : IVersioned, IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [PatientId];
}

internal static class ReservationResponses
{
    /// <summary>The reservation as clients see it at <paramref name="now"/>, at <paramref name="version"/>.</summary>
    public static ReservationResponse ToResponse(this Reservation reservation, int version, Instant now)
    {
        var session = reservation.Session;
        var status = reservation.StatusAt(now);
        return new(
            reservation.Id, session.PatientId, session.ChairId, session.PlanId, status,
            session.Start.ToOffsetDateTime(), session.End.ToOffsetDateTime(), session.Start.Zone.Id,
            session.Length.InfusionMinutes, session.Length.ObservationMinutes, reservation.ExpiresAt,
            status == ReservationStatus.Converted ? reservation.Id : null, version, reservation.CreatedAt, session.NurseId);
    }
}
