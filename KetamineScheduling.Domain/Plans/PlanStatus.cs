namespace KetamineScheduling.Domain.Plans;

/// <summary>Where a treatment plan stands.</summary>
public enum PlanStatus
{
    /// <summary>Planned but not booked; no chair time is held.</summary>
    Draft,

    /// <summary>Booked and under way.</summary>
    Active,

    /// <summary>Paused by the clinic; booked sessions stay as they are until the plan resumes or ends.</summary>
    OnHold,

    /// <summary>Every session is done.</summary>
    Completed,

    /// <summary>Ended early; the plan's future sessions are cancelled.</summary>
    Discontinued,
}

/// <summary>The legal moves between plan statuses.</summary>
public static class PlanStatusTransitions
{
    /// <summary>
    /// Whether a plan may move from <paramref name="from"/> to <paramref name="to"/>. A draft becomes active when it
    /// is booked; an active plan may be held and resumed; completed and discontinued plans are final.
    /// </summary>
    public static bool CanMove(PlanStatus from, PlanStatus to) => (from, to) switch
    {
        (PlanStatus.Draft, PlanStatus.Active or PlanStatus.Discontinued) => true,
        (PlanStatus.Active, PlanStatus.OnHold or PlanStatus.Completed or PlanStatus.Discontinued) => true,
        (PlanStatus.OnHold, PlanStatus.Active or PlanStatus.Discontinued) => true,
        _ => false,
    };
}
