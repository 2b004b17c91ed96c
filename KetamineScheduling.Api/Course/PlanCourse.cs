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

        var baseline = Domain.Clinical.Course.Baseline(course, measure, StartOf(plan.Sessions[0]));
        var latest = Domain.Clinical.Course.Latest(course, measure);
        var postInduction = Domain.Clinical.Course.PostInduction(course, measure, StartOf(lastInduction), firstMaintenance is null ? null : StartOf(firstMaintenance));
        var thresholds = (await Clinics.ClinicStore.FindAsync(connection, clinicId, transaction))?.CourseThresholds?.ToThresholds() ?? CourseThresholds.Default;
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

    private static CourseAssessmentResponse? Show(CourseAssessment? assessment, Instrument measure) =>
        assessment is null ? null : new(assessment.Id, assessment.Total, InstrumentScale.Of(measure).SeverityOf(assessment.Total).Code(), assessment.TakenAt);
}
