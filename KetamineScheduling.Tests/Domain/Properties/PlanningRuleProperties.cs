using KetamineScheduling.Domain.Plans;
using NodaTime;

namespace KetamineScheduling.Tests.Domain.Properties;

public sealed class PlanningRuleProperties
{
    [Fact]
    public void A_successful_plan_keeps_the_cadence_from_the_dates_used_on_open_days_only() =>
        ForEachPlan((c, result) =>
        {
            if (!result.Succeeded)
            {
                return;
            }

            var sessions = result.Sessions;
            var induction = c.Protocol.Induction;
            Assert.Equal(Enumerable.Range(1, c.Protocol.TotalSessions), sessions.Select(s => s.Sequence));
            Assert.All(sessions, s => Assert.True(Rules.IsOpen(c.Calendar, s.Date), $"session {s.Sequence} on closed {s.Date}"));
            Assert.All(sessions, s => Assert.Equal(s.Date, s.Window.Start));
            Assert.Equal(Rules.NextOpen(c.Calendar, c.Start), sessions[0].Date);
            for (var i = 1; i < sessions.Length; i++)
            {
                var interval = i < induction.Sessions ? induction.IntervalDays : c.Protocol.Maintenance.IntervalDays[i - induction.Sessions];
                Assert.Equal(Rules.NextOpen(c.Calendar, sessions[i - 1].Date.PlusDays(interval)), sessions[i].Date);
                Assert.Equal(i < induction.Sessions ? Phase.Induction : Phase.Maintenance, sessions[i].Phase);
            }

            var inductionDates = sessions.Take(induction.Sessions).Select(s => s.Date).ToList();
            Assert.True(Rules.KeepsInduction(induction, inductionDates), string.Join(", ", inductionDates));
            Assert.All(sessions.Take(induction.Sessions).Skip(1), s => Assert.True(
                s.Window.End <= inductionDates[0].PlusDays(induction.MaxSpanDays) && s.Window.End <= inductionDates[s.Sequence - 2].PlusDays(induction.MaxIntervalDays),
                $"session {s.Sequence}'s window {s.Window} goes past the largest interval or the span"));
        });

    [Fact]
    public void A_failed_plan_names_a_session_whose_gap_or_span_really_is_exceeded_or_that_has_no_open_day() =>
        ForEachPlan((c, result) =>
        {
            if (result.Failure is not { } failure)
            {
                return;
            }

            Assert.Empty(result.Sessions);
            Assert.Contains($"session {failure.Sequence} ", failure.Reason);
            Assert.Contains($"{failure.TargetDate:uuuu-MM-dd}", failure.Reason);

            // Lay the plan out again by hand up to the session named: every earlier one must have been fine.
            var induction = c.Protocol.Induction;
            var dates = new List<LocalDate>();
            for (var sequence = 1; sequence < failure.Sequence; sequence++)
            {
                var due = sequence == 1 ? c.Start : dates[^1].PlusDays(IntervalBefore(c.Protocol, sequence));
                dates.Add(Rules.NextOpen(c.Calendar, due)!.Value);
            }

            Assert.True(Rules.KeepsInduction(induction, dates.Take(induction.Sessions).ToList()), "an earlier session already broke the induction");
            var target = failure.Sequence == 1 ? c.Start : dates[^1].PlusDays(IntervalBefore(c.Protocol, failure.Sequence));
            Assert.Equal(target, failure.TargetDate);
            Assert.Equal(Rules.NextOpen(c.Calendar, target), failure.OpenDate);
            if (failure.OpenDate is not { } open)
            {
                Assert.Contains("no open day within 366 days", failure.Reason);
                return;
            }

            Assert.Equal(Phase.Induction, failure.Phase);
            var (gap, span) = (Period.DaysBetween(dates[^1], open), Period.DaysBetween(dates[0], open));
            Assert.True(gap > induction.MaxIntervalDays || span > induction.MaxSpanDays, $"gap {gap}, span {span} are within the rules");
            Assert.Contains($"{open:uuuu-MM-dd}", failure.Reason);
            Assert.Contains(gap > induction.MaxIntervalDays ? $"{gap} days after session {failure.Sequence - 1} on {dates[^1]:uuuu-MM-dd}" : $"{span} days after it began on {dates[0]:uuuu-MM-dd}", failure.Reason);
        });

    private static void ForEachPlan(Action<PlanningCase, PlanningResult> check) =>
        Checks.ForAll(Generators.PlanningCases, c => check(c, PlanningRule.Plan(c.Calendar, c.Protocol, c.Start)), runs: 300);

    private static int IntervalBefore(Protocol protocol, int sequence) =>
        sequence <= protocol.Induction.Sessions ? protocol.Induction.IntervalDays : protocol.Maintenance.IntervalDays[sequence - protocol.Induction.Sessions - 1];
}
