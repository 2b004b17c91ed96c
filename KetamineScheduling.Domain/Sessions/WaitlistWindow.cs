using System.Collections.Immutable;
using NodaTime;

namespace KetamineScheduling.Domain.Sessions;

/// <summary>Where a waitlist entry stands.</summary>
public enum WaitlistStatus
{
    /// <summary>In the queue, waiting for time to be freed.</summary>
    Waiting,

    /// <summary>Offered a reservation, which the patient may accept until it expires.</summary>
    Offered,

    /// <summary>Its offer was booked; it waits no more.</summary>
    Booked,

    /// <summary>Taken off the list.</summary>
    Removed,
}

/// <summary>
/// When a waiting patient could come: local dates from <see cref="EarliestDate"/> to <see cref="LatestDate"/> (both
/// included), on <see cref="DaysOfWeek"/> (every day when empty), starting no earlier than <see cref="EarliestTime"/>
/// and no later than <see cref="LatestTime"/> (either end open when null). All in the clinic's local time.
/// </summary>
public sealed record WaitlistWindow
{
    /// <summary>The most days a window may span, both ends included: about three months.</summary>
    public const int MaxDays = 92;

    /// <summary>How long an offer holds its time when the clinic does not say: 15 minutes.</summary>
    public const int DefaultOfferMinutes = 15;

    public WaitlistWindow(LocalDate earliestDate, LocalDate latestDate, IEnumerable<IsoDayOfWeek>? daysOfWeek = null, LocalTime? earliestTime = null, LocalTime? latestTime = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latestDate, earliestDate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Period.DaysBetween(earliestDate, latestDate), MaxDays - 1, nameof(latestDate));
        if (earliestTime is { } from && latestTime is { } to)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(to, from, nameof(latestTime));
        }

        EarliestDate = earliestDate;
        LatestDate = latestDate;
        DaysOfWeek = [.. (daysOfWeek ?? []).Distinct().Order()];
        EarliestTime = earliestTime;
        LatestTime = latestTime;
    }

    public LocalDate EarliestDate { get; }

    public LocalDate LatestDate { get; }

    /// <summary>The days the patient can come, Monday first; empty for every day.</summary>
    public ImmutableArray<IsoDayOfWeek> DaysOfWeek { get; }

    /// <summary>The earliest local start; null for the clinic's opening.</summary>
    public LocalTime? EarliestTime { get; }

    /// <summary>The latest local start (not end); null for as late as the clinic allows.</summary>
    public LocalTime? LatestTime { get; }

    /// <summary>The window's dates on or after <paramref name="today"/>, earliest first.</summary>
    public IEnumerable<LocalDate> DatesFrom(LocalDate today)
    {
        for (var date = today > EarliestDate ? today : EarliestDate; date <= LatestDate; date = date.PlusDays(1))
        {
            if (DaysOfWeek.IsEmpty || DaysOfWeek.Contains(date.DayOfWeek))
            {
                yield return date;
            }
        }
    }

    /// <summary>Whether a session starting at local <paramref name="start"/> is inside the window.</summary>
    public bool Fits(LocalDateTime start) =>
        start.Date >= EarliestDate && start.Date <= LatestDate &&
        (DaysOfWeek.IsEmpty || DaysOfWeek.Contains(start.DayOfWeek)) &&
        (EarliestTime is not { } from || start.TimeOfDay >= from) &&
        (LatestTime is not { } to || start.TimeOfDay <= to);
}
