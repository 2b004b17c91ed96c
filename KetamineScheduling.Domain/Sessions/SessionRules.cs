using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Nursing;
using NodaTime;

namespace KetamineScheduling.Domain.Sessions;

/// <summary>The rules every booked session keeps, whichever way it was booked.</summary>
public static class SessionRules
{
    /// <summary>
    /// The first rule <paramref name="session"/> breaks in this clinic, or <see langword="null"/> when it may be
    /// booked: it starts after <paramref name="now"/>, on an open day, on the slot grid; its chair time lies inside
    /// opening hours; its chair and its patient are free; its slot has room for another start; and, where the clinic counts nurses, a
    /// nurse on shift has room for it.
    /// </summary>
    public static Obstacle? Check(ClinicCalendar calendar, ChairOccupancy occupancy, Session session, Instant now) =>
        Admit(calendar, occupancy, session, now).Obstacle;

    /// <summary>
    /// <paramref name="session"/> as it may be booked, with its nurse where the clinic counts nurses (see
    /// <see cref="NurseRoster.Choose"/>), or the first rule it breaks (see <see cref="Check"/>). A nurse the session
    /// already has is kept while the rule allows it, so a session moved or claimed again keeps its nurse when it can.
    /// </summary>
    public static (Session? Admitted, Obstacle? Obstacle) Admit(ClinicCalendar calendar, ChairOccupancy occupancy, Session session, Instant now)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(occupancy);
        ArgumentNullException.ThrowIfNull(session);
        var local = session.Start.LocalDateTime;
        var booking = session.ToBooking();
        if (booking.Start < now)
        {
            return (null, Obstacle.InThePast);
        }

        if (!calendar.IsOpenOn(local.Date))
        {
            return (null, Obstacle.ClinicClosed);
        }

        if (!calendar.IsOnSlotGrid(local.TimeOfDay))
        {
            return (null, Obstacle.OffSlotGrid);
        }

        if (!calendar.FitsOpeningHours(local, session.Length.ChairTime))
        {
            return (null, Obstacle.OutsideOpeningHours);
        }

        if (!occupancy.ChairIsFree(session.ChairId, booking))
        {
            return (null, Obstacle.ChairTaken);
        }

        if (!occupancy.PatientIsFree(booking))
        {
            return (null, Obstacle.PatientBusy);
        }

        if (calendar.MaxStartsPerSlot is { } max && occupancy.StartsAt(booking.Start) >= max)
        {
            return (null, Obstacle.StartsPerSlotFull);
        }

        var roster = occupancy.Roster;
        if (!roster.Staffing.Enabled)
        {
            return (session.NurseId is null ? session : session with { NurseId = null }, null);
        }

        if (session.NurseId is { } kept && roster.Allows(kept, booking, occupancy.OfNurse(kept, booking.Date)))
        {
            return (session, null);
        }

        var (nurse, obstacle) = roster.Choose(booking, nurseId => occupancy.OfNurse(nurseId, booking.Date));
        return nurse is null ? (null, obstacle) : (session with { NurseId = nurse }, null);
    }

    /// <summary>A sentence for the clinic saying what an obstacle means.</summary>
    public static string Describe(this Obstacle obstacle) => obstacle switch
    {
        Obstacle.InThePast => "the start has already passed",
        Obstacle.ClinicClosed => "the clinic is closed that day",
        Obstacle.OffSlotGrid => "the start is not on the clinic's slot grid",
        Obstacle.OutsideOpeningHours => "the chair time (infusion, observation and cleaning) does not fit inside opening hours",
        Obstacle.ChairTaken => "the chair is taken",
        Obstacle.PatientBusy => "the patient has another session then",
        Obstacle.StartsPerSlotFull => "the clinic's limit of infusion starts in that slot is reached",
        Obstacle.NotMovable => "the session is checked in, done or called off",
        Obstacle.OutOfOrder => "the plan's sessions would be out of order",
        Obstacle.InductionBroken => "the induction would break its largest interval or its span",
        Obstacle.NoChairs => "the clinic has no chairs",
        Obstacle.MaintenanceLate => "a maintenance session would come later than its interval and slack allow",
        Obstacle.NoNurseOnShift => "no nurse is on shift for the whole infusion and observation (nurse capacity)",
        Obstacle.NurseSettingUp => "every nurse on shift is setting up another infusion in its set-up time (nurse capacity)",
        Obstacle.NursesFull => "every nurse on shift already watches as many patients as the clinic allows (nurse capacity)",
        _ => obstacle.ToString(),
    };
}
