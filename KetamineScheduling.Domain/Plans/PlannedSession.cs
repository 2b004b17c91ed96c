using NodaTime;

namespace KetamineScheduling.Domain.Plans;

/// <summary>
/// One session of a treatment plan as planned, before it is booked into a chair.
/// </summary>
/// <param name="Sequence">1 for the plan's first session, counting induction then maintenance.</param>
/// <param name="Phase">Induction or maintenance.</param>
/// <param name="Date">The planned local date in the clinic's calendar.</param>
/// <param name="Window">
/// The dates the session may move within when its planned date cannot be booked, both ends included. It
/// starts at <paramref name="Date"/>: a session is never brought forward, only delayed as far as the protocol allows.
/// </param>
public sealed record PlannedSession(int Sequence, Phase Phase, LocalDate Date, DateInterval Window);
