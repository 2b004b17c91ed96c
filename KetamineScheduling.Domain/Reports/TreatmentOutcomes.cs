using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Domain.Reports;

/// <summary>What a treatment-outcomes report needs to know about one plan.</summary>
/// <param name="PlanId">The plan.</param>
/// <param name="InductionSessions">How many induction sessions the plan holds.</param>
/// <param name="PlannedSessions">How many sessions the plan holds in all, induction and maintenance.</param>
/// <param name="Sessions">Every session booked for the plan, in any status.</param>
/// <param name="Outcome">
/// Where the patient's primary measure stands against its baseline (<see cref="Course"/>), or null when the plan has
/// no outcome measures.
/// </param>
public sealed record PlanHistory(Guid PlanId, int InductionSessions, int PlannedSessions, IReadOnlyList<Session> Sessions, CourseStatus? Outcome = null)
{
    /// <summary>
    /// The plan's first session: its earliest session that was not cancelled (a cancelled session never happened,
    /// and its time was given to someone else); null when every session was cancelled or none was booked.
    /// </summary>
    public Session? FirstSession => Sessions
        .Where(s => s.Status != SessionStatus.Cancelled)
        .OrderBy(s => s.Start.ToInstant())
        .FirstOrDefault();

    /// <summary>Whether every induction session of the plan was completed.</summary>
    public bool InductionCompleted => InductionSessions > 0 && Sessions
        .Where(s => s.Phase == Phase.Induction && s.Status == SessionStatus.Completed && s.Sequence is not null)
        .Select(s => s.Sequence)
        .Distinct()
        .Count() >= InductionSessions;

    /// <summary>
    /// Whether the patient stopped after the first infusion: a plan of more than one session whose first session
    /// was completed, with no other session completed and none still to come (booked or checked in).
    /// </summary>
    public bool StoppedAfterFirstSession =>
        PlannedSessions > 1 &&
        FirstSession is { Status: SessionStatus.Completed } first &&
        !Sessions.Any(s => s.Id != first.Id && (s.Status == SessionStatus.Completed || s.Status.IsStillToCome()));
}

/// <summary>
/// How the plans that started in a range of local dates went: how many finished induction, how many stopped after
/// the first infusion (about one in five in real-world data), how often their patients missed sessions and, where
/// outcome measures exist, how many responded and remitted.
/// </summary>
/// <remarks>
/// A plan started on the local date of its first session (<see cref="PlanHistory.FirstSession"/>), once that session
/// has begun: a plan whose sessions are all still ahead has not started, even when the range reaches their dates. Rates are
/// fractions from 0 to 1, rounded to four decimal places (half away from zero), and null when there is nothing to
/// divide by.
/// </remarks>
/// <param name="PlansStarted">Plans whose first session falls in the range and has begun.</param>
/// <param name="InductionCompleted">Of those, plans whose every induction session was completed.</param>
/// <param name="StoppedAfterFirstSession">Of those, plans that stopped after their first infusion (<see cref="PlanHistory.StoppedAfterFirstSession"/>).</param>
/// <param name="CompletionRate"><paramref name="InductionCompleted"/> over <paramref name="PlansStarted"/>.</param>
/// <param name="NoShowRate">The plans' sessions whose patient did not come, over those that were due: completed or no-show.</param>
/// <param name="PlansWithOutcomeMeasures">Plans started whose outcome is measured against a baseline.</param>
/// <param name="ResponseRate">Measured plans that responded (a remission counts as a response), over the measured plans.</param>
/// <param name="RemissionRate">Measured plans in remission, over the measured plans.</param>
public sealed record TreatmentOutcomes(
    int PlansStarted,
    int InductionCompleted,
    int StoppedAfterFirstSession,
    decimal? CompletionRate,
    decimal? NoShowRate,
    int PlansWithOutcomeMeasures,
    decimal? ResponseRate,
    decimal? RemissionRate)
{
    /// <summary>
    /// The outcomes, as at <paramref name="now"/>, of the plans among <paramref name="plans"/> whose first session falls
    /// in <paramref name="dates"/> and began at or before <paramref name="now"/>; other plans are left out.
    /// </summary>
    public static TreatmentOutcomes For(DateInterval dates, IEnumerable<PlanHistory> plans, Instant now)
    {
        ArgumentNullException.ThrowIfNull(dates);
        ArgumentNullException.ThrowIfNull(plans);
        var started = plans.Where(p => p.FirstSession is { } first && dates.Contains(first.Start.Date) && first.Start.ToInstant() <= now).ToList();
        var completed = started.Count(p => p.InductionCompleted);
        var sessions = started.SelectMany(p => p.Sessions).ToList();
        var noShows = sessions.Count(s => s.Status == SessionStatus.NoShow);
        var due = noShows + sessions.Count(s => s.Status == SessionStatus.Completed);
        var measured = started.Where(p => p.Outcome is not null).ToList();
        return new TreatmentOutcomes(
            started.Count,
            completed,
            started.Count(p => p.StoppedAfterFirstSession),
            Rate(completed, started.Count),
            Rate(noShows, due),
            measured.Count,
            Rate(measured.Count(p => p.Outcome is CourseStatus.Response or CourseStatus.Remission), measured.Count),
            Rate(measured.Count(p => p.Outcome is CourseStatus.Remission), measured.Count));
    }

    private static decimal? Rate(int part, int whole) =>
        whole == 0 ? null : Math.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);
}
