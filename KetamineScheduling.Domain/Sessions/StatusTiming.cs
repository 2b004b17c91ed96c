using NodaTime;

namespace KetamineScheduling.Domain.Sessions;

/// <summary>The time rule a status change would break, and when it stops being broken.</summary>
/// <param name="Rule">The rule's name, for clients to branch on: <c>check-in-not-open</c>, <c>check-in-closed</c> or <c>not-started</c>.</param>
/// <param name="Earliest">The first moment the change is allowed, in the clinic's zone; <see langword="null"/> when it never will be.</param>
/// <param name="Reason">A sentence for the clinic naming the rule and the moment.</param>
public sealed record TimingRefusal(string Rule, ZonedDateTime? Earliest, string Reason);

/// <summary>
/// When a session's status may change, measured against the clock: what happens at the chair cannot be recorded
/// before it can have happened.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Check-in opens <c>checkInOpensMinutes</c> before the start (a clinic setting, 120 by default, so a patient
/// who arrives early can be received) and closes at the session's end, when the patient would have left the chair.</item>
/// <item>A no-show can be recorded only once the start has passed: until then the patient may still come.</item>
/// <item>A session can be completed only once it has started: its start has passed, or its infusion is under way.</item>
/// <item>Starting the infusion has no time rule of its own: the session is checked in, so the patient is in the
/// clinic, and the nurse starts when the patient is ready, a few minutes early or late.</item>
/// <item>Cancelling has no time rule here; who may cancel when is decided elsewhere.</item>
/// </list>
/// Each bound is included where it opens a change: check-in at exactly the opening moment is allowed, at exactly
/// the end it is not; a no-show or completion at exactly the start is allowed.
/// </remarks>
public static class StatusTiming
{
    /// <summary>Minutes before the start that check-in opens when a clinic sets nothing.</summary>
    public const int DefaultCheckInOpensMinutes = 120;

    /// <summary>The most minutes before the start a clinic may open check-in: a day.</summary>
    public const int MaxCheckInOpensMinutes = 1440;

    /// <summary>
    /// The time rule moving <paramref name="session"/> to <paramref name="wanted"/> at <paramref name="now"/> breaks,
    /// or <see langword="null"/> when the time is right. Whether the move itself is legal is
    /// <see cref="SessionStatusTransitions.CanMove"/>'s question, not this one's.
    /// </summary>
    public static TimingRefusal? Check(Session session, SessionStatus wanted, Instant now, int checkInOpensMinutes)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfNegative(checkInOpensMinutes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(checkInOpensMinutes, MaxCheckInOpensMinutes);
        var start = session.Start;
        switch (wanted)
        {
            case SessionStatus.CheckedIn:
                var opens = start.Minus(Duration.FromMinutes(checkInOpensMinutes));
                if (now < opens.ToInstant())
                {
                    return new TimingRefusal("check-in-not-open", opens,
                        $"Check-in opens {checkInOpensMinutes} minutes before the start, at {Format(opens)}.");
                }

                return now >= session.End.ToInstant()
                    ? new TimingRefusal("check-in-closed", null, $"Check-in closed when the session ended, at {Format(session.End)}.")
                    : null;
            case SessionStatus.NoShow:
                return now < start.ToInstant()
                    ? new TimingRefusal("not-started", start, $"A no-show can be recorded only once the start has passed, from {Format(start)}.")
                    : null;
            case SessionStatus.Completed:
                // A session whose infusion has started has started, even if the nurse began a little before its booked time.
                return session.Status != SessionStatus.InInfusion && now < start.ToInstant()
                    ? new TimingRefusal("not-started", start, $"A session can be completed only once it has started, from {Format(start)}.")
                    : null;
            default:
                return null;
        }
    }

    private static string Format(ZonedDateTime time) => time.LocalDateTime.ToString("uuuu-MM-dd'T'HH:mm", null);
}
