using System.Collections.Immutable;

namespace KetamineScheduling.Domain.Plans;

/// <summary>
/// The sessions after induction: either a fixed interval, or a taper of growing intervals such as 14, 21, 28 days.
/// Each interval is the days from the previous session (the last induction session, for the first one).
/// </summary>
public sealed record MaintenanceCycle
{
    /// <summary>The most maintenance sessions a plan may hold: about two years of monthly infusions.</summary>
    public const int MaxSessions = 26;

    /// <summary>The longest maintenance interval, in days.</summary>
    public const int MaxIntervalDays = 180;

    /// <summary>Common practice: an infusion every 28 days, six times.</summary>
    public static readonly MaintenanceCycle Default = Every(6, 28);

    /// <summary>No maintenance: the plan ends with induction.</summary>
    public static readonly MaintenanceCycle None = new([]);

    public MaintenanceCycle(IEnumerable<int> intervalDays)
    {
        ArgumentNullException.ThrowIfNull(intervalDays);
        var intervals = intervalDays.ToImmutableArray();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(intervals.Length, MaxSessions, nameof(intervalDays));
        foreach (var days in intervals)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(days, 1, nameof(intervalDays));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxIntervalDays, nameof(intervalDays));
        }

        IntervalDays = intervals;
    }

    /// <summary>The same interval between every maintenance session.</summary>
    public static MaintenanceCycle Every(int sessions, int intervalDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sessions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sessions, MaxSessions);
        return new MaintenanceCycle(Enumerable.Repeat(intervalDays, sessions));
    }

    /// <summary>The days before each maintenance session, counted from the session before it.</summary>
    public ImmutableArray<int> IntervalDays { get; }

    /// <summary>How many maintenance sessions the plan holds.</summary>
    public int Sessions => IntervalDays.Length;

    /// <summary>
    /// How many days after its planned date a maintenance session may still take place: a quarter of its interval,
    /// at least one day and at most seven. A 28-day cadence tolerates a week.
    /// </summary>
    public static int SlackDays(int intervalDays) => Math.Clamp(intervalDays / 4, 1, 7);

    public bool Equals(MaintenanceCycle? other) => other is not null && IntervalDays.SequenceEqual(other.IntervalDays);

    public override int GetHashCode() => IntervalDays.Aggregate(17, HashCode.Combine);
}
