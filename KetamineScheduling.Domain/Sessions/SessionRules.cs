using KetamineScheduling.Domain.Calendar;
using NodaTime;

namespace KetamineScheduling.Domain.Sessions;

/// <summary>The rules every booked session keeps, whichever way it was booked.</summary>
public static class SessionRules
{
    /// <summary>
    /// The first rule <paramref name="session"/> breaks in this clinic, or <see langword="null"/> when it may be
    /// booked: it starts after <paramref name="now"/>, on an open day, on the slot grid; its chair time lies inside
    /// opening hours; its chair and its patient are free; and its slot has room for another start.
    /// </summary>
    public static Obstacle? Check(ClinicCalendar calendar, ChairOccupancy occupancy, Session session, Instant now)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(occupancy);
        ArgumentNullException.ThrowIfNull(session);
        var local = session.Start.LocalDateTime;
        var booking = session.ToBooking();
        if (booking.Start < now)
        {
            return Obstacle.InThePast;
        }

        if (!calendar.IsOpenOn(local.Date))
        {
            return Obstacle.ClinicClosed;
        }

        if (!calendar.IsOnSlotGrid(local.TimeOfDay))
        {
            return Obstacle.OffSlotGrid;
        }

        if (!calendar.FitsOpeningHours(local, session.Length.ChairTime))
        {
            return Obstacle.OutsideOpeningHours;
        }

        if (!occupancy.ChairIsFree(session.ChairId, booking))
        {
            return Obstacle.ChairTaken;
        }

        if (!occupancy.PatientIsFree(booking))
        {
            return Obstacle.PatientBusy;
        }

        if (calendar.MaxStartsPerSlot is { } max && occupancy.StartsAt(booking.Start) >= max)
        {
            return Obstacle.StartsPerSlotFull;
        }

        return null;
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
        _ => obstacle.ToString(),
    };
}
