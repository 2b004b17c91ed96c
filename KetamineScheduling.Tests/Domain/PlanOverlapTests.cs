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

        static TreatmentPlan Another(TreatmentPlan plan) => new(Guid.NewGuid(), plan.PatientId, plan.Protocol, plan.StartDate, plan.PreferredStartTime, plan.Sessions);
    }
}
