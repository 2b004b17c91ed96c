using System.Collections.Immutable;
using NodaTime;

namespace KetamineScheduling.Domain.Calendar;

/// <summary>
/// A clinic's regular weekly opening hours: one or more local intervals per weekday. A weekday with no interval
/// is a closed day every week.
/// </summary>
public sealed class OpeningHours
{
    private static readonly IsoDayOfWeek[] Week =
    [
        IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday,
        IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday,
    ];

    private readonly ImmutableArray<OpeningInterval>[] byDay;

    /// <summary>Creates opening hours from intervals; intervals of one day must not overlap.</summary>
    public OpeningHours(IEnumerable<(IsoDayOfWeek Day, OpeningInterval Interval)> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        byDay = new ImmutableArray<OpeningInterval>[8];
        foreach (var group in intervals.GroupBy(i => i.Day))
        {
            if (group.Key is < IsoDayOfWeek.Monday or > IsoDayOfWeek.Sunday)
            {
                throw new ArgumentException($"'{group.Key}' is not a weekday.", nameof(intervals));
            }

            var sorted = group.Select(g => g.Interval).OrderBy(i => i.Opens).ToImmutableArray();
            for (var i = 1; i < sorted.Length; i++)
            {
                if (sorted[i - 1].Overlaps(sorted[i]))
                {
                    throw new ArgumentException($"Opening hours on {group.Key} overlap: {sorted[i - 1]} and {sorted[i]}.", nameof(intervals));
                }
            }

            byDay[(int)group.Key] = sorted;
        }
    }

    /// <summary>The same hours every day from Monday to Friday, closed at weekends.</summary>
    public static OpeningHours Weekdays(LocalTime opens, LocalTime closes) =>
        new(Week.Take(5).Select(d => (d, new OpeningInterval(opens, closes))));

    /// <summary>The same hours on each of the given days; other days are closed.</summary>
    public static OpeningHours On(IEnumerable<IsoDayOfWeek> days, LocalTime opens, LocalTime closes) =>
        new(days.Select(d => (d, new OpeningInterval(opens, closes))));

    /// <summary>The intervals on a weekday, earliest first; empty when the clinic is closed that weekday.</summary>
    public ImmutableArray<OpeningInterval> On(IsoDayOfWeek day)
    {
        var hours = day is >= IsoDayOfWeek.Monday and <= IsoDayOfWeek.Sunday ? byDay[(int)day] : default;
        return hours.IsDefault ? [] : hours;
    }

    /// <summary>Every interval of the week, Monday first.</summary>
    public IEnumerable<(IsoDayOfWeek Day, OpeningInterval Interval)> All =>
        Week.SelectMany(d => On(d).Select(i => (d, i)));

    /// <summary>Whether the clinic is open at some time every week.</summary>
    public bool IsOpenAnyDay => Week.Any(d => !On(d).IsEmpty);
}
