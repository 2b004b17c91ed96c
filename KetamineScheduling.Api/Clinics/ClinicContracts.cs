using System.ComponentModel.DataAnnotations;
using KetamineScheduling.Api.OpenApi;
using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Plans;
using NodaTime;

namespace KetamineScheduling.Api.Clinics;

/// <summary>One opening interval: on <paramref name="Day"/> the clinic is open from <paramref name="Opens"/> (included) to <paramref name="Closes"/> (excluded), local time.</summary>
public sealed record OpeningHoursEntry(IsoDayOfWeek Day, LocalTime Opens, LocalTime Closes);

/// <summary>A new clinic and its calendar.</summary>
public sealed record CreateClinicRequest
{
    [MaxLength(200)]
    public required string Name { get; init; }

    /// <summary>IANA time zone id, e.g. Europe/London. Every local time in this clinic is in this zone.</summary>
    [MaxLength(64)]
    public required string TimeZone { get; init; }

    /// <summary>Weekly opening intervals; a weekday with none is closed.</summary>
    [MinLength(1), MaxLength(70)]
    public required IReadOnlyList<OpeningHoursEntry> OpeningHours { get; init; }

    /// <summary>Whole local dates the clinic is closed.</summary>
    [MaxLength(1000)]
    public IReadOnlyList<LocalDate> ClosedDates { get; init; } = [];

    /// <summary>Session starts align to this many minutes: 5, 10, 15, 20, 30 or 60. Default 15.</summary>
    [ValuesOf(typeof(ClinicCalendar), nameof(ClinicCalendar.AllowedSlotMinutes))]
    public int SlotMinutes { get; init; } = 15;

    /// <summary>Minutes a chair is cleaned after each session. Default 15.</summary>
    [Range(0, ClinicCalendar.MaxTurnoverMinutes)]
    public int TurnoverMinutes { get; init; } = 15;

    /// <summary>Minutes of observation after an infusion when a plan names none. Default 30.</summary>
    [Range(0, Protocol.MaxObservationMinutes)]
    public int ObservationMinutes { get; init; } = Protocol.DefaultObservationMinutes;

    /// <summary>The most infusions that may start in one slot across the clinic; null for no limit.</summary>
    [Range(1, 100)]
    public int? MaxStartsPerSlot { get; init; }

    /// <summary>Whether a patient's app may cancel the patient's own future sessions.</summary>
    public bool PatientsMayCancel { get; init; }
}

/// <summary>A clinic and its calendar.</summary>
public sealed record ClinicResponse(
    Guid Id,
    [property: MaxLength(200)] string Name,
    [property: MaxLength(64)] string TimeZone,
    [property: MaxLength(70)] IReadOnlyList<OpeningHoursEntry> OpeningHours,
    IReadOnlyList<LocalDate> ClosedDates,
    [property: ValuesOf(typeof(ClinicCalendar), nameof(ClinicCalendar.AllowedSlotMinutes))] int SlotMinutes,
    [property: Range(0, ClinicCalendar.MaxTurnoverMinutes)] int TurnoverMinutes,
    [property: Range(0, Protocol.MaxObservationMinutes)] int ObservationMinutes,
    [property: Range(1, 100)] int? MaxStartsPerSlot,
    bool PatientsMayCancel,
    [property: Range(1, int.MaxValue)] int Version);

/// <summary>A date to close the clinic, and why.</summary>
public sealed record AddClosedDateRequest(LocalDate Date, [property: MaxLength(500)] string? Reason);

/// <summary>A closed date, and the sessions still booked on it that the clinic must move or cancel.</summary>
public sealed record ClosedDateResponse(LocalDate Date, [property: MaxLength(500)] string? Reason, IReadOnlyList<Guid> SessionsToReschedule);
