using System.Text.RegularExpressions;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Tests.Domain.Properties;

public sealed partial class PlacementProperties
{
    [Fact]
    public void A_successful_placement_keeps_every_rule() =>
        ForEachPlacement(succeeded: true, (c, result) =>
        {
            var sessions = result.Sessions;
            Assert.Equal(c.Plan.Sessions.Select(p => (p.Sequence, p.Phase)), sessions.Select(s => (s.Sequence!.Value, s.Phase!.Value)));
            Assert.All(sessions, s => Assert.Equal((c.Plan.PatientId, c.Plan.Id, SessionStatus.Booked, c.Length), (s.PatientId, s.PlanId!.Value, s.Status, s.Length)));
            var held = c.Existing.Select(Held.Of).ToList();
            foreach (var session in sessions)
            {
                Assert.Empty(Rules.Broken(c.Calendar, held, session, c.Now));
                Assert.True(c.Calendar.FitsOpeningHours(session.Start.LocalDateTime, session.Length.ChairTime));
                held.Add(Held.Of(session));
            }

            Assert.Empty(Rules.Clashes(c.Calendar, held));
            var induction = sessions.Where(s => s.Phase == Phase.Induction).Select(s => s.Start.Date).ToList();
            Assert.True(Rules.KeepsInduction(c.Plan.Protocol.Induction, induction), string.Join(", ", induction));
        });

    [Fact]
    public void Each_session_takes_the_first_day_of_its_window_with_a_free_chair_at_the_nearest_start_in_the_same_chair_when_it_can() =>
        ForEachPlacement(succeeded: true, (c, result) =>
        {
            var held = c.Existing.Select(Held.Of).ToList();
            Session? previous = null;
            foreach (var session in result.Sessions)
            {
                var window = WindowAfter(c, previous, result.Sessions[0].Start.Date, session.Sequence!.Value);
                Assert.InRange(session.Start.Date, window.Start, window.End);
                var free = FreeStarts(c, held, window.Start, session.Start.Date);
                Assert.True(free.Count > 0, $"session {session.Sequence} is placed where no chair is free");
                Assert.All(free, f => Assert.Equal(session.Start.Date, f.Start.Date));
                var best = free.OrderBy(f => Distance(c, f.Start)).ThenBy(f => f.Start.LocalDateTime).First();
                Assert.Equal(best.Start.LocalDateTime, session.Start.LocalDateTime);
                var chairsThen = free.Where(f => f.Start.LocalDateTime == session.Start.LocalDateTime).Select(f => f.ChairId).ToList();
                var expectedChair = previous is not null && chairsThen.Contains(previous.ChairId) ? previous.ChairId : chairsThen[0];
                Assert.Equal(expectedChair, session.ChairId);
                held.Add(Held.Of(session));
                previous = session;
            }
        });

    [Fact]
    public void A_failed_placement_lists_sessions_whose_obstacles_are_real_and_alternatives_that_are_free() =>
        ForEachPlacement(succeeded: false, (c, result) =>
        {
            Assert.Empty(result.Sessions);
            Assert.Equal(result.Unplaced.Select(u => u.Sequence).Distinct().Order(), result.Unplaced.Select(u => u.Sequence));
            var held = c.Existing.Select(Held.Of).ToList();
            foreach (var unplaced in result.Unplaced)
            {
                Assert.Contains($"session {unplaced.Sequence} ", unplaced.Reason);
                if (unplaced.Obstacle == Obstacle.InductionBroken)
                {
                    AssertInductionReallyBroken(c, unplaced);
                }
                else
                {
                    Assert.Contains($"between {unplaced.Window.Start:uuuu-MM-dd} and {unplaced.Window.End:uuuu-MM-dd}", unplaced.Reason);
                    AssertNothingFreeIn(c, held, unplaced);
                }

                Assert.InRange(unplaced.Alternatives.Length, 0, 3);
                Assert.All(unplaced.Alternatives, a =>
                {
                    Assert.InRange(a.Start.Date, unplaced.Window.End.PlusDays(1), unplaced.Window.End.PlusDays(Placement.AlternativeHorizonDays));
                    Assert.Empty(Rules.Broken(c.Calendar, held, Candidate(c, a.ChairId, c.Calendar.AtClinicTime(a.Start)), c.Now));
                });
            }
        });

    /// <summary>Places generated cases and checks those that succeeded (or failed) as asked.</summary>
    private static void ForEachPlacement(bool succeeded, Action<PlacementCase, PlacementResult> check) =>
        Checks.ForAll(Generators.PlacementCases, c =>
        {
            var result = c.Place();
            if (result.Succeeded == succeeded)
            {
                check(c, result);
            }
        });

