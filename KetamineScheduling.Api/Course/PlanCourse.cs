using System.Data.Common;
using KetamineScheduling.Api.Assessments;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Course;

/// <summary>Reads a plan's sessions and its patient's assessments, and has the domain judge the course.</summary>
internal static class PlanCourse
{
    public static async Task<CourseResponse> EvaluateAsync(DbConnection connection, Guid clinicId, StoredPlan stored, DbTransaction? transaction = null)
    {
        var plan = stored.Plan;
        var measure = stored.Clinical.PrimaryMeasure;
        var assessments = await AssessmentStore.OfInstrumentAsync(connection, clinicId, plan.PatientId, measure, transaction);
        var course = assessments.Select(a => a.ToCourse()).ToList();
        var booked = await PlanSessions.LiveAsync(connection, clinicId, plan.Id, transaction);

        LocalDateTime StartOf(PlannedSession p) => booked.TryGetValue(p.Sequence, out var s) ? s.LocalStart : p.Date + plan.PreferredStartTime;

        var lastInduction = plan.Sessions[plan.Protocol.Induction.Sessions - 1];
        var firstMaintenance = plan.Sessions.FirstOrDefault(p => p.Phase == Phase.Maintenance);
        var inductionDone = booked.TryGetValue(lastInduction.Sequence, out var last) && last.Status == nameof(SessionStatus.Completed);
        var stage = !inductionDone ? CourseStage.InductionRunning
            : firstMaintenance is null ? CourseStage.InductionCompleted
            : CourseStage.InMaintenance;

        var (baseline, latest) = Ends(course, measure, StartOf(plan.Sessions[0]));
        var postInduction = Domain.Clinical.Course.PostInduction(course, measure, StartOf(lastInduction), firstMaintenance is null ? null : StartOf(firstMaintenance));
        var thresholds = await ThresholdsAsync(connection, clinicId, transaction);
        var judged = Domain.Clinical.Course.Evaluate(measure, baseline?.Total, latest?.Total, postInduction?.Total, stage, thresholds);

        var live = assessments.Where(a => a.RetractedAt is null).ToList();
        var points = plan.Sessions.Select(p =>
        {
            var session = booked.GetValueOrDefault(p.Sequence);
            var date = session?.LocalStart.Date ?? p.Date;
            var point = live.LastOrDefault(a => session is not null && a.SessionId == session.Id) ?? live.LastOrDefault(a => a.TakenAt.Date == date);
            return new CoursePointResponse(p.Sequence, p.Phase, session?.Id, date, point is null ? null : Show(point.ToCourse(), measure));
        }).ToList();

        return new CourseResponse(
            plan.Id, plan.PatientId, measure.Code(), Show(baseline, measure), points, Show(latest, measure), judged.ChangeFromBaselinePercent,
            judged.Status.Code(), new RecommendationResponse(judged.Recommendation.Action.Code(), judged.Recommendation.Reason));
    }

    /// <summary>The clinic's own course thresholds, or the documented defaults.</summary>
    public static async Task<CourseThresholds> ThresholdsAsync(DbConnection connection, Guid clinicId, DbTransaction? transaction = null) =>
        (await Clinics.ClinicStore.FindAsync(connection, clinicId, transaction))?.CourseThresholds?.ToThresholds() ?? CourseThresholds.Default;

    /// <summary>
    /// Where the plan's outcome stands for a report: the status the course route shows, or null when it is not
    /// measured, that is when there is no baseline or nothing was taken after it to compare with.
    /// </summary>
    /// <param name="course">The patient's assessments; those of other instruments and retracted ones are ignored.</param>
    /// <param name="measure">The plan's primary measure.</param>
    /// <param name="firstSessionStart">The local start of the plan's first session, booked or planned (what the baseline is taken before).</param>
    /// <param name="thresholds">The clinic's course thresholds.</param>
    public static CourseStatus? MeasuredStatus(IReadOnlyCollection<CourseAssessment> course, Instrument measure, LocalDateTime firstSessionStart, CourseThresholds thresholds)
    {
        var (baseline, latest) = Ends(course, measure, firstSessionStart);
        if (baseline is null || latest is null || latest.Id == baseline.Id)
        {
            return null;
        }

        // The status does not depend on the stage; only the recommendation does.
        return Domain.Clinical.Course.Evaluate(measure, baseline.Total, latest.Total, null, CourseStage.InductionRunning, thresholds).Status;
    }

    private static (CourseAssessment? Baseline, CourseAssessment? Latest) Ends(IReadOnlyCollection<CourseAssessment> course, Instrument measure, LocalDateTime firstSessionStart) =>
        (Domain.Clinical.Course.Baseline(course, measure, firstSessionStart), Domain.Clinical.Course.Latest(course, measure));

    private static CourseAssessmentResponse? Show(CourseAssessment? assessment, Instrument measure) =>
        assessment is null ? null : new(assessment.Id, assessment.Total, InstrumentScale.Of(measure).SeverityOf(assessment.Total).Code(), assessment.TakenAt);
}
