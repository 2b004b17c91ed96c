using KetamineScheduling.Domain.Nursing;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Tests.Domain.Properties;

public sealed class NurseProperties
{
    // A hundred cases a property keeps the nurse properties inside the time the suite allows them.
    private const int Runs = 100;

    [Fact]
    public void No_placement_ever_breaks_the_nurse_rule() =>
        Checks.ForAll(Generators.NurseCases, c =>
        {
            var (staffing, duty) = Nurses(c);
            var existing = c.Existing.Select(Nursed.Of).ToList();
            Assert.Empty(NurseRules.Breaches(staffing, duty, existing));

            var result = c.Place();

            if (result.Succeeded)
            {
                Assert.All(result.Sessions, s => Assert.NotNull(s.NurseId));
                Assert.Empty(NurseRules.Breaches(staffing, duty, [.. existing, .. result.Sessions.Select(Nursed.Of)]));
                Assert.Empty(Rules.Clashes(c.Calendar, [.. c.Existing.Concat(result.Sessions).Select(Held.Of)]));
            }
        }, Runs);

    [Fact]
    public void Each_session_goes_to_the_nearest_start_with_a_free_chair_and_a_free_nurse_on_the_first_day_of_its_window_with_one() =>
        Checks.ForAll(Generators.NurseCases, c =>
        {
            var result = c.Place();
            if (!result.Succeeded)
            {
                return;
            }

            var (staffing, duty) = Nurses(c);
            var held = c.Existing.Select(Held.Of).ToList();
            var nursed = c.Existing.Select(Nursed.Of).ToList();
            Session? previous = null;
            foreach (var session in result.Sessions)
            {
                var window = PlacementProperties.WindowAfter(c, previous, result.Sessions[0].Start.Date, session.Sequence!.Value);
                Assert.InRange(session.Start.Date, window.Start, window.End);
                var free = FreeStarts(c, staffing, duty, held, nursed, window.Start, session.Start.Date);
                Assert.True(free.Count > 0, $"session {session.Sequence} is placed where no chair and nurse are free");
                Assert.All(free, f => Assert.Equal(session.Start.Date, f.Start.Date));
                var best = free.OrderBy(f => PlacementProperties.Distance(c, f.Start)).ThenBy(f => f.Start.LocalDateTime).First();
                Assert.Equal(best.Start.LocalDateTime, session.Start.LocalDateTime);
                var chairsThen = free.Where(f => f.Start.LocalDateTime == session.Start.LocalDateTime).Select(f => f.ChairId).ToList();
                Assert.Equal(previous is not null && chairsThen.Contains(previous.ChairId) ? previous.ChairId : chairsThen[0], session.ChairId);
                held.Add(Held.Of(session));
                nursed.Add(Nursed.Of(session));
                previous = session;
            }
        }, Runs);

    [Fact]
    public void A_placement_fails_for_want_of_nurses_only_when_no_start_in_the_window_has_a_nurse_and_offers_alternatives_that_have_one() =>
        Checks.ForAll(Generators.NurseCases, c =>
        {
            var result = c.Place();
            if (result.Succeeded)
            {
                return;
            }

            var (staffing, duty) = Nurses(c);
            var held = c.Existing.Select(Held.Of).ToList();
            var nursed = c.Existing.Select(Nursed.Of).ToList();
            foreach (var unplaced in result.Unplaced.Where(u => u.Obstacle != Obstacle.InductionBroken))
            {
                var nurseObstacles = new HashSet<Obstacle>();
                foreach (var start in unplaced.Window.Where(d => Rules.IsOpen(c.Calendar, d)).SelectMany(d => Rules.GridStarts(c.Calendar, d)))
                {
                    if (FreeChair(c, held, start) is { } candidate)
                    {
                        var none = NurseRules.NoneCanTake(staffing, duty, nursed, Nursed.Of(candidate));
                        Assert.True(none is not null, $"session {unplaced.Sequence} was refused ({unplaced.Obstacle}) though a chair and a nurse are free at {start}");
                        nurseObstacles.Add(none.Value);
                    }
                }

                if (unplaced.Obstacle.IsNurseCapacity())
                {
                    Assert.Contains(unplaced.Obstacle, nurseObstacles);
                }

                Assert.All(unplaced.Alternatives, a =>
                {
                    var candidate = PlacementProperties.Candidate(c, a.ChairId, c.Calendar.AtClinicTime(a.Start));
                    Assert.Empty(Rules.Broken(c.Calendar, held, candidate, c.Now));
                    Assert.Null(NurseRules.NoneCanTake(staffing, duty, nursed, Nursed.Of(candidate)));
                });
            }
        }, Runs);

    [Fact]
    public void With_staffing_off_placement_gives_the_same_sessions_as_a_clinic_without_a_roster_and_names_no_nurse() =>
        Checks.ForAll(Generators.UnstaffedCases, c =>
        {
            var unstaffed = c.Place();
            var plain = WithoutNurses(c).Place();

            Assert.Equal(plain.Sessions.AsEnumerable(), unstaffed.Sessions.AsEnumerable());
            Assert.All(unstaffed.Sessions, s => Assert.Null(s.NurseId));
            Assert.Equal(Described(plain.Unplaced), Described(unstaffed.Unplaced));
        }, Runs);

