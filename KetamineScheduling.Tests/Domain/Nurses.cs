using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Nursing;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Tests.Domain;

/// <summary>The nurses, shifts and staffed clinics the nurse example tests are written against.</summary>
internal static class Nurses
{
    public static readonly Guid Ann = Clinic.Id(7_001);

    public static readonly Guid Bea = Clinic.Id(7_002);

    /// <summary>When the example nurses' days start and end, the clinic's opening hours.</summary>
    public static readonly LocalTime Eight = new(8, 0);

    public static readonly LocalTime Twenty = new(20, 0);

    /// <summary>Counting nurses with the defaults: four patients a nurse, fifteen minutes' set-up.</summary>
    public static readonly NurseStaffing On = new(true);

    /// <summary>The 60 days from <see cref="Clinic.MondayJanuary11"/>, past every date the example plans reach.</summary>
    public static readonly LocalDate[] Weeks = [.. Enumerable.Range(0, 60).Select(Clinic.MondayJanuary11.PlusDays)];

    /// <summary>A shift for each nurse on each date, from <paramref name="starts"/> to <paramref name="ends"/>, in the order given.</summary>
    public static IEnumerable<NurseShift> Shifts(IEnumerable<LocalDate> dates, LocalTime starts, LocalTime ends, params Guid[] nurses) =>
        dates.SelectMany(date => nurses.Select(nurse => new NurseShift(nurse, date, starts, ends)));

    /// <summary>The bookings of <paramref name="booked"/> in a clinic that counts nurses with <paramref name="staffing"/> and <paramref name="shifts"/>.</summary>
    public static ChairOccupancy Staffed(ClinicCalendar calendar, NurseStaffing staffing, IEnumerable<NurseShift> shifts, IEnumerable<Session> booked) =>
        new(booked.Select(s => s.ToBooking()), new NurseRoster(staffing, calendar, shifts));
}
