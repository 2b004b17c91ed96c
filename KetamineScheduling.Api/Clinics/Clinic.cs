using KetamineScheduling.Domain.Calendar;
using NodaTime;

namespace KetamineScheduling.Api.Clinics;

/// <summary>A clinic as stored: its settings and its calendar.</summary>
internal sealed record Clinic(
    Guid Id,
    string Name,
    DateTimeZone Zone,
    IReadOnlyList<OpeningHoursEntry> OpeningHours,
    IReadOnlyList<LocalDate> ClosedDates,
    int SlotMinutes,
    int TurnoverMinutes,
    int ObservationMinutes,
    int? MaxStartsPerSlot,
    bool PatientsMayCancel,
    int Version,
    string? CalendarEventTitle = null)
{
    public ClinicCalendar Calendar { get; } = new(
        Zone,
        new OpeningHours(OpeningHours.Select(h => (h.Day, new OpeningInterval(h.Opens, h.Closes)))),
        ClosedDates,
        SlotMinutes,
        TurnoverMinutes,
        MaxStartsPerSlot);

    public ClinicResponse ToResponse() => new(
        Id, Name, Zone.Id, OpeningHours, ClosedDates, SlotMinutes, TurnoverMinutes, ObservationMinutes, MaxStartsPerSlot, PatientsMayCancel, Version, CalendarEventTitle);
}