    [Fact]
    public void No_move_ever_breaks_the_nurse_rule_and_a_moved_session_keeps_a_nurse_who_can_still_take_it() =>
        Checks.ForAll(Generators.NurseMoveCases, c =>
        {
            var (staffing, duty) = Nurses(c.Placement);
            var result = c.Move();
            var moving = Moving(c);
            var others = c.Placement.Existing.Concat(c.Sessions.Where(s => s.Status.HoldsChair() && !moving.Contains(s.Id))).Select(Nursed.Of).ToList();
            var asked = Nursed.Of(c.Session with { Start = c.Placement.Calendar.AtClinicTime(c.Start) });

            if (result.Succeeded)
            {
                Assert.All(result.Moved, s => Assert.NotNull(s.NurseId));
                var after = c.Sessions.Select(s => result.Moved.FirstOrDefault(m => m.Id == s.Id) ?? s).Where(s => s.Status.HoldsChair());
                Assert.Empty(NurseRules.Breaches(staffing, duty, [.. c.Placement.Existing.Concat(after).Select(Nursed.Of)]));
                if (NurseRules.Refuses(staffing, duty, others, c.Session.NurseId!.Value, asked) is null)
                {
                    Assert.Equal(c.Session.NurseId, result.Moved.Single(s => s.Id == c.Session.Id).NurseId);
                }
            }
            else if (result.Refused is { } refused && refused.Obstacle.IsNurseCapacity() && refused.Session.Id == c.Session.Id)
            {
                // The session asked for is tried first, beside everything but the sessions moving with it.
                Assert.Equal(refused.Obstacle, NurseRules.NoneCanTake(staffing, duty, others, asked));
            }
        }, Runs);

    [Fact]
    public void With_staffing_off_a_move_is_the_same_as_in_a_clinic_without_a_roster() =>
        Checks.ForAll(Generators.UnstaffedMoveCases, c =>
        {
            var unstaffed = c.Move();
            var plain = (c with { Placement = WithoutNurses(c.Placement) }).Move();

            Assert.Equal(plain.Moved.AsEnumerable(), unstaffed.Moved.AsEnumerable());
            Assert.Equal(plain.Refused, unstaffed.Refused);
            Assert.All(unstaffed.Moved, s => Assert.Null(s.NurseId));
        }, Runs);

    private static (NurseStaffing Staffing, Duty Duty) Nurses(PlacementCase c) => (c.Nursing!.Staffing, new Duty(c.Calendar, c.Nursing.Shifts));

    /// <summary>The case as a clinic that never counted nurses would hold it: no roster, and no nurse on any booking.</summary>
    private static PlacementCase WithoutNurses(PlacementCase c) => c with { Nursing = null, Existing = [.. c.Existing.Select(s => s with { NurseId = null })] };

    /// <summary>The ids of the sessions a move takes out of the occupancy: the one asked for, and with it every later booked one when the move shifts them.</summary>
    private static HashSet<Guid> Moving(MoveCase c)
    {
        var shifted = c.ShiftFollowing && Period.DaysBetween(c.Session.Start.Date, c.Start.Date) != 0;
        return [c.Session.Id, .. c.Sessions.Where(s => shifted && s.Sequence > c.Session.Sequence && s.Status == SessionStatus.Booked).Select(s => s.Id)];
    }

    /// <summary>The first chair at <paramref name="start"/> that breaks none of the chair rules, as a candidate session, or null.</summary>
    private static Session? FreeChair(PlacementCase c, List<Held> held, ZonedDateTime start) =>
        c.Chairs.Select(chair => PlacementProperties.Candidate(c, chair.Id, start)).FirstOrDefault(candidate => Rules.Broken(c.Calendar, held, candidate, c.Now).Count == 0);

    /// <summary>
    /// Each chair and start free by the chair rules at a start where some nurse could take the session, from
    /// <paramref name="from"/> to the first date with any, up to <paramref name="until"/>.
    /// </summary>
    private static List<Session> FreeStarts(PlacementCase c, NurseStaffing staffing, Duty duty, List<Held> held, List<Nursed> nursed, LocalDate from, LocalDate until)
    {
        for (var date = from; date <= until; date = date.PlusDays(1))
        {
            var free = new List<Session>();
            foreach (var start in Rules.GridStarts(c.Calendar, date))
            {
                var chairs = c.Chairs.Select(chair => PlacementProperties.Candidate(c, chair.Id, start)).Where(candidate => Rules.Broken(c.Calendar, held, candidate, c.Now).Count == 0).ToList();
                if (chairs.Count > 0 && NurseRules.NoneCanTake(staffing, duty, nursed, Nursed.Of(chairs[0])) is null)
                {
                    free.AddRange(chairs);
                }
            }

            if (free.Count > 0)
            {
                return free;
            }
        }

        return [];
    }

    private static List<string> Described(IEnumerable<UnplacedSession> unplaced) =>
        [.. unplaced.Select(u => $"{u.Sequence} {u.Phase} {u.Window} {u.Obstacle} {u.Reason} [{string.Join(", ", u.Alternatives)}]")];
}
