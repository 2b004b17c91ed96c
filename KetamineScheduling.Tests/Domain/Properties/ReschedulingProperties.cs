using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Tests.Domain.Properties;

public sealed class ReschedulingProperties
{
    [Fact]
    public void An_allowed_move_keeps_every_rule() =>
        ForEachMove((c, result) =>
        {
            if (!result.Succeeded)
            {
                return;
            }

            Assert.Equal(Candidates(c).Select(s => (s.Id, s.Start, s.ChairId)), result.Moved.Select(s => (s.Id, s.Start, s.ChairId)));
            var after = After(c, result.Moved);
            var held = c.Placement.Existing.Concat(after.Where(s => s.Status.HoldsChair())).Select(Held.Of).ToList();
            Assert.Empty(Rules.Clashes(c.Placement.Calendar, held));
            Assert.All(result.Moved, s => Assert.Empty(Rules.Broken(c.Placement.Calendar, held, s, c.Placement.Now)));
            var dates = after.Where(s => s.Status.HoldsChair()).Select(s => s.Start.Date).ToList();
            Assert.True(dates.Zip(dates.Skip(1)).All(d => d.First < d.Second), $"out of order: {string.Join(", ", dates)}");
            Assert.Null(Lengthened(c, after));
            Assert.Null(MaintenanceLate(c, after));
        });

    [Fact]
    public void A_refused_move_names_a_session_and_a_rule_it_really_breaks() =>
        ForEachMove((c, result) =>
        {
            if (result.Refused is not { } refused)
            {
                return;
            }

            Assert.Empty(result.Moved);
            var candidates = Candidates(c);
            var at = candidates.FindIndex(s => s.Id == refused.Session.Id);
            Assert.Equal(candidates[at].Start, refused.Session.Start);
            Assert.Contains($"Session {refused.Session.Sequence} cannot start at {refused.Session.Start.LocalDateTime:uuuu-MM-dd'T'HH:mm}", refused.Reason);
            var after = After(c, candidates);
            switch (refused.Obstacle)
            {
                case Obstacle.NotMovable:
                    Assert.NotEqual(SessionStatus.Booked, c.Sessions.Single(s => s.Id == refused.Session.Id).Status);
                    break;
                case Obstacle.OutOfOrder:
                    var dates = after.Where(s => s.Status.HoldsChair()).Select(s => s.Start.Date).ToList();
                    Assert.Contains(dates.Zip(dates.Skip(1)), d => d.First >= d.Second);
                    break;
                case Obstacle.InductionBroken:
                    Assert.NotNull(Lengthened(c, after));
                    break;
                case Obstacle.MaintenanceLate:
                    Assert.NotNull(MaintenanceLate(c, after));
                    break;
                default:
                    var others = c.Placement.Existing.Concat(c.Sessions.Where(s => s.Status.HoldsChair() && !candidates.Any(m => m.Id == s.Id))).Concat(candidates.Take(at));
                    Assert.Contains(refused.Obstacle, Rules.Broken(c.Placement.Calendar, others.Select(Held.Of), refused.Session, c.Placement.Now));
                    break;
            }
        });

    [Fact]
    public void An_induction_is_interrupted_exactly_when_the_sessions_still_held_break_its_interval_or_span() =>
        ForEachMove((c, _) =>
        {
            var induction = c.Placement.Plan.Protocol.Induction;
            var held = c.Sessions.Where(s => s.Phase == Phase.Induction && s.Status.HoldsChair()).Select(s => s.Start.Date).ToList();

            Assert.Equal(!Rules.KeepsInduction(induction, held), Rescheduling.IsInductionInterrupted(induction, c.Sessions));
        });

    private static void ForEachMove(Action<MoveCase, RescheduleResult> check) =>
        Checks.ForAll(Generators.MoveCases, c => check(c, c.Move()));

    /// <summary>
    /// The sessions a move asks for, worked out by hand: the session, then every booked later one of the plan shifted
    /// by the same days (none when the date stays the same, since then they stay where they are).
    /// </summary>
    private static List<Session> Candidates(MoveCase c)
    {
        var calendar = c.Placement.Calendar;
        var days = Period.DaysBetween(c.Session.Start.Date, c.Start.Date);
        var moved = new List<Session> { c.Session with { Start = calendar.AtClinicTime(c.Start), ChairId = c.ChairId ?? c.Session.ChairId } };
        if (c.ShiftFollowing && days != 0)
        {
            moved.AddRange(c.Sessions
                .Where(s => s.Sequence > c.Session.Sequence && s.Status == SessionStatus.Booked)
                .Select(s => s with { Start = calendar.AtClinicTime(s.Start.LocalDateTime.PlusDays(days)) }));
        }

        return moved;
    }

    /// <summary>The plan's sessions with <paramref name="moved"/> in place of their originals, in sequence order.</summary>
    private static List<Session> After(MoveCase c, IEnumerable<Session> moved) =>
        [.. c.Sessions.Select(s => moved.FirstOrDefault(m => m.Id == s.Id) ?? s)];

    /// <summary>
    /// A maintenance session the move put later after the held session before it than its interval and slack allow,
    /// where it was not so late before, described; null when there is none.
    /// </summary>
    private static string? MaintenanceLate(MoveCase c, List<Session> after)
    {
        var protocol = c.Placement.Plan.Protocol;
        var before = Gaps(c.Sessions);
        return Gaps(after).Values
            .Where(g => g.Gap > g.Most && g.Gap > before[g.Sequence].Gap)
            .Select(g => $"session {g.Sequence} came {g.Gap} days after the one before it, more than {g.Most}")
            .FirstOrDefault();

        Dictionary<int, (int Sequence, int Gap, int Most)> Gaps(IEnumerable<Session> sessions)
        {
            var held = sessions.Where(s => s.Status.HoldsChair()).OrderBy(s => s.Sequence).ToList();
            return Enumerable.Range(1, Math.Max(0, held.Count - 1))
                .Where(i => held[i].Phase == Phase.Maintenance)
                .Select(i =>
                {
                    var interval = protocol.Maintenance.IntervalDays[held[i].Sequence!.Value - protocol.Induction.Sessions - 1];
                    return (held[i].Sequence!.Value, Period.DaysBetween(held[i - 1].Start.Date, held[i].Start.Date), interval + MaintenanceCycle.SlackDays(interval));
                })
                .ToDictionary(g => g.Item1, g => g);
        }
    }

    /// <summary>A gap or span of the held induction the move made longer than the protocol allows, described; null when there is none.</summary>
    private static string? Lengthened(MoveCase c, List<Session> after)
    {
        var induction = c.Placement.Plan.Protocol.Induction;
        var before = Steps(c.Sessions);
        var now = Steps(after);
        return Enumerable.Range(0, now.Count)
            .Where(i => (now[i].Gap > induction.MaxIntervalDays && now[i].Gap > before[i].Gap) || (now[i].Span > induction.MaxSpanDays && now[i].Span > before[i].Span))
            .Select(i => $"step {i}: {before[i]} became {now[i]}")
            .FirstOrDefault();

        List<(int Gap, int Span)> Steps(IEnumerable<Session> sessions) =>
            [.. Rules.InductionSteps([.. sessions.Where(s => s.Phase == Phase.Induction && s.Status.HoldsChair()).Select(s => s.Start.Date)])];
    }
}
