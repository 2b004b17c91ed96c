using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Nursing;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;
using static KetamineScheduling.Tests.Domain.Clinic;
using static KetamineScheduling.Tests.Domain.Nurses;

namespace KetamineScheduling.Tests.Domain;

public sealed class NursePlacementTests
{
    private readonly IReadOnlyList<Chair> chairs = Chairs(3);

    [Fact]
    public void A_session_whose_preferred_start_finds_its_nurse_setting_up_goes_to_the_next_start_rather_than_being_refused()
    {
        var calendar = Calendar();
        var plan = Plan(calendar, Protocol(), MondayJanuary11);
        var settingUp = Booked(calendar, chairs[1], January13.At(Ten), LengthFor(plan.Protocol, calendar)) with { NurseId = Ann };

        // Ann's shifts begin at 10:00, so 09:45 has no nurse and 10:15, when her set-up of 10:00 is over, is next.
        var result = Place(calendar, plan, Shifts(Weeks, Ten, Twenty, Ann), settingUp);

        Assert.True(result.Succeeded);
        Assert.Equal(January13.At(new LocalTime(10, 15)), result.Sessions[1].Start.LocalDateTime);
        Assert.All(result.Sessions.RemoveAt(1), s => Assert.Equal(Ten, s.Start.TimeOfDay));
        Assert.All(result.Sessions, s => Assert.Equal((chairs[0].Id, Ann), (s.ChairId, s.NurseId)));
    }

    [Fact]
    public void Two_plans_preferring_ten_oclock_with_one_nurse_have_their_set_ups_staggered_by_the_set_up_time()
    {
        var calendar = Calendar();
        var halfHour = new NurseStaffing(true, setupMinutes: 30);
        var shifts = Shifts(Weeks, Eight, Twenty, Ann).ToList();
        var first = Place(calendar, Plan(calendar, Protocol(), MondayJanuary11, patient: OtherPatient), shifts, halfHour);

        var second = Place(calendar, Plan(calendar, Protocol(), MondayJanuary11), shifts, halfHour, first.Sessions);

        // 09:45 and 10:15 start while 10:00 is being set up; 09:30 and 10:30 are as near, and the earlier wins.
        Assert.All(first.Sessions, s => Assert.Equal((Ten, chairs[0].Id, Ann), (s.Start.TimeOfDay, s.ChairId, s.NurseId)));
        Assert.True(second.Succeeded);
        Assert.All(second.Sessions, s => Assert.Equal((new LocalTime(9, 30), chairs[1].Id, Ann), (s.Start.TimeOfDay, s.ChairId, s.NurseId)));
    }

    [Fact]
    public void A_plan_spreads_over_the_nurses_on_shift_passing_over_one_who_is_full()
    {
        var calendar = Calendar();
        var oneEach = new NurseStaffing(true, patientsPerNurse: 1);
        var plan = Plan(calendar, Protocol(), MondayJanuary11);
        var annIsBusy = Booked(calendar, chairs[1], January13.At(new LocalTime(9, 30)), LengthFor(plan.Protocol, calendar)) with { NurseId = Ann };

        var result = Place(calendar, plan, Shifts(Weeks, Eight, Twenty, Ann, Bea), oneEach, annIsBusy);

        Assert.True(result.Succeeded);
        Assert.Equal([Ann, Bea, Ann, Ann, Ann, Ann], result.Sessions.Select(s => s.NurseId!.Value));
        Assert.All(result.Sessions, s => Assert.Equal(Ten, s.Start.TimeOfDay));
    }

    [Fact]
    public void A_session_fails_for_want_of_a_nurse_only_when_no_start_in_its_window_has_one()
    {
        var calendar = Calendar();
        var plan = Plan(calendar, Protocol(), MondayJanuary11);

        // Session 2 may go on 13 or 14 January, and Ann works every day but those two.
        var away = Shifts(Weeks.Where(d => d != January13 && d != January13.PlusDays(1)), Eight, Twenty, Ann).ToList();
        var refused = Place(calendar, plan, away);
        var afternoon = Place(calendar, plan, away.Append(new NurseShift(Ann, January13.PlusDays(1), new LocalTime(16, 0), new LocalTime(18, 0))));

        var unplaced = Assert.Single(refused.Unplaced);
        Assert.Empty(refused.Sessions);
        Assert.Equal((2, Obstacle.NoNurseOnShift), (unplaced.Sequence, unplaced.Obstacle));
        Assert.Equal(
            "Induction session 2 could not be placed between 2027-01-13 and 2027-01-14: no nurse is on shift for the whole infusion and observation (nurse capacity).",
            unplaced.Reason);
        Assert.Equal(new Alternative(chairs[0].Id, new LocalDate(2027, 1, 15).At(Ten)), unplaced.Alternatives[0]);
        Assert.True(afternoon.Succeeded);
        Assert.Equal((January13.PlusDays(1).At(new LocalTime(16, 0)), Ann), (afternoon.Sessions[1].Start.LocalDateTime, afternoon.Sessions[1].NurseId));
    }

    [Fact]
    public void Free_starts_leave_out_the_starts_no_nurse_can_take()
    {
        var calendar = Calendar();
        var length = LengthFor(Protocol(), calendar);
        var occupancy = Staffed(calendar, On, Shifts([January13], Ten, new LocalTime(12, 0), Ann), [Booked(calendar, chairs[0], January13.At(Ten), length) with { NurseId = Ann }]);

        var free = new Placement(ClockAt()).FreeStarts(calendar, January13, chairs.Take(2).ToList(), occupancy, length);

        // 10:00 plus 70 minutes must end by 12:00: 10:15, 10:30 and 10:45 on chair B; chair A is held until 11:25.
        Assert.Equal(
            [new Alternative(chairs[1].Id, January13.At(new LocalTime(10, 15))), new Alternative(chairs[1].Id, January13.At(new LocalTime(10, 30))), new Alternative(chairs[1].Id, January13.At(new LocalTime(10, 45)))],
            free.AsEnumerable());
    }

    private PlacementResult Place(ClinicCalendar calendar, TreatmentPlan plan, IEnumerable<NurseShift> shifts, params IEnumerable<Session> booked) =>
        Place(calendar, plan, shifts, On, booked);

    private PlacementResult Place(ClinicCalendar calendar, TreatmentPlan plan, IEnumerable<NurseShift> shifts, NurseStaffing staffing, params IEnumerable<Session> booked) =>
        new Placement(ClockAt()).Place(calendar, plan, chairs, Staffed(calendar, staffing, shifts, booked), LengthFor(plan.Protocol, calendar), SessionIds());
}
