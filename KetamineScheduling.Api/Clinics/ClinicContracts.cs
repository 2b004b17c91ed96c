using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Infusions;
using KetamineScheduling.Api.OpenApi;
using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Nursing;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Clinics;

/// <summary>
/// The clinic's own course thresholds; each left out (null) is the documented default: a response is a fall of at
/// least 50% from baseline, a partial response 25%, remission a PHQ-9 or GAD-7 of at most 4, and in maintenance a
/// booster is due 5 points above the post-induction total. The medical director sets these.
/// </summary>
/// <param name="ResponsePercent">1 to 100; at least partialResponsePercent.</param>
/// <param name="PartialResponsePercent">1 to 100.</param>
/// <param name="RemissionMaxTotal">0 to 21.</param>
/// <param name="BoosterRisePoints">1 to 80.</param>
public sealed record CourseThresholdSettings(
    [property: Range(1, 100)] int? ResponsePercent = null,
    [property: Range(1, 100)] int? PartialResponsePercent = null,
    [property: Range(0, 21)] int? RemissionMaxTotal = null,
    [property: Range(1, 80)] int? BoosterRisePoints = null)
{
    public static readonly CourseThresholdSettings Defaults = new();

    /// <summary>The thresholds the course is judged by: these, and the defaults for what they leave out.</summary>
    public Domain.Clinical.CourseThresholds ToThresholds()
    {
        var defaults = Domain.Clinical.CourseThresholds.Default;
        return new(ResponsePercent ?? defaults.ResponsePercent, PartialResponsePercent ?? defaults.PartialResponsePercent,
            RemissionMaxTotal ?? defaults.RemissionMaxTotal, BoosterRisePoints ?? defaults.BoosterRisePoints, defaults.BoosterBand);
    }
}

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

    /// <summary>Minutes before a session's start from which it may be checked in: 0 to 1440. Default 120.</summary>
    public int CheckInOpensMinutes { get; init; } = StatusTiming.DefaultCheckInOpensMinutes;

    /// <summary>
    /// What a patient's calendar feed calls each session, at most 100 characters; null for "Appointment at" and the
    /// clinic's name. It shows on a lock screen: name no diagnosis or treatment.
    /// </summary>
    public string? CalendarEventTitle { get; init; }

    /// <summary>Whether a plan needs an approved intake (POST .../intake) before it is booked. Default true.</summary>
    public bool IntakeRequired { get; init; } = true;

    /// <summary>
    /// Whether a checked-in session must have its readiness recorded and its infusion started before it is
    /// completed (Booked, CheckedIn, InInfusion, Completed). Default true; false lets a checked-in session be completed directly.
    /// </summary>
    public bool ReadinessRequired { get; init; } = true;

    /// <summary>The limits readiness is checked against; a limit left out takes its documented default, which the medical director should review.</summary>
    public ReadinessLimitsRequest? ReadinessLimits { get; init; }

    /// <summary>Minutes a waitlist offer holds its time for the patient to accept: 1 to 30. Default 15.</summary>
    [Range(1, WaitlistWindow.MaxOfferMinutes)]
    public int WaitlistOfferMinutes { get; init; } = WaitlistWindow.DefaultOfferMinutes;

    /// <summary>The clinic's own course thresholds; left out, the documented defaults.</summary>
    public CourseThresholdSettings? CourseThresholds { get; init; }

    /// <summary>Whether and how sessions need a nurse on shift; left out, nurses are not counted.</summary>
    public NursingSettings? Nursing { get; init; }
}

