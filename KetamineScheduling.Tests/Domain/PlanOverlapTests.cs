using KetamineScheduling.Domain.Plans;
using static KetamineScheduling.Tests.Domain.Clinic;

namespace KetamineScheduling.Tests.Domain;

public sealed class PlanOverlapTests
{
    [Fact]
    public void Two_plans_of_one_patient_overlap_when_their_courses_share_a_day()
    {
        var calendar = Calendar();
        var protocol = Protocol(new InductionCycle(3, 2, 3, 7));
        var first = Plan(calendar, protocol, MondayJanuary11);
        var sameDays = Another(Plan(calendar, protocol, January13));
        var afterwards = Another(Plan(calendar, protocol, first.Course.End.PlusDays(1)));
        var otherPatient = Another(Plan(calendar, protocol, MondayJanuary11, patient: OtherPatient));

        Assert.True(first.Overlaps(sameDays));
        Assert.True(sameDays.Overlaps(first));
        Assert.False(first.Overlaps(afterwards));
        Assert.False(first.Overlaps(otherPatient));
        Assert.False(first.Overlaps(first));
    }

    [Fact]
    public void Plans_of_one_patient_that_share_only_the_last_day_of_one_and_the_first_of_the_other_overlap()
    {
        var calendar = Calendar();
        var protocol = Protocol(new InductionCycle(3, 2, 3, 7));
        var first = Plan(calendar, protocol, MondayJanuary11);
        var next = Another(Plan(calendar, protocol, first.Course.End));

        Assert.Equal(first.Course.End, next.Course.Start);
        Assert.True(first.Overlaps(next));
        Assert.True(next.Overlaps(first));
    }

    [Fact]
    public void A_plan_is_compared_with_another_plan() =>
        Assert.Throws<ArgumentNullException>(() => Plan(Calendar(), Protocol(), MondayJanuary11).Overlaps(null!));

    private static TreatmentPlan Another(TreatmentPlan plan) => new(Guid.NewGuid(), plan.PatientId, plan.Protocol, plan.StartDate, plan.PreferredStartTime, plan.Sessions);
}
