using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Course;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Reports;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Reports;

/// <summary>
/// What the reports read: only the sessions of the dates asked for, through the index on (clinic, local start), and
/// for the outcomes the sessions of the plans those dates touch, through the index on the plan. The cost follows the
/// range and the clinic's activity in it, never the size of the table (docs/benchmarks.md).
/// </summary>
internal static class ReportStore
{
    internal const string SelectInRange = SessionStore.SelectColumns + """
         WHERE clinic_id = @ClinicId AND local_start >= @From AND local_start < @To
        """;

    /// <summary>The clinic's sessions, in any status, that start on local dates <paramref name="dates"/>.</summary>
    public static async Task<IReadOnlyList<Session>> SessionsAsync(DbConnection connection, Guid clinicId, DateInterval dates) =>
        [.. (await connection.QueryAsync<SessionRow>(SelectInRange, Range(clinicId, dates))).Select(r => r.ToSession())];

    // The plans the range touches come from the (clinic, local start) index; their sessions, before and after the
    // range, from the (plan, sequence) index. The outer query names no clinic: its plans are the clinic's already,
    // and a clinic condition there would tempt SQLite to walk the clinic's whole index instead.
    internal const string PlansInRange = """
        SELECT plan_id FROM sessions WHERE clinic_id = @ClinicId AND local_start >= @From AND local_start < @To AND plan_id IS NOT NULL
        """;

    // With each plan, the planned date of its first session: its baseline is taken before that session's start.
    internal const string SelectPlans = $"""
        SELECT tp.id, tp.patient_id, tp.induction_sessions, tp.maintenance_sessions, tp.primary_measure, tp.preferred_start_time, ps.date AS first_planned_date
        FROM treatment_plans tp LEFT JOIN planned_sessions ps ON ps.plan_id = tp.id AND ps.sequence = 1
        WHERE tp.id IN ({PlansInRange})
        """;

    internal const string SelectPlanSessions = SessionStore.SelectColumns + $"""
         WHERE plan_id IN ({PlansInRange})
        """;

    /// <summary>
    /// Every plan with a session on local dates <paramref name="dates"/>, with all of its sessions and its outcome
    /// where one is measured (<see cref="PlanOutcomes"/>).
    /// </summary>
    public static async Task<IReadOnlyList<PlanHistory>> PlansAsync(DbConnection connection, Guid clinicId, DateInterval dates)
    {
        var range = Range(clinicId, dates);
        var plans = (await connection.QueryAsync<PlanRow>(SelectPlans, range)).AsList();
        var sessions = (await connection.QueryAsync<SessionRow>(SelectPlanSessions, range)).Select(r => r.ToSession()).ToLookup(s => s.PlanId);
        var outcomes = await PlanOutcomes.ForPlansAsync(connection, clinicId, dates, [.. plans.Select(p => p.ToCourse(sessions[p.Id]))]);
        return [.. plans.Select(p => new PlanHistory(
            p.Id, p.InductionSessions, p.InductionSessions + p.MaintenanceSessions, [.. sessions[p.Id]], outcomes.TryGetValue(p.Id, out var outcome) ? outcome : null))];
    }

    private static object Range(Guid clinicId, DateInterval dates) =>
        new { ClinicId = clinicId, From = dates.Start.AtMidnight(), To = dates.End.PlusDays(1).AtMidnight() };

    private sealed class PlanRow
    {
        public Guid Id { get; init; }

        public Guid PatientId { get; init; }

        public string? PrimaryMeasure { get; init; }

        public LocalTime PreferredStartTime { get; init; }

        public LocalDate? FirstPlannedDate { get; init; }

        public int InductionSessions { get; init; }

        public int MaintenanceSessions { get; init; }

        // The first session's start as the course route takes it: the session booked or held for sequence 1, else its planned time.
        public PlanCourseStart ToCourse(IEnumerable<Session> sessions)
        {
            var booked = sessions.FirstOrDefault(s => s.Sequence == 1 && s.Status.HoldsChair());
            var start = booked?.Start.LocalDateTime ?? (FirstPlannedDate ?? LocalDate.MinIsoValue) + PreferredStartTime;
            return new PlanCourseStart(Id, PatientId, PrimaryMeasure is null ? Instrument.Phq9 : ClinicalCodes.Split<Instrument>(PrimaryMeasure)[0], start);
        }
    }
}

/// <summary>What a plan's outcome is judged from, besides its patient's assessments.</summary>
internal sealed record PlanCourseStart(Guid PlanId, Guid PatientId, Instrument Measure, LocalDateTime FirstSessionStart);

/// <summary>
/// Where a plan's outcome measures come from: its patient's assessments of the plan's primary measure, judged by
/// <see cref="PlanCourse.MeasuredStatus"/> with the clinic's thresholds, as the course route judges them.
/// </summary>
internal static class PlanOutcomes
{
    // One query for all the report's plans: the assessments, not retracted, of their patients (through the index on
    // the patient) in their measures, from the earliest baseline window on. Later ones count, as on the course route:
    // the latest assessment is the one the course is judged by.
    internal const string SelectAssessments = $"""
        SELECT id, patient_id, instrument, total, taken_at FROM assessments
        WHERE clinic_id = @ClinicId AND retracted_at IS NULL AND taken_at >= @TakenFrom AND instrument IN @Instruments
          AND patient_id IN (SELECT tp.patient_id FROM treatment_plans tp WHERE tp.id IN ({ReportStore.PlansInRange}))
        ORDER BY taken_at, id
        """;

    /// <summary>The measured outcome of each plan of <paramref name="plans"/> that has one, the plans being those of <paramref name="dates"/>.</summary>
    public static async Task<IReadOnlyDictionary<Guid, CourseStatus>> ForPlansAsync(DbConnection connection, Guid clinicId, DateInterval dates, IReadOnlyList<PlanCourseStart> plans)
    {
        if (plans.Count == 0)
        {
            return new Dictionary<Guid, CourseStatus>();
        }

        var query = new
        {
            ClinicId = clinicId,
            From = dates.Start.AtMidnight(),
            To = dates.End.PlusDays(1).AtMidnight(),
            TakenFrom = plans.Min(p => p.FirstSessionStart).PlusDays(-Domain.Clinical.Course.BaselineWindowDays),
            Instruments = plans.Select(p => p.Measure.Code()).Distinct().ToList(),
        };
        var byPatient = (await connection.QueryAsync<AssessmentRow>(SelectAssessments, query)).ToLookup(r => r.PatientId, r => r.ToCourse());
        var thresholds = await PlanCourse.ThresholdsAsync(connection, clinicId);
        var outcomes = new Dictionary<Guid, CourseStatus>();
        foreach (var plan in plans)
        {
            if (PlanCourse.MeasuredStatus([.. byPatient[plan.PatientId]], plan.Measure, plan.FirstSessionStart, thresholds) is { } status)
            {
                outcomes[plan.PlanId] = status;
            }
        }

        return outcomes;
    }

    private sealed class AssessmentRow
    {
        public Guid Id { get; init; }

        public Guid PatientId { get; init; }

        public string Instrument { get; init; } = "";

        public int Total { get; init; }

        public LocalDateTime TakenAt { get; init; }

        public CourseAssessment ToCourse() => new(Id, ClinicalCodes.Split<Instrument>(Instrument)[0], Total, TakenAt);
    }
}
