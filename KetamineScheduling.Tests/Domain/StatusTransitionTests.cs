using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;
using static KetamineScheduling.Tests.Domain.Clinic;

namespace KetamineScheduling.Tests.Domain;

public sealed class StatusTransitionTests
{
    public static TheoryData<SessionStatus, SessionStatus> LegalSessionMoves => new()
    {
        { SessionStatus.Booked, SessionStatus.CheckedIn },
        { SessionStatus.Booked, SessionStatus.Cancelled },
        { SessionStatus.Booked, SessionStatus.NoShow },
        { SessionStatus.CheckedIn, SessionStatus.InInfusion },
        { SessionStatus.CheckedIn, SessionStatus.Cancelled },
        { SessionStatus.InInfusion, SessionStatus.Completed },
    };

    /// <summary>Where the clinic does not require readiness: the same moves, and a checked-in session completed directly.</summary>
    public static TheoryData<SessionStatus, SessionStatus> LegalSessionMovesWithoutReadiness => new()
    {
        { SessionStatus.Booked, SessionStatus.CheckedIn },
        { SessionStatus.Booked, SessionStatus.Cancelled },
        { SessionStatus.Booked, SessionStatus.NoShow },
        { SessionStatus.CheckedIn, SessionStatus.InInfusion },
        { SessionStatus.CheckedIn, SessionStatus.Completed },
        { SessionStatus.CheckedIn, SessionStatus.Cancelled },
        { SessionStatus.InInfusion, SessionStatus.Completed },
    };

    public static TheoryData<PlanStatus, PlanStatus> LegalPlanMoves => new()
    {
        { PlanStatus.Draft, PlanStatus.Active },
        { PlanStatus.Draft, PlanStatus.Discontinued },
        { PlanStatus.Active, PlanStatus.OnHold },
        { PlanStatus.Active, PlanStatus.Completed },
        { PlanStatus.Active, PlanStatus.Discontinued },
        { PlanStatus.OnHold, PlanStatus.Active },
        { PlanStatus.OnHold, PlanStatus.Discontinued },
    };

    [Fact]
    public void A_session_moves_only_along_the_legal_transitions() =>
        AssertOnlyLegal(LegalSessionMoves, (from, to) => SessionStatusTransitions.CanMove(from, to));

    [Fact]
    public void Where_readiness_is_not_required_a_checked_in_session_may_also_be_completed_directly() =>
        AssertOnlyLegal(LegalSessionMovesWithoutReadiness, (from, to) => SessionStatusTransitions.CanMove(from, to, readinessRequired: false));

    [Fact]
    public void A_plan_moves_only_along_the_legal_transitions() =>
        AssertOnlyLegal(LegalPlanMoves, PlanStatusTransitions.CanMove);

    [Theory]
    [InlineData(SessionStatus.Booked, true)]
    [InlineData(SessionStatus.CheckedIn, true)]
    [InlineData(SessionStatus.InInfusion, true)]
    [InlineData(SessionStatus.Completed, true)]
    [InlineData(SessionStatus.Cancelled, false)]
    [InlineData(SessionStatus.NoShow, false)]
    public void Cancelled_and_missed_sessions_free_their_chair(SessionStatus status, bool holdsChair) =>
        Assert.Equal(holdsChair, status.HoldsChair());

    [Fact]
    public void A_no_show_is_final()
    {
        var calendar = Calendar();
        var session = Booked(calendar, Chairs(1)[0], MondayJanuary11.At(new LocalTime(10, 0)), LengthFor(Protocol(), calendar));

        var noShow = session.MoveTo(SessionStatus.NoShow)!;

        Assert.Equal(SessionStatus.NoShow, noShow.Status);
        Assert.Null(noShow.MoveTo(SessionStatus.CheckedIn));
        Assert.Equal(SessionStatus.Booked, session.Status);
    }

    [Fact]
    public void A_completed_plan_cannot_be_reopened()
    {
        var plan = Plan(Calendar(), Protocol(), MondayJanuary11);

        var completed = plan.MoveTo(PlanStatus.Active)!.MoveTo(PlanStatus.Completed)!;

        Assert.Equal(PlanStatus.Completed, completed.Status);
        Assert.Null(completed.MoveTo(PlanStatus.Active));
        Assert.Null(plan.MoveTo(PlanStatus.OnHold));
    }

    private static void AssertOnlyLegal<TStatus>(TheoryData<TStatus, TStatus> legalMoves, Func<TStatus, TStatus, bool> canMove)
        where TStatus : struct, Enum
    {
        var legal = legalMoves.Select(row => ((TStatus)row[0], (TStatus)row[1])).ToHashSet();
        var all = Enum.GetValues<TStatus>();

        var mismatched = all.SelectMany(from => all.Select(to => (from, to))).Where(move => legal.Contains(move) != canMove(move.from, move.to));

        Assert.Empty(mismatched);
    }
}
