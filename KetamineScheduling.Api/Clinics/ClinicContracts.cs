using NodaTime;

namespace KetamineScheduling.Api.Clinics;

/// <summary>One opening interval: on <paramref name="Day"/> the clinic is open from <paramref name="Opens"/> (included) to <paramref name="Closes"/> (excluded), local time.</summary>
public sealed record OpeningHoursEntry(IsoDayOfWeek Day, LocalTime Opens, LocalTime Closes);

/// <summary>A new clinic and its calendar.</summary>
public sealed record CreateClinicRequest
{
    public required string Name { get; init; }

    /// <summary>IANA time zone id, e.g. Europe/London. Every local time in this clinic is in this zone.</summary>
    public required string TimeZone { get; init; }

    /// <summary>Weekly opening intervals; a weekday with none is closed.</summary>
    public required IReadOnlyList<OpeningHoursEntry> OpeningHours { get; init; }

    /// <summary>Whole local dates the clinic is closed.</summary>
    public IReadOnlyList<LocalDate> ClosedDates { get; init; } = [];

    /// <summary>Session starts align to this many minutes: 5, 10, 15, 20, 30 or 60. Default 15.</summary>
    public int SlotMinutes { get; init; } = 15;

    /// <summary>Minutes a chair is cleaned after each session. Default 15.</summary>
    public int TurnoverMinutes { get; init; } = 15;

    /// <summary>Minutes of observation after an infusion when a plan names none. Default 30.</summary>
    public int ObservationMinutes { get; init; } = Domain.Plans.Protocol.DefaultObservationMinutes;

    /// <summary>The most infusions that may start in one slot across the clinic; null for no limit.</summary>
    public int? MaxStartsPerSlot { get; init; }

    /// <summary>Whether a patient's app may cancel the patient's own future sessions.</summary>
    public bool PatientsMayCancel { get; init; }

    /// <summary>
    /// What a patient's calendar feed calls each session, at most 100 characters; null for "Appointment at" and the
    /// clinic's name. It shows on a lock screen: name no diagnosis or treatment.
    /// </summary>
    public string? CalendarEventTitle { get; init; }
}

/// <summary>A clinic and its calendar.</summary>
public sealed record ClinicResponse(
    Guid Id,
    string Name,
    string TimeZone,
    IReadOnlyList<OpeningHoursEntry> OpeningHours,
    IReadOnlyList<LocalDate> ClosedDates,
    int SlotMinutes,
    int TurnoverMinutes,
    int ObservationMinutes,
    int? MaxStartsPerSlot,
    bool PatientsMayCancel,
    int Version,
    string? CalendarEventTitle = null);

/// <summary>A date to close the clinic, and why.</summary>
public sealed record AddClosedDateRequest(LocalDate Date, string? Reason);

/// <summary>A closed date, and the sessions still booked on it that the clinic must move or cancel.</summary>
public sealed record ClosedDateResponse(LocalDate Date, string? Reason, IReadOnlyList<Guid> SessionsToReschedule);
