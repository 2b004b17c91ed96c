namespace KetamineScheduling.Domain.Sessions;

/// <summary>Where a booked session stands.</summary>
public enum SessionStatus
{
    /// <summary>A chair is held for the patient.</summary>
    Booked,

    /// <summary>The patient has arrived.</summary>
    CheckedIn,

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
    /// Whether a session may move from <paramref name="from"/> to <paramref name="to"/>. A booked session is
    /// checked in, cancelled or marked a no-show; a checked-in session is completed or cancelled (the patient
    /// leaves before the infusion). Completed, cancelled and no-show sessions are final.
    /// </summary>
    public static bool CanMove(SessionStatus from, SessionStatus to) => (from, to) switch
    {
        (SessionStatus.Booked, SessionStatus.CheckedIn or SessionStatus.Cancelled or SessionStatus.NoShow) => true,
        (SessionStatus.CheckedIn, SessionStatus.Completed or SessionStatus.Cancelled) => true,
        _ => false,
    };

    /// <summary>Whether a session in this status still holds its chair and its patient's time.</summary>
    public static bool HoldsChair(this SessionStatus status) => status is SessionStatus.Booked or SessionStatus.CheckedIn or SessionStatus.Completed;
}
