namespace KetamineScheduling.Domain.Sessions;

/// <summary>Where a booked session stands.</summary>
public enum SessionStatus
{
    /// <summary>A chair is held for the patient.</summary>
    Booked,

    /// <summary>The patient has arrived.</summary>
    CheckedIn,

    /// <summary>The infusion has started: the patient was found ready (or a prescriber overrode) and the dose is recorded.</summary>
    InInfusion,

    /// <summary>The infusion and observation are done.</summary>
    Completed,

    /// <summary>Called off before it happened; the chair time is free again.</summary>
    Cancelled,

    /// <summary>The patient did not come; the chair time is free again.</summary>
    NoShow,
}

/// <summary>The legal moves between session statuses.</summary>
public static class SessionStatusTransitions
{
    /// <summary>
    /// Whether a session may move from <paramref name="from"/> to <paramref name="to"/>: <c>Booked → CheckedIn →
    /// InInfusion → Completed</c>. A booked session is checked in, cancelled or marked a no-show; a checked-in
    /// session starts its infusion or is cancelled (the patient leaves before the infusion); a session in infusion
    /// is completed, and cannot be cancelled, since the drug has been given. Where the clinic does not require
    /// readiness (<paramref name="readinessRequired"/> false, a clinic setting), a checked-in session may also be
    /// completed without an infusion being recorded. Completed, cancelled and no-show sessions are final.
    /// </summary>
    public static bool CanMove(SessionStatus from, SessionStatus to, bool readinessRequired = true) => (from, to) switch
    {
        (SessionStatus.Booked, SessionStatus.CheckedIn or SessionStatus.Cancelled or SessionStatus.NoShow) => true,
        (SessionStatus.CheckedIn, SessionStatus.InInfusion or SessionStatus.Cancelled) => true,
        (SessionStatus.CheckedIn, SessionStatus.Completed) => !readinessRequired,
        (SessionStatus.InInfusion, SessionStatus.Completed) => true,
        _ => false,
    };

    /// <summary>
    /// Whether readiness may be recorded for a session in this status: once the patient is checked in, and until the
    /// infusion starts, when the record the decision was made on must no longer change.
    /// </summary>
    public static bool TakesReadiness(this SessionStatus status) => status is SessionStatus.CheckedIn;

    /// <summary>Whether a session in this status still holds its chair and its patient's time.</summary>
    public static bool HoldsChair(this SessionStatus status) =>
        status is SessionStatus.Booked or SessionStatus.CheckedIn or SessionStatus.InInfusion or SessionStatus.Completed;
}
