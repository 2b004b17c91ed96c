using System.Collections.Immutable;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using static KetamineScheduling.Tests.Domain.Clinic;

namespace KetamineScheduling.Tests.Domain;

public sealed class PlanProgressTests
{
    [Fact]
    public void A_no_show_in_the_middle_of_the_induction_marks_it_interrupted_and_leaves_the_plan_active()
    {
        var (plan, sessions) = ActiveInduction(4);

        var after = PlanProgress.AfterSessionsChanged(plan, sessions.SetItem(1, sessions[1].MoveTo(SessionStatus.NoShow)!));

        Assert.Equal((true, PlanStatus.Active), (after.InductionInterrupted, after.Status));
    }

    [Fact]
    public void A_checked_in_session_changes_nothing_and_the_same_plan_comes_back()
    {
        var (plan, sessions) = ActiveInduction(4);

        var after = PlanProgress.AfterSessionsChanged(plan, sessions.SetItem(0, sessions[0].MoveTo(SessionStatus.CheckedIn)!));

        Assert.Same(plan, after);
    }

    [Fact]
    public void Once_every_session_is_done_or_called_off_the_plan_is_completed()
    {
        var (plan, sessions) = ActiveInduction(3);
        var done = sessions.Select((s, i) => i == 2 ? s.MoveTo(SessionStatus.Cancelled)! : s.MoveTo(SessionStatus.CheckedIn)!.MoveTo(SessionStatus.InInfusion)!.MoveTo(SessionStatus.Completed)!).ToList();

        var after = PlanProgress.AfterSessionsChanged(plan, done);

        Assert.Equal((false, PlanStatus.Completed), (after.InductionInterrupted, after.Status));
    }

    [Fact]
    public void A_plan_on_hold_is_not_completed_by_its_last_session_and_an_interruption_stays_marked()
    {
        var (plan, sessions) = ActiveInduction(3);
        var held = plan with { Status = PlanStatus.OnHold, InductionInterrupted = true };

        var after = PlanProgress.AfterSessionsChanged(held, [.. sessions.Select(s => s.MoveTo(SessionStatus.NoShow)!)]);

        Assert.Equal((true, PlanStatus.OnHold), (after.InductionInterrupted, after.Status));
    }

    [Fact]
    public void An_active_plan_with_no_booked_session_is_not_completed()
    {
        var (plan, _) = ActiveInduction(3);

        Assert.Same(plan, PlanProgress.AfterSessionsChanged(plan, []));
    }

    [Fact]
    public void Progress_needs_the_plan_and_its_sessions()
    {
        var (plan, sessions) = ActiveInduction(3);

        Assert.Throws<ArgumentNullException>(() => PlanProgress.AfterSessionsChanged(null!, sessions));
        Assert.Throws<ArgumentNullException>(() => PlanProgress.AfterSessionsChanged(plan with { InductionInterrupted = true }, null!));
    }

    [Theory]
    [InlineData(Obstacle.ChairTaken, true)]
    [InlineData(Obstacle.PatientBusy, true)]
    [InlineData(Obstacle.StartsPerSlotFull, true)]
    [InlineData(Obstacle.NotMovable, true)]
    [InlineData(Obstacle.InThePast, false)]
    [InlineData(Obstacle.ClinicClosed, false)]
    [InlineData(Obstacle.OffSlotGrid, false)]
    [InlineData(Obstacle.OutsideOpeningHours, false)]
    [InlineData(Obstacle.OutOfOrder, false)]
    [InlineData(Obstacle.InductionBroken, false)]
    [InlineData(Obstacle.NoChairs, false)]
    public void Another_booking_or_the_sessions_own_state_is_a_conflict_and_the_calendars_rules_are_not(Obstacle obstacle, bool conflict) =>
        Assert.Equal(conflict, obstacle.IsConflict());

    [Fact]
    public void Sessions_booked_checked_in_in_infusion_or_completed_hold_their_chair_and_only_those_not_completed_are_still_to_come()
    {
        Assert.Equal([SessionStatus.Booked, SessionStatus.CheckedIn, SessionStatus.InInfusion, SessionStatus.Completed], SessionStatuses.HoldingChair.AsEnumerable());
        Assert.Equal([SessionStatus.Booked, SessionStatus.CheckedIn, SessionStatus.InInfusion], SessionStatuses.StillToCome.AsEnumerable());
    }

    /// <summary>An active plan of <paramref name="count"/> induction sessions, placed from Monday 11 January.</summary>
    private static (TreatmentPlan Plan, ImmutableArray<Session> Sessions) ActiveInduction(int count)
    {
        var calendar = Calendar();
        var plan = Plan(calendar, Protocol(new InductionCycle(count, 2, 3, InductionCycle.DefaultSpanFor(count, 3)), new MaintenanceCycle([])), MondayJanuary11);
        var placed = Place(calendar, plan, Chairs(1));
        Assert.True(placed.Succeeded);
        return (plan with { Status = PlanStatus.Active }, placed.Sessions);
    }
}
