using Dapper;
using KetamineScheduling.Api.Reports;
using NodaTime;

namespace KetamineScheduling.Tests.Data;

/// <summary>
/// The reports read by index, never by walking the sessions table: SQLite's plan for each of their queries, on the
/// migrated schema, searches an index (docs/benchmarks.md times it at 100,000 and 1,000,000 sessions).
/// </summary>
public sealed class ReportQueryPlanTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    [Theory]
    [InlineData(nameof(ReportStore.SelectInRange), ReportStore.SelectInRange, "ix_sessions_local_start")]
    [InlineData(nameof(ReportStore.SelectPlans), ReportStore.SelectPlans, "ix_sessions_local_start")]
    [InlineData(nameof(ReportStore.SelectPlanSessions), ReportStore.SelectPlanSessions, "ix_sessions_plan")]
    [InlineData(nameof(PlanOutcomes.SelectAssessments), PlanOutcomes.SelectAssessments, "ix_assessments_patient")]
    public async Task A_report_query_searches_an_index_and_scans_no_table(string name, string sql, string index)
    {
        await using var connection = await fixture.Migrated.OpenAsync(CancellationToken.None);

        var plan = (await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + sql,
            new { ClinicId = Guid.NewGuid(), From = new LocalDateTime(2027, 1, 1, 0, 0), To = new LocalDateTime(2027, 2, 1, 0, 0), TakenFrom = new LocalDateTime(2026, 12, 1, 0, 0), Instruments = new[] { "phq9" } })).Select(r => r.Detail).ToList();

        Assert.Contains(plan, step => step.Contains($"USING INDEX {index}", StringComparison.Ordinal) || step.Contains($"USING COVERING INDEX {index}", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN ", StringComparison.Ordinal) && !step.Contains("INDEX", StringComparison.Ordinal));
        Assert.True(plan.Count > 0, name);
    }
}
