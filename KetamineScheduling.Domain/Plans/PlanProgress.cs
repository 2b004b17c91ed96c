using KetamineScheduling.Domain.Sessions;

namespace KetamineScheduling.Domain.Plans;

/// <summary>What a change to one of a plan's sessions does to the plan as a whole.</summary>
public static class PlanProgress
{
    /// <summary>
    /// The plan after its sessions changed to <paramref name="sessions"/> (a session checked in, completed, cancelled
    /// or missed): an induction gap that a cancellation or no-show left longer than the largest interval marks the
    /// induction interrupted, for the clinic to decide whether to restart it, and once nothing is left to hold (every
    /// session completed, cancelled or missed) an active plan is completed. The same plan when neither applies.
    /// </summary>
    /// <param name="plan">The plan before the change.</param>
    /// <param name="sessions">Every booked session of the plan, in any status, after the change.</param>
    public static TreatmentPlan AfterSessionsChanged(TreatmentPlan plan, IReadOnlyList<Session> sessions)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(sessions);
        var interrupted = plan.InductionInterrupted || Rescheduling.IsInductionInterrupted(plan.Protocol.Induction, sessions);
        var updated = interrupted == plan.InductionInterrupted ? plan : plan with { InductionInterrupted = interrupted };
        var done = sessions.Count > 0 && sessions.All(s => s.Status is SessionStatus.Completed or SessionStatus.Cancelled or SessionStatus.NoShow);
        return done && updated.MoveTo(PlanStatus.Completed) is { } completed ? completed : updated;
    }
}
