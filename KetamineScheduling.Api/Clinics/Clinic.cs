using KetamineScheduling.Api.Infusions;
using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Nursing;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Clinics;

/// <summary>
/// A clinic as stored: its settings and its calendar. <see cref="CheckInOpensMinutes"/> is how many minutes before a
/// session's start it may be checked in (see <see cref="StatusTiming"/>). <see cref="IntakeRequired"/> is whether a
/// plan needs an approved intake before it is booked. <see cref="ReadinessRequired"/> says whether
/// a checked-in session must pass readiness and start its infusion before it is completed (see
/// <see cref="SessionStatusTransitions.CanMove"/>), against <see cref="ReadinessLimits"/>; null limits are the documented defaults.
/// <see cref="Nursing"/> is whether and how sessions need a nurse (see <see cref="NurseRoster"/>).
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
    bool ReadinessRequired = true,
    ReadinessLimits? ReadinessLimits = null,
    int WaitlistOfferMinutes = WaitlistWindow.DefaultOfferMinutes,
    CourseThresholdSettings? CourseThresholds = null,
    NurseStaffing? Nursing = null)
{
    /// <summary>How the clinic counts its nurses; off unless it says otherwise.</summary>
    public NurseStaffing Staffing => Nursing ?? NurseStaffing.Off;

    /// <summary>The limits readiness is checked against: the clinic's own, or the documented defaults.</summary>
    public ReadinessLimits Limits => ReadinessLimits ?? ReadinessLimits.Default;

    public ClinicCalendar Calendar { get; } = new(
        Zone,
        new OpeningHours(OpeningHours.Select(h => (h.Day, new OpeningInterval(h.Opens, h.Closes)))),
        ClosedDates,
        SlotMinutes,
        TurnoverMinutes,
        MaxStartsPerSlot);

    public ClinicResponse ToResponse() => new(
        Id, Name, Zone.Id, OpeningHours, ClosedDates, SlotMinutes, TurnoverMinutes, ObservationMinutes, MaxStartsPerSlot, PatientsMayCancel, Version, CheckInOpensMinutes, CalendarEventTitle, IntakeRequired,
        ReadinessRequired, InfusionWire.ToBody(Limits), WaitlistOfferMinutes, CourseThresholds ?? CourseThresholdSettings.Defaults,
        new NursingResponse(Staffing.Enabled, Staffing.PatientsPerNurse, Staffing.SetupMinutes));
}
