using NodaTime;

namespace KetamineScheduling.Domain.Clinical;

/// <summary>How the patient's primary measure has moved since the baseline.</summary>
public enum CourseStatus
{
    /// <summary>No assessment of the measure was taken in the 30 days before the first session, so there is nothing to compare with.</summary>
    [WireCode("no-baseline")]
    NoBaseline,

    /// <summary>At least <see cref="CourseThresholds.ResponsePercent"/> (50%) below the baseline.</summary>
    [WireCode("response")]
    Response,

    /// <summary>At least <see cref="CourseThresholds.PartialResponsePercent"/> (25%) below the baseline, but short of a response.</summary>
    [WireCode("partial-response")]
    PartialResponse,

    /// <summary>Less than <see cref="CourseThresholds.PartialResponsePercent"/> (25%) below the baseline, or worse than it.</summary>
    [WireCode("non-response")]
    NonResponse,

    /// <summary>A PHQ-9 or GAD-7 total at most <see cref="CourseThresholds.RemissionMaxTotal"/> (4): back in the minimal band.</summary>
    [WireCode("remission")]
    Remission,
}

/// <summary>What the course suggests the clinic does next.</summary>
public enum CourseAction
{
    /// <summary>Nothing yet: induction is still running, or maintenance is holding.</summary>
    [WireCode("none")]
    None,

    /// <summary>Induction is over and worked: plan maintenance infusions.</summary>
    [WireCode("start-maintenance")]
    StartMaintenance,

    /// <summary>Induction is over without a response (or without a baseline): the prescriber decides what follows.</summary>
    [WireCode("review-with-prescriber")]
    ReviewWithPrescriber,

    /// <summary>In maintenance, the symptoms are coming back: book a booster infusion.</summary>
    [WireCode("booster-due")]
    BoosterDue,
}

/// <summary>Where the plan stands, as far as the course is concerned.</summary>
public enum CourseStage
{
    /// <summary>Induction sessions are still to be held.</summary>
    InductionRunning,

    /// <summary>The last induction session has been completed and no maintenance is planned yet.</summary>
    InductionCompleted,

    /// <summary>Maintenance sessions are planned or being held.</summary>
    InMaintenance,
}

/// <summary>
/// The numbers the course is judged by. The defaults follow common practice in depression trials (response is a
/// fall of at least 50% from baseline, partial response 25-49%, remission a PHQ-9 of 4 or less: Kroenke 2001,
/// and the same minimal band for the GAD-7, Spitzer 2006); the booster rule is this clinic's. A clinic may
/// override any of them in its settings.
/// </summary>
public sealed record CourseThresholds
{
    public static readonly CourseThresholds Default = new();

