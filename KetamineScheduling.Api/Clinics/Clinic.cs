using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Clinics;

/// <summary>
/// A clinic as stored: its settings and its calendar. <see cref="CheckInOpensMinutes"/> is how many minutes before a
/// session's start it may be checked in (see <see cref="StatusTiming"/>). <see cref="IntakeRequired"/> is whether a
/// plan needs an approved intake before it is booked.
/// </summary>
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
    int CheckInOpensMinutes = StatusTiming.DefaultCheckInOpensMinutes,
    string? CalendarEventTitle = null,
    bool IntakeRequired = true,
    CourseThresholdSettings? CourseThresholds = null)
{
    public ClinicCalendar Calendar { get; } = new(
        Zone,
        new OpeningHours(OpeningHours.Select(h => (h.Day, new OpeningInterval(h.Opens, h.Closes)))),
        ClosedDates,
        SlotMinutes,
        TurnoverMinutes,
        MaxStartsPerSlot);

    public ClinicResponse ToResponse() => new(
        Id, Name, Zone.Id, OpeningHours, ClosedDates, SlotMinutes, TurnoverMinutes, ObservationMinutes, MaxStartsPerSlot, PatientsMayCancel, Version, CheckInOpensMinutes, CalendarEventTitle, IntakeRequired, CourseThresholds ?? CourseThresholdSettings.Defaults);
}
