using System.Collections.Immutable;

namespace KetamineScheduling.Domain.Sessions;

/// <summary>The sets of statuses the clinic's rules speak of, for stores that select by them.</summary>
public static class SessionStatuses
{
    /// <summary>The statuses whose session still holds its chair and its patient's time (<see cref="SessionStatusTransitions.HoldsChair"/>).</summary>
    public static ImmutableArray<SessionStatus> HoldingChair { get; } = [.. Enum.GetValues<SessionStatus>().Where(s => s.HoldsChair())];

    /// <summary>The statuses of a session that is still to come for its patient (<see cref="IsStillToCome"/>).</summary>
    public static ImmutableArray<SessionStatus> StillToCome { get; } = [.. Enum.GetValues<SessionStatus>().Where(s => s.IsStillToCome())];

    /// <summary>
    /// Whether a session in this status is still to come: booked, or checked in or in infusion and not yet done.
    /// What a patient's app lists, and what a change of opening hours or of a closed date leaves for the clinic to move.
    /// </summary>
    public static bool IsStillToCome(this SessionStatus status) => status is SessionStatus.Booked or SessionStatus.CheckedIn or SessionStatus.InInfusion;

    /// <summary>The statuses' names, as the stores keep them.</summary>
    public static IReadOnlyList<string> Names(this ImmutableArray<SessionStatus> statuses) => [.. statuses.Select(s => s.ToString())];
}