    public CourseThresholds(decimal responsePercent = 50, decimal partialResponsePercent = 25, int remissionMaxTotal = 4, int boosterRisePoints = 5, Severity boosterBand = Severity.Moderate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(partialResponsePercent, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(responsePercent, partialResponsePercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(responsePercent, 100);
        ArgumentOutOfRangeException.ThrowIfNegative(remissionMaxTotal);
        ArgumentOutOfRangeException.ThrowIfLessThan(boosterRisePoints, 1);
        if (!Enum.IsDefined(boosterBand))
        {
            throw new ArgumentOutOfRangeException(nameof(boosterBand), boosterBand, "Not a severity.");
        }

        ResponsePercent = responsePercent;
        PartialResponsePercent = partialResponsePercent;
        RemissionMaxTotal = remissionMaxTotal;
        BoosterRisePoints = boosterRisePoints;
        BoosterBand = boosterBand;
    }

    /// <summary>How far below the baseline, in percent of it, the latest total must be to count as a response.</summary>
    public decimal ResponsePercent { get; }

    /// <summary>How far below the baseline, in percent of it, the latest total must be to count as a partial response.</summary>
    public decimal PartialResponsePercent { get; }

    /// <summary>The highest PHQ-9 or GAD-7 total that counts as remission. Other measures have no remission.</summary>
    public int RemissionMaxTotal { get; }

    /// <summary>In maintenance, a booster is due when the latest total is this many points or more above the post-induction total.</summary>
    public int BoosterRisePoints { get; }

    /// <summary>In maintenance, a booster is due when the latest total is in this band or a worse one.</summary>
    public Severity BoosterBand { get; }
}

/// <summary>What the course suggests, with a sentence saying why, numbers included.</summary>
public sealed record Recommendation(CourseAction Action, string Reason);

/// <summary>The course of a plan's primary measure, judged.</summary>
/// <param name="Status">How the measure has moved since the baseline.</param>
/// <param name="ChangeFromBaselinePercent">
/// The latest total's change from the baseline in percent of the baseline, rounded to one place (half away from
/// zero): negative when better, so 18 to 9 is -50.0. <see langword="null"/> without a baseline, or when the
/// baseline is 0 (a change from nothing has no percentage).
/// </param>
/// <param name="Recommendation">What to do next, and why.</param>
public sealed record CourseEvaluation(CourseStatus Status, decimal? ChangeFromBaselinePercent, Recommendation Recommendation);

/// <summary>An assessment as the course sees it: which measure, its total, when it was taken and whether it still counts.</summary>
/// <param name="Id">The assessment's id, so the caller can show the one chosen.</param>
/// <param name="Instrument">What was measured.</param>
/// <param name="Total">Its total.</param>
/// <param name="TakenAt">When it was taken, in the clinic's local time (as the API stores it, without an offset).</param>
/// <param name="Retracted">Whether it was marked as entered in error; a retracted assessment never counts.</param>
public sealed record CourseAssessment(Guid Id, Instrument Instrument, int Total, LocalDateTime TakenAt, bool Retracted = false);

/// <summary>
/// Judges a treatment course by its primary measure and suggests the next step: maintenance after an induction
/// that worked, the prescriber's review after one that did not, a booster when maintenance is slipping.
/// </summary>
/// <remarks>
/// <para>Status: without a baseline, <see cref="CourseStatus.NoBaseline"/>. Otherwise a PHQ-9 or GAD-7 latest total
/// at most the remission total is <see cref="CourseStatus.Remission"/> (remission wins over response); else the
/// fall from baseline, in percent of the baseline, decides: at least 50% a response, at least 25% a partial
/// response, less a non-response. The comparison is exact: 9 from 18 is a response, 10 from 19 (47.4%) is not.</para>
/// <para>Recommendation: while induction runs, none. Once the last induction session is completed and no
/// maintenance is planned, start maintenance on a response or remission, otherwise review with the prescriber
/// (also without a baseline). In maintenance, a booster is due when the latest total is at least 5 points above
/// the post-induction total, or in the moderate band or worse; otherwise none.</para>
/// <para>Example: a PHQ-9 of 18 at baseline and 8 after the sixth induction session is 55.6% below baseline, a
/// response, so the course says start maintenance. In maintenance, a PHQ-9 of 13 against 8 after induction is
/// 5 points up and back in the moderate band: a booster is due.</para>
/// </remarks>
public static class Course
{
    /// <summary>How many days before the first session's start an assessment may be taken and still be the baseline.</summary>
    public const int BaselineWindowDays = 30;

    /// <summary>
    /// Judges the course of <paramref name="measure"/>. Totals must be within the measure's range.
    /// </summary>
    /// <param name="measure">The plan's primary measure.</param>
    /// <param name="baselineTotal">The baseline's total (see <see cref="Baseline"/>); <see langword="null"/> when there is none.</param>
    /// <param name="latestTotal">
    /// The latest total of the measure; <see langword="null"/> when there is none. When only the baseline exists,
    /// it is the latest, and the caller may pass it as both.
    /// </param>
    /// <param name="postInductionTotal">
    /// Where induction left the patient: the latest total taken from the last induction session until maintenance
    /// began (see <see cref="PostInduction"/>); read only in maintenance, and <see langword="null"/> when there is none.
    /// </param>
    /// <param name="stage">Where the plan stands.</param>
    /// <param name="thresholds">The clinic's thresholds, or <see cref="CourseThresholds.Default"/>.</param>
    public static CourseEvaluation Evaluate(Instrument measure, int? baselineTotal, int? latestTotal, int? postInductionTotal, CourseStage stage, CourseThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var scale = InstrumentScale.Of(measure);
        foreach (var total in new[] { baselineTotal, latestTotal, postInductionTotal })
        {
            if (total is < 0 || total > scale.MaxTotal)
            {
                throw new ArgumentOutOfRangeException(nameof(measure), total, $"A {scale.Name} total is from 0 to {scale.MaxTotal}.");
            }
        }

        var latest = latestTotal ?? baselineTotal;
        var (status, change) = StatusOf(scale, baselineTotal, latest, thresholds);
        var progress = Progress(scale, status, baselineTotal, latest, change);
        var recommendation = stage switch
        {
            CourseStage.InductionRunning => new Recommendation(CourseAction.None, $"Induction is still running; the course is judged after its last session. {progress}"),
            CourseStage.InductionCompleted when status is CourseStatus.Response or CourseStatus.Remission =>
                new Recommendation(CourseAction.StartMaintenance, $"Induction is complete. {progress} Plan maintenance infusions."),
            CourseStage.InductionCompleted => new Recommendation(CourseAction.ReviewWithPrescriber, $"Induction is complete. {progress} The prescriber should review the plan."),
            CourseStage.InMaintenance => Maintenance(scale, latest, postInductionTotal, thresholds),
            _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Not a course stage."),
        };
        return new CourseEvaluation(status, change, recommendation);
    }

    /// <summary>
    /// The baseline of <paramref name="measure"/>: the latest assessment of it, not retracted, taken from
    /// <see cref="BaselineWindowDays"/> days before <paramref name="firstSessionStart"/> up to the start itself
    /// (both included, so a questionnaire filled in at check-in counts); <see langword="null"/> when there is none.
    /// </summary>
    /// <remarks>
    /// Times are the clinic's local date and time, as the API stores an assessment's taken-at and a session's start
    /// (<see cref="ZonedDateTime.LocalDateTime"/>). The 30 days are calendar days on the clinic's wall clock, so a
    /// clock change in between neither adds nor removes an hour. Of two taken at the same time, the later in
    /// <paramref name="assessments"/> wins.
    /// </remarks>
    public static CourseAssessment? Baseline(IEnumerable<CourseAssessment> assessments, Instrument measure, LocalDateTime firstSessionStart)
    {
        var from = firstSessionStart.PlusDays(-BaselineWindowDays);
        return Latest(assessments, measure, from, firstSessionStart);
    }

    /// <summary>
    /// Where induction left the patient: the latest assessment of <paramref name="measure"/>, not retracted, taken
    /// at or after <paramref name="lastInductionStart"/> and before <paramref name="firstMaintenanceStart"/> (a
    /// questionnaire at the first maintenance visit already measures maintenance); <see langword="null"/> when there
    /// is none. Without a maintenance session yet, every later assessment counts. Local times, as for
    /// <see cref="Baseline"/>.
    /// </summary>
    public static CourseAssessment? PostInduction(IEnumerable<CourseAssessment> assessments, Instrument measure, LocalDateTime lastInductionStart, LocalDateTime? firstMaintenanceStart)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        return Latest(assessments.Where(a => !(a.TakenAt >= firstMaintenanceStart)), measure, lastInductionStart);
    }

    /// <summary>
    /// The latest assessment of <paramref name="measure"/> that is not retracted and was taken at or after
    /// <paramref name="from"/> and at or before <paramref name="to"/> (each unbounded when <see langword="null"/>);
    /// <see langword="null"/> when there is none. Without bounds, its total is the latest total the course is judged
    /// by. Of two taken at the same time, the later in <paramref name="assessments"/> wins.
    /// </summary>
    public static CourseAssessment? Latest(IEnumerable<CourseAssessment> assessments, Instrument measure, LocalDateTime? from = null, LocalDateTime? to = null)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        CourseAssessment? latest = null;
        foreach (var a in assessments)
        {
            if (a.Instrument == measure && !a.Retracted && !(a.TakenAt < from) && !(a.TakenAt > to) && (latest is null || a.TakenAt >= latest.TakenAt))
            {
                latest = a;
            }
        }

        return latest;
    }

