namespace KetamineScheduling.Domain.Plans;

/// <summary>
/// The opening series of a treatment plan: how many infusions, how many days apart, and how far the series may
/// stretch before it no longer counts as one induction.
/// </summary>
public sealed record InductionCycle
{
    /// <summary>The most induction sessions a plan may ask for.</summary>
    public const int MaxSessions = 30;

    /// <summary>The longest interval, in days, any induction rule may name.</summary>
    public const int MaxDays = 60;

    /// <summary>
    /// Common practice: six infusions every two days, never more than three days apart, all within 21 days.
    /// </summary>
    public static readonly InductionCycle Default = new(6, 2, 3, 21);

    public InductionCycle(int sessions, int intervalDays, int maxIntervalDays, int maxSpanDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sessions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sessions, MaxSessions);
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalDays, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(intervalDays, MaxDays);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIntervalDays, intervalDays);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxIntervalDays, MaxDays);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSpanDays, (sessions - 1) * intervalDays);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSpanDays, MaxSessions * MaxDays);
        Sessions = sessions;
        IntervalDays = intervalDays;
        MaxIntervalDays = maxIntervalDays;
        MaxSpanDays = maxSpanDays;
    }

    /// <summary>How many induction infusions the plan holds.</summary>
    public int Sessions { get; }

    /// <summary>The target number of days from one induction session to the next.</summary>
    public int IntervalDays { get; }

    /// <summary>The most days allowed between two induction sessions; a longer gap interrupts the induction.</summary>
    public int MaxIntervalDays { get; }

    /// <summary>The most days from the first induction session to the last (the last date minus the first).</summary>
    public int MaxSpanDays { get; }

    /// <summary>The span a plan gets when none is given: the target cadence plus the slack each gap may take.</summary>
    public static int DefaultSpanFor(int sessions, int maxIntervalDays) => Math.Max(21, (sessions - 1) * maxIntervalDays);
}
