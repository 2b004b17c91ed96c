using System.Data.Common;
using Dapper;
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
    private const string PlansInRange = """
        SELECT plan_id FROM sessions WHERE clinic_id = @ClinicId AND local_start >= @From AND local_start < @To AND plan_id IS NOT NULL
        """;

    internal const string SelectPlans = $"""
        SELECT id, induction_sessions, maintenance_sessions FROM treatment_plans WHERE id IN ({PlansInRange})
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
        var outcomes = await PlanOutcomes.ForPlansAsync(connection, clinicId, [.. plans.Select(p => p.Id)]);
        return [.. plans.Select(p => new PlanHistory(
            p.Id, p.InductionSessions, p.InductionSessions + p.MaintenanceSessions, [.. sessions[p.Id]], outcomes.TryGetValue(p.Id, out var outcome) ? outcome : null))];
    }

    private static object Range(Guid clinicId, DateInterval dates) =>
        new { ClinicId = clinicId, From = dates.Start.AtMidnight(), To = dates.End.PlusDays(1).AtMidnight() };

    private sealed class PlanRow
    {
        public Guid Id { get; init; }

        public int InductionSessions { get; init; }

        public int MaintenanceSessions { get; init; }
    }
}

/// <summary>
/// Where a plan's outcome measures come from: the seam the assessments (PHQ-9, GAD-7 against a baseline, judged by
/// <see cref="Course"/>) plug into.
/// </summary>
/// <remarks>
/// This version of the API records no assessments, so no plan has a measured outcome: the outcomes report answers
/// <c>plansWithOutcomeMeasures</c> 0 and null response and remission rates. When assessments are stored, this reads
/// each plan's <see cref="KetamineScheduling.Domain.Clinical.Course.Evaluate"/> status, and the report's rates follow
/// with no other change.
/// </remarks>
internal static class PlanOutcomes
{
    private static readonly IReadOnlyDictionary<Guid, CourseStatus> None = new Dictionary<Guid, CourseStatus>();

    /// <summary>The measured outcome of each plan of <paramref name="planIds"/> that has one.</summary>
    public static Task<IReadOnlyDictionary<Guid, CourseStatus>> ForPlansAsync(DbConnection connection, Guid clinicId, IReadOnlyList<Guid> planIds) =>
        Task.FromResult(None);
}