    /// <summary>Each free chair and start, as the rules see them, from <paramref name="from"/> to the first date with any, up to <paramref name="until"/>.</summary>
    private static List<Session> FreeStarts(PlacementCase c, List<Held> held, LocalDate from, LocalDate until)
    {
        for (var date = from; date <= until; date = date.PlusDays(1))
        {
            var free = Rules.GridStarts(c.Calendar, date)
                .SelectMany(start => c.Chairs.Select(chair => Candidate(c, chair.Id, start)))
                .Where(candidate => Rules.Broken(c.Calendar, held, candidate, c.Now).Count == 0)
                .ToList();
            if (free.Count > 0)
            {
                return free;
            }
        }

        return [];
    }

    /// <summary>The dates a session could take given the one placed before it, by the issue's rule.</summary>
    internal static DateInterval WindowAfter(PlacementCase c, Session? previous, LocalDate first, int sequence)
    {
        var protocol = c.Plan.Protocol;
        if (previous is null)
        {
            return c.Plan.Sessions[0].Window;
        }

        var prior = previous.Start.Date;
        if (sequence <= protocol.Induction.Sessions)
        {
            var latest = LocalDate.Min(prior.PlusDays(protocol.Induction.MaxIntervalDays), first.PlusDays(protocol.Induction.MaxSpanDays));
            return new DateInterval(prior.PlusDays(protocol.Induction.IntervalDays), latest);
        }

        var interval = protocol.Maintenance.IntervalDays[sequence - protocol.Induction.Sessions - 1];
        var due = prior.PlusDays(interval);
        var open = Rules.NextOpen(c.Calendar, due)!.Value;
        return new DateInterval(due, LocalDate.Max(open, due.PlusDays(MaintenanceCycle.SlackDays(interval))));
    }

    private static void AssertNothingFreeIn(PlacementCase c, List<Held> held, UnplacedSession unplaced)
    {
        var seen = new HashSet<Obstacle>();
        var anyStart = false;
        foreach (var date in unplaced.Window)
        {
            if (!Rules.IsOpen(c.Calendar, date))
            {
                seen.Add(Obstacle.ClinicClosed);
                continue;
            }

            foreach (var start in Rules.GridStarts(c.Calendar, date))
            {
                foreach (var chair in c.Chairs)
                {
                    var broken = Rules.Broken(c.Calendar, held, Candidate(c, chair.Id, start), c.Now);
                    Assert.NotEmpty(broken);
                    if (!broken.Contains(Obstacle.OutsideOpeningHours))
                    {
                        anyStart = true;
                        seen.UnionWith(broken);
                    }
                }
            }
        }

        if (unplaced.Obstacle == Obstacle.NoChairs)
        {
            Assert.Empty(c.Chairs);
        }
        else if (unplaced.Obstacle == Obstacle.OutsideOpeningHours)
        {
            Assert.False(anyStart, "a start fits opening hours in the window");
        }
        else
        {
            Assert.Contains(unplaced.Obstacle, seen);
        }
    }

    /// <summary>The reason's dates, read back, really break the largest interval or the span.</summary>
    private static void AssertInductionReallyBroken(PlacementCase c, UnplacedSession unplaced)
    {
        var induction = c.Plan.Protocol.Induction;
        var landed = unplaced.Window.Start;
        if (DueDate().Match(unplaced.Reason) is { Success: true } due)
        {
            var target = Date(due.Groups[1].Value);
            Assert.Equal(Date(due.Groups[2].Value), landed);
            Assert.Equal(Rules.NextOpen(c.Calendar, target), landed);
        }

        if (GapAfter().Match(unplaced.Reason) is { Success: true } gap)
        {
            Assert.True(Period.DaysBetween(Date(gap.Groups[1].Value), landed) > induction.MaxIntervalDays, unplaced.Reason);
        }
        else
        {
            var began = SpanFrom().Match(unplaced.Reason);
            Assert.True(began.Success, unplaced.Reason);
            Assert.True(Period.DaysBetween(Date(began.Groups[1].Value), landed) > induction.MaxSpanDays, unplaced.Reason);
        }
    }

    internal static Session Candidate(PlacementCase c, Guid chair, ZonedDateTime start) =>
        new(Guid.NewGuid(), c.Plan.PatientId, chair, start, c.Length);

    internal static int Distance(PlacementCase c, ZonedDateTime start) =>
        Math.Abs((start.TimeOfDay.Hour * 60 + start.TimeOfDay.Minute) - (c.Plan.PreferredStartTime.Hour * 60 + c.Plan.PreferredStartTime.Minute));

    private static LocalDate Date(string text) => LocalDatePattern.Iso.Parse(text).Value;

    [GeneratedRegex(@"was due on (\d{4}-\d{2}-\d{2}), but the clinic is closed until (\d{4}-\d{2}-\d{2})")]
    private static partial Regex DueDate();

    [GeneratedRegex(@"after session \d+ on (\d{4}-\d{2}-\d{2}), more than the largest interval")]
    private static partial Regex GapAfter();

    [GeneratedRegex(@"after it began on (\d{4}-\d{2}-\d{2}), longer than its span")]
    private static partial Regex SpanFrom();
}