    private static (CourseStatus Status, decimal? Change) StatusOf(InstrumentScale scale, int? baseline, int? latest, CourseThresholds thresholds)
    {
        if (baseline is not { } b || latest is not { } l)
        {
            return (CourseStatus.NoBaseline, null);
        }

        decimal? change = b == 0 ? null : Math.Round((l - b) * 100m / b, 1, MidpointRounding.AwayFromZero);
        var fallTimes100 = (b - l) * 100m;
        var status =
            HasRemission(scale.Instrument) && l <= thresholds.RemissionMaxTotal ? CourseStatus.Remission
            : b > 0 && fallTimes100 >= thresholds.ResponsePercent * b ? CourseStatus.Response
            : b > 0 && fallTimes100 >= thresholds.PartialResponsePercent * b ? CourseStatus.PartialResponse
            : CourseStatus.NonResponse;
        return (status, change);
    }

    private static bool HasRemission(Instrument measure) => measure is Instrument.Phq9 or Instrument.Gad7;

    private static string Progress(InstrumentScale scale, CourseStatus status, int? baseline, int? latest, decimal? change) => (baseline, latest, change) switch
    {
        (null, null, _) => $"No {scale.Name} has been taken, so there is no baseline to judge by.",
        (null, { } l, _) => $"The latest {scale.Name} is {l}, but none was taken in the {BaselineWindowDays} days before the first session, so there is no baseline to judge by.",
        ({ } b, { } l, null) => $"The {scale.Name} was {b} at baseline and is {l} now: {Words(status)}.",
        ({ } b, { } l, { } c) => $"The {scale.Name} was {b} at baseline and is {l} now, {Percent(c)}: {Words(status)}.",
        _ => throw new InvalidOperationException("A baseline is also the latest assessment."),
    };

