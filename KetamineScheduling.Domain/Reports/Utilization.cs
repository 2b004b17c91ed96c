using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Domain.Reports;

/// <summary>
/// How full chairs were over some stretch of time: the chair time open and booked, and the sessions held, missed
/// and cancelled. The same figures describe one chair on one day, one day across chairs, one chair across days, or
/// the whole report; <see cref="op_Addition"/> sums them.
/// </summary>
/// <param name="OpenMinutes">Minutes the chairs were open: the clinic's opening hours on that date, none on a closed date.</param>
/// <param name="BookedMinutes">
/// Minutes of chair time (infusion, observation and cleaning) that booked, checked-in and completed sessions held
/// inside the opening hours. Cancelled sessions and no-shows free their chair, so they hold none.
/// </param>
/// <param name="Sessions">Sessions starting then that held their chair: booked, checked in or completed.</param>
/// <param name="NoShows">Sessions starting then whose patient did not come.</param>
/// <param name="Cancellations">Sessions starting then that were cancelled.</param>
public sealed record Utilization(int OpenMinutes, int BookedMinutes, int Sessions, int NoShows, int Cancellations)
{
    /// <summary>Nothing open and nothing booked.</summary>
    public static readonly Utilization None = new(0, 0, 0, 0, 0);

    /// <summary>
    /// The booked minutes as a percentage of the open minutes, rounded to one decimal place (half away from zero):
    /// 0 to 100, since only chair time inside the opening hours is booked time. Null when nothing was open.
    /// </summary>
    public decimal? UtilizationPercent => OpenMinutes == 0
        ? null
        : Math.Round(100m * BookedMinutes / OpenMinutes, 1, MidpointRounding.AwayFromZero);

    public static Utilization operator +(Utilization left, Utilization right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(
            left.OpenMinutes + right.OpenMinutes,
            left.BookedMinutes + right.BookedMinutes,
            left.Sessions + right.Sessions,
            left.NoShows + right.NoShows,
            left.Cancellations + right.Cancellations);
    }

    /// <summary>The same as the + operator, for languages without operators.</summary>
    public static Utilization Add(Utilization left, Utilization right) => left + right;

    /// <summary>The sum of <paramref name="figures"/>; <see cref="None"/> for none.</summary>
    public static Utilization Sum(IEnumerable<Utilization> figures) => (figures ?? []).Aggregate(None, (sum, f) => sum + f);
}
