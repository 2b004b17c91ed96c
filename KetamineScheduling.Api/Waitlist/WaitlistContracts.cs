using System.ComponentModel.DataAnnotations;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Waitlist;

/// <summary>A patient waiting for chair time within a window, in the clinic's local time.</summary>
public sealed record CreateWaitlistEntryRequest : IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [PatientId];

    public required Guid PatientId { get; init; }

    /// <summary>The patient's plan the session would belong to, if any.</summary>
    public Guid? PlanId { get; init; }

    /// <summary>The first local date the patient could come.</summary>
    public required LocalDate EarliestDate { get; init; }

    /// <summary>The last local date the patient could come, included; at most 92 days from the first.</summary>
    public required LocalDate LatestDate { get; init; }

    /// <summary>The days the patient can come; every day when left out.</summary>
    [MaxLength(7)]
    public IReadOnlyList<IsoDayOfWeek>? DaysOfWeek { get; init; }

    /// <summary>The earliest local start, HH:mm.</summary>
    public LocalTime? EarliestTime { get; init; }

    /// <summary>The latest local start, HH:mm.</summary>
    public LocalTime? LatestTime { get; init; }

    /// <summary>40 to 60.</summary>
    [Range(Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)]
    public required int InfusionMinutes { get; init; }

    /// <summary>For the front desk, at most 500 characters; never sent in webhooks.</summary>
    [MaxLength(500)]
    public string? Note { get; init; }
}

/// <summary>A waitlist entry, and the offer it holds, if any.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="PatientId">The patient waiting.</param>
/// <param name="PlanId">The plan the session would belong to, if any.</param>
/// <param name="EarliestDate">The first local date the patient could come.</param>
/// <param name="LatestDate">The last local date, included.</param>
/// <param name="DaysOfWeek">The days the patient can come; empty for every day.</param>
/// <param name="EarliestTime">The earliest local start, if limited.</param>
/// <param name="LatestTime">The latest local start, if limited.</param>
/// <param name="InfusionMinutes">Minutes the infusion would run.</param>
/// <param name="Note">The front desk's note.</param>
/// <param name="Status">Waiting, Offered, Booked or Removed.</param>
/// <param name="ReservationId">The reservation offered, while Offered; the one booked, once Booked.</param>
/// <param name="QueuedAt">Its place in the queue: when it joined, or when its last offer lapsed.</param>
/// <param name="Version">Changes with every update; sent as the ETag.</param>
/// <param name="CreatedAt">When it joined the list.</param>
public sealed record WaitlistEntryResponse(
    Guid Id,
    Guid PatientId,
    Guid? PlanId,
    LocalDate EarliestDate,
    LocalDate LatestDate,
    [property: MaxLength(7)] IReadOnlyList<IsoDayOfWeek> DaysOfWeek,
    LocalTime? EarliestTime,
    LocalTime? LatestTime,
    [property: Range(Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)] int InfusionMinutes,
    [property: MaxLength(500)] string? Note,
    WaitlistStatus Status,
    Guid? ReservationId,
    Instant QueuedAt,
    [property: Range(1, int.MaxValue)] int Version,
    Instant CreatedAt) : IVersioned, IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [PatientId];
}

internal static class WaitlistResponses
{
    public static WaitlistEntryResponse ToResponse(this WaitlistRow row) => new(
        row.Id, row.PatientId, row.PlanId, row.EarliestDate, row.LatestDate, row.Days, row.EarliestTime, row.LatestTime,
        row.InfusionMinutes, row.Note, Enum.Parse<WaitlistStatus>(row.Status), row.ReservationId, row.QueuedAt, row.Version, row.CreatedAt);
}
