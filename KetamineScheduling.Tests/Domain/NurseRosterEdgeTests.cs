using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Nursing;
using KetamineScheduling.Domain.Sessions;
using NodaTime;
using static KetamineScheduling.Tests.Domain.Nurses;

namespace KetamineScheduling.Tests.Domain;

/// <summary>The edges of the nurse rule that the mutation run found untested: exact shift bounds, staggered patients, the obstacles' words.</summary>
public sealed class NurseRosterEdgeTests
{
    private static readonly ClinicCalendar Calendar = Clinic.Calendar();

    private static Booking At(int hour, int minute, int withPatientMinutes, int n, Guid? nurse = null)
    {
        var start = Calendar.AtClinicTime(Clinic.January13 + new LocalTime(hour, minute)).ToInstant();
        var leaves = start + Duration.FromMinutes(withPatientMinutes);
        return new Booking(Clinic.Id(8_000 + n), Clinic.Id(8_100 + n), Clinic.Id(8_200 + n), Clinic.January13, start, leaves, leaves + Duration.FromMinutes(15), nurse);
    }

    [Fact]
    public void A_kept_nurse_stays_for_a_session_that_fills_her_shift_exactly_and_not_a_minute_more()
    {
        var roster = new NurseRoster(On, Calendar, [new NurseShift(Ann, Clinic.January13, new LocalTime(9, 0), new LocalTime(10, 10))]);

        Assert.True(roster.Allows(Ann, At(9, 0, 70, 1), []));
        Assert.False(roster.Allows(Ann, At(9, 0, 71, 1), []));
        Assert.False(roster.Allows(Ann, At(8, 59, 70, 1), []));
    }

    [Fact]
    public void A_patient_who_left_before_the_session_starts_is_not_counted_at_the_moment_another_arrived()
    {
        // With two patients a nurse: one in the chair 09:00-10:10, one 09:05-09:50. At 10:00 only the first is still there.
        var roster = new NurseRoster(new NurseStaffing(true, patientsPerNurse: 2, setupMinutes: 0), Calendar, Shifts([Clinic.January13], Eight, Twenty, Ann));
        var theirs = new[] { At(9, 0, 70, 1, Ann), At(9, 5, 45, 2, Ann) };

        Assert.True(roster.Allows(Ann, At(10, 0, 70, 3), theirs));
        Assert.Equal(Ann, roster.Choose(At(10, 0, 70, 3), _ => theirs).Nurse);
        Assert.False(roster.Allows(Ann, At(9, 30, 70, 3), theirs));
    }

    [Fact]
    public void A_patient_who_leaves_as_another_arrives_is_not_counted_with_her()
    {
        // With two patients a nurse: one in the chair 09:00-10:10, the next from 10:10 to 11:20. A session from 09:30
        // to 10:40 overlaps both, but only one of them is in a chair at any moment of it.
        var roster = new NurseRoster(new NurseStaffing(true, patientsPerNurse: 2, setupMinutes: 0), Calendar, Shifts([Clinic.January13], Eight, Twenty, Ann));
        var theirs = new[] { At(9, 0, 70, 1, Ann), At(10, 10, 70, 2, Ann) };

        Assert.True(roster.Allows(Ann, At(9, 30, 70, 3), theirs));
    }

    [Fact]
    public void Nurse_obstacles_and_only_they_are_nurse_capacity_and_each_obstacle_is_described_in_its_own_words()
    {
        Obstacle[] nurses = [Obstacle.NoNurseOnShift, Obstacle.NurseSettingUp, Obstacle.NursesFull];

        Assert.All(Enum.GetValues<Obstacle>(), o => Assert.Equal(nurses.Contains(o), o.IsNurseCapacity()));
        Assert.All(nurses, o => Assert.EndsWith("(nurse capacity)", o.Describe(), StringComparison.Ordinal));
        Assert.Equal(Enum.GetValues<Obstacle>().Length, Enum.GetValues<Obstacle>().Select(o => o.Describe()).Distinct().Count());
        Assert.All(Enum.GetValues<Obstacle>(), o => Assert.NotEqual(o.ToString(), o.Describe()));
        Assert.All(Enum.GetValues<Obstacle>(), o => Assert.False(string.IsNullOrWhiteSpace(o.Describe())));
    }

    [Fact]
    public void The_roster_refuses_missing_arguments_as_arguments()
    {
        var roster = new NurseRoster(On, Calendar, []);

        Assert.Throws<ArgumentNullException>(() => new NurseRoster(null!, Calendar, []));
        Assert.Throws<ArgumentNullException>(() => new NurseRoster(On, Calendar, null!));
        Assert.Throws<ArgumentNullException>(() => new NurseRoster(On, null, Shifts([Clinic.January13], Eight, Twenty, Ann)));
        Assert.Throws<ArgumentNullException>(() => roster.Choose(null!, _ => []));
        Assert.Throws<ArgumentNullException>(() => roster.Choose(At(10, 0, 70, 1), null!));
        Assert.Throws<ArgumentNullException>(() => roster.Allows(Ann, null!, []));
        Assert.Throws<ArgumentNullException>(() => roster.Allows(Ann, At(10, 0, 70, 1), null!));
        Assert.Throws<ArgumentNullException>(() => roster.SetupEndsAt(null!));
        Assert.Throws<ArgumentNullException>(() => SessionRules.Admit(null!, ChairOccupancy.Empty, Clinic.Booked(Calendar, Clinic.Chairs(1)[0], Clinic.January13 + Clinic.Ten, new SessionLength(40, 30, 15)), Instant.MinValue));
        Assert.Throws<ArgumentNullException>(() => SessionRules.Admit(Calendar, null!, Clinic.Booked(Calendar, Clinic.Chairs(1)[0], Clinic.January13 + Clinic.Ten, new SessionLength(40, 30, 15)), Instant.MinValue));
        Assert.Throws<ArgumentNullException>(() => SessionRules.Admit(Calendar, ChairOccupancy.Empty, null!, Instant.MinValue));
    }
}