    private static Recommendation Maintenance(InstrumentScale scale, int? latest, int? postInduction, CourseThresholds thresholds)
    {
        if (latest is not { } l)
        {
            return new(CourseAction.None, $"No {scale.Name} has been taken, so maintenance cannot be judged.");
        }

        var severity = scale.SeverityOf(l);
        var rise = l - postInduction;
        var since = postInduction is { } p ? $" against {p} after induction" : "";
        if (rise >= thresholds.BoosterRisePoints)
        {
            return new(CourseAction.BoosterDue, $"The latest {scale.Name} is {l}{since}, {rise} points up: a booster infusion is due.");
        }

        return severity >= thresholds.BoosterBand
            ? new(CourseAction.BoosterDue, $"The latest {scale.Name} is {l}{since}, in the {Words(severity)} band: a booster infusion is due.")
            : new(CourseAction.None, $"The latest {scale.Name} is {l}{since}, in the {Words(severity)} band: maintenance is holding.");
    }

    private static string Percent(decimal change) =>
        change <= 0 ? $"{Math.Abs(change):0.0}% below baseline" : $"{change:0.0}% above baseline";

    private static string Words(CourseStatus status) => status switch
    {
        CourseStatus.Response => "a response",
        CourseStatus.PartialResponse => "a partial response",
        CourseStatus.NonResponse => "no response",
        CourseStatus.Remission => "remission",
        _ => "no baseline",
    };

    private static string Words(Severity severity) => severity.Code().Replace('-', ' ');
}