/// <summary>
/// Changes to a clinic's settings, in the manner of a JSON merge patch (RFC 7396): a property left out keeps its
/// value, a property given replaces it. Only <c>maxStartsPerSlot</c> means something by null: no limit. Every other
/// setting must have a value, so null there is the same as leaving it out.
/// </summary>
/// <remarks>
/// New hours that leave booked sessions outside them are refused unless <c>force=true</c>; a new time zone is
/// refused while sessions are still to come, since each was booked at a local time in the old zone.
/// </remarks>
public sealed record UpdateClinicRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>IANA time zone id; refused while the clinic has sessions still to come.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TimeZone { get; init; }

    /// <summary>The whole weekly list of opening intervals, replacing the old one; a weekday with none is closed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<OpeningHoursEntry>? OpeningHours { get; init; }

    /// <summary>Session starts align to this many minutes: 5, 10, 15, 20, 30 or 60.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SlotMinutes { get; init; }

    /// <summary>Minutes a chair is cleaned after each session booked from now on.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TurnoverMinutes { get; init; }

    /// <summary>Minutes of observation after an infusion when a plan names none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ObservationMinutes { get; init; }

    /// <summary>Whether a patient's app may cancel the patient's own future sessions.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? PatientsMayCancel { get; init; }

    /// <summary>The most infusions that may start in one slot across the clinic; null removes the limit, leaving it out keeps it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxStartsPerSlot
    {
        get;
        init
        {
            field = value;
            MaxStartsPerSlotGiven = true;
        }
    }

    /// <summary>Whether the body named <c>maxStartsPerSlot</c> at all, so that null (no limit) differs from left out (unchanged).</summary>
    [JsonIgnore]
    public bool MaxStartsPerSlotGiven { get; private init; }

    /// <summary>Minutes before a session's start from which it may be checked in: 0 to 1440.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? CheckInOpensMinutes { get; init; }

    /// <summary>What a patient's calendar feed calls each session, at most 100 characters; an empty text goes back to "Appointment at" and the clinic's name.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CalendarEventTitle { get; init; }

    /// <summary>Whether a plan needs an approved intake before it is booked; plans already booked are not affected.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IntakeRequired { get; init; }

    /// <summary>Whether a checked-in session must pass readiness and start its infusion before it is completed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ReadinessRequired { get; init; }

    /// <summary>The readiness limits to change; a limit left out keeps its value.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReadinessLimitsRequest? ReadinessLimits { get; init; }

    /// <summary>Minutes a waitlist offer holds its time for the patient to accept: 1 to 30.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Range(1, WaitlistWindow.MaxOfferMinutes)]
    public int? WaitlistOfferMinutes { get; init; }

    /// <summary>The whole set of course thresholds, replacing the old one; a threshold left out inside it is the default.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CourseThresholdSettings? CourseThresholds { get; init; }

    /// <summary>
    /// Nurse staffing to change; a setting left out inside it keeps its value. Turning it on, or changing its numbers
    /// while on, gives every session still to come a nurse under the new rule, and is refused (409, listing them) when
    /// some cannot have one.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NursingSettings? Nursing { get; init; }
}

/// <summary>A booked session a change affects: what the clinic needs to find it and move it.</summary>
/// <param name="Id">The session's id.</param>
/// <param name="ChairId">The chair it is booked on.</param>
/// <param name="Start">Its start, the clinic's local time with offset.</param>
public sealed record AffectedSession(Guid Id, Guid ChairId, OffsetDateTime Start);

/// <summary>The clinic as changed, and the booked sessions the change left outside its opening hours (kept, with <c>force=true</c>).</summary>
public sealed record UpdateClinicResponse(ClinicResponse Clinic, IReadOnlyList<AffectedSession> SessionsOutsideHours) : IVersioned
{
    int IVersioned.Version => Clinic.Version;
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
    [property: Range(1, int.MaxValue)] int Version,
    [property: Range(0, StatusTiming.MaxCheckInOpensMinutes)] int CheckInOpensMinutes,
    [property: MaxLength(100)] string? CalendarEventTitle,
    bool IntakeRequired,
    bool ReadinessRequired,
    ReadinessLimitsResponse ReadinessLimits,
    [property: Range(1, WaitlistWindow.MaxOfferMinutes)] int WaitlistOfferMinutes = WaitlistWindow.DefaultOfferMinutes,
    CourseThresholdSettings? CourseThresholds = null,
    NursingResponse? Nursing = null) : IVersioned;

/// <summary>
/// Nurse staffing as a clinic sets it: whether every session needs a nurse on shift, how many patients a nurse
/// watches at once, and how long a nurse spends setting up one IV, in which the nurse sets up no other.
/// </summary>
/// <param name="Enabled">Whether sessions need a nurse. Default false: nurses are not counted.</param>
/// <param name="PatientsPerNurse">Patients one nurse watches at most at once, from infusion start to end of observation: 1 to 8. Default 4.</param>
/// <param name="SetupMinutes">Minutes from a session's start in which its nurse sets up no other session: 0 to 60. Default 15.</param>
public sealed record NursingSettings(
    bool? Enabled,
    [property: Range(NurseStaffing.MinPatientsPerNurse, NurseStaffing.MaxPatientsPerNurse)] int? PatientsPerNurse,
    [property: Range(0, NurseStaffing.MaxSetupMinutes)] int? SetupMinutes);

/// <summary>Nurse staffing as the clinic has it (see <see cref="NursingSettings"/>).</summary>
/// <param name="Enabled">Whether every session needs a nurse on shift with room for it.</param>
/// <param name="PatientsPerNurse">Patients one nurse watches at most at once.</param>
/// <param name="SetupMinutes">Minutes from a session's start in which its nurse sets up no other.</param>
public sealed record NursingResponse(
    bool Enabled,
    [property: Range(NurseStaffing.MinPatientsPerNurse, NurseStaffing.MaxPatientsPerNurse)] int PatientsPerNurse,
    [property: Range(0, NurseStaffing.MaxSetupMinutes)] int SetupMinutes);

/// <summary>A date to close the clinic, and why.</summary>
public sealed record AddClosedDateRequest(LocalDate Date, [property: MaxLength(500)] string? Reason);

/// <summary>A closed date, and the sessions still booked on it that the clinic must move or cancel.</summary>
public sealed record ClosedDateResponse(LocalDate Date, [property: MaxLength(500)] string? Reason, IReadOnlyList<Guid> SessionsToReschedule);
