using System.Collections.Immutable;
using KetamineScheduling.Domain.Plans;
using static KetamineScheduling.Tests.Domain.Clinic;

namespace KetamineScheduling.Tests.Domain;

public sealed class TreatmentPlanTests
{
    private static readonly Protocol ThreeSessions = Protocol(new InductionCycle(3, 2, 3, 7));

    [Fact]
    public void A_plan_holds_exactly_the_sessions_of_its_protocol()
    {
        var planned = PlanningRule.Plan(Calendar(), ThreeSessions, MondayJanuary11).Sessions;

        Assert.Equal(3, New(planned).Sessions.Length);
        Assert.Throws<ArgumentException>(() => New(planned.RemoveAt(2)));
        Assert.Throws<ArgumentException>(() => New(default));
    }

    [Fact]
    public void A_plan_needs_a_protocol() =>
        Assert.Throws<ArgumentNullException>(() => new TreatmentPlan(Id(8_000), Patient, null!, MondayJanuary11, Ten, []));

    private static TreatmentPlan New(ImmutableArray<PlannedSession> sessions) =>
        new(Id(8_000), Patient, ThreeSessions, MondayJanuary11, Ten, sessions);
}
