using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Nursing;
using KetamineScheduling.Domain.Sessions;
using NodaTime;
using static KetamineScheduling.Tests.Domain.Clinic;
using static KetamineScheduling.Tests.Domain.Nurses;

namespace KetamineScheduling.Tests.Domain;

public sealed class NurseRosterTests
{
    // A five-minute grid, so set-ups can be tried five minutes apart.
    private readonly ClinicCalendar calendar = Calendar(slotMinutes: 5);

    private readonly IReadOnlyList<Chair> chairs = Chairs(4);

    // 40 minutes' infusion and 30 of observation: the patient leaves 70 minutes after the start.
    private readonly SessionLength length = new(40, 30, 15);

    private int nextPatient = 9_100;

    [Fact]
    public void With_two_patients_a_nurse_and_one_nurse_a_third_overlapping_session_finds_no_nurse()
    {
        var twoEach = new NurseStaffing(true, patientsPerNurse: 2);
        Session[] booked = [At(10, 0, chair: 0, Ann), At(10, 30, chair: 1, Ann)];

        var (admitted, obstacle) = Admit(twoEach, At(10, 45, chair: 2), booked);

        Assert.Null(admitted);
        Assert.Equal(Obstacle.NursesFull, obstacle);
        Assert.True(obstacle!.Value.IsConflict());
        Assert.True(obstacle.Value.IsNurseCapacity());
        Assert.Equal(Obstacle.NursesFull, SessionRules.Check(calendar, Staffed(calendar, twoEach, AllDay(Ann), booked), At(10, 45, chair: 2), Now));
        Assert.Equal("every nurse on shift already watches as many patients as the clinic allows (nurse capacity)", obstacle.Value.Describe());
    }

    [Fact]
    public void Two_patients_who_never_overlap_each_other_leave_room_for_a_third_beside_both()
    {
        var twoEach = new NurseStaffing(true, patientsPerNurse: 2);

        // 09:00 to 10:10 and 11:00 to 12:10 each overlap 10:00 to 11:10, but never together: Ann watches two at most.
        var (admitted, _) = Admit(twoEach, At(10, 0, chair: 2), [At(9, 0, chair: 0, Ann), At(11, 0, chair: 1, Ann)]);

        Assert.Equal(Ann, admitted?.NurseId);
    }

    [Fact]
    public void Two_set_ups_inside_the_same_15_minutes_are_refused_but_one_starting_as_the_other_set_up_ends_is_allowed()
    {
        Session[] booked = [At(10, 0, chair: 0, Ann)];

        Assert.Equal(Obstacle.NurseSettingUp, Admit(On, At(10, 0, chair: 1), booked).Obstacle);
        Assert.Equal(Obstacle.NurseSettingUp, Admit(On, At(10, 10, chair: 1), booked).Obstacle);
        Assert.Equal(Obstacle.NurseSettingUp, Admit(On, At(9, 50, chair: 1), booked).Obstacle);
        Assert.Equal(Ann, Admit(On, At(10, 15, chair: 1), booked).Admitted?.NurseId);
        Assert.Equal(Ann, Admit(On, At(9, 45, chair: 1), booked).Admitted?.NurseId);
        Assert.Contains("setting up", Obstacle.NurseSettingUp.Describe());
    }

    [Fact]
    public void A_longer_set_up_keeps_the_next_set_up_away_for_longer()
    {
        var halfHour = new NurseStaffing(true, setupMinutes: 30);
        Session[] booked = [At(10, 0, chair: 0, Ann)];

        Assert.Equal(Obstacle.NurseSettingUp, Admit(halfHour, At(10, 25, chair: 1), booked).Obstacle);
        Assert.Equal(Ann, Admit(halfHour, At(10, 30, chair: 1), booked).Admitted?.NurseId);
    }

    [Fact]
    public void With_no_set_up_time_one_nurse_may_start_two_sessions_together()
    {
        var noSetup = new NurseStaffing(true, setupMinutes: 0);

        Assert.Equal(Ann, Admit(noSetup, At(10, 0, chair: 1), [At(10, 0, chair: 0, Ann)]).Admitted?.NurseId);
    }

    [Fact]
    public void A_second_nurse_sets_up_the_session_the_first_cannot()
    {
        var (admitted, _) = Admit(On, At(10, 5, chair: 1), [At(10, 0, chair: 0, Ann)], AllDay(Ann, Bea));

        Assert.Equal(Bea, admitted?.NurseId);
    }

    [Fact]
    public void A_session_running_past_the_end_of_the_nurse_shift_finds_no_nurse()
    {
        var morning = Shifts([January13], new LocalTime(9, 0), new LocalTime(12, 0), Ann);

        // The nurse need not stay for the cleaning: 10:50 leaves at 12:00 as the shift ends, and 10:55 at 12:05.
        Assert.Equal(Ann, Admit(On, At(10, 50, chair: 0), [], morning).Admitted?.NurseId);
        Assert.Equal(Obstacle.NoNurseOnShift, Admit(On, At(10, 55, chair: 0), [], morning).Obstacle);
        Assert.Equal(Ann, Admit(On, At(9, 0, chair: 0), [], morning).Admitted?.NurseId);
        Assert.Equal(Obstacle.NoNurseOnShift, Admit(On, At(8, 55, chair: 0), [], morning).Obstacle);
        Assert.Contains("no nurse is on shift", Obstacle.NoNurseOnShift.Describe());
    }

    [Fact]
    public void A_shift_on_another_date_does_not_cover_a_session()
    {
        var (admitted, obstacle) = Admit(On, At(10, 0, chair: 0), [], Shifts([January13.PlusDays(1)], Eight, Twenty, Ann));

        Assert.Equal((null, Obstacle.NoNurseOnShift), (admitted, obstacle));
    }

    [Fact]
    public void A_session_covered_by_neither_of_a_nurses_two_shifts_alone_finds_no_nurse_but_one_inside_the_second_does()
    {
        var split = new[] { new NurseShift(Ann, January13, Eight, new LocalTime(10, 30)), new NurseShift(Ann, January13, new LocalTime(12, 0), Twenty) };

        Assert.Equal(Obstacle.NoNurseOnShift, Admit(On, At(10, 0, chair: 0), [], split).Obstacle);
        Assert.Equal(Ann, Admit(On, At(12, 0, chair: 0), [], split).Admitted?.NurseId);
    }

    [Fact]
    public void A_morning_and_an_afternoon_shift_that_meet_cover_a_session_across_the_change()
    {
        var meeting = new[] { new NurseShift(Ann, January13, Eight, new LocalTime(10, 30)), new NurseShift(Ann, January13, new LocalTime(10, 30), Twenty) };

        Assert.Equal(Ann, Admit(On, At(10, 0, chair: 0), [], meeting).Admitted?.NurseId);
    }

    [Fact]
    public void The_nurse_watching_fewer_patients_is_chosen_and_the_first_listed_on_a_tie()
    {
        // At 10:00 Ann still watches 09:00 and 09:30, Bea only 09:15.
        Session[] booked = [At(9, 0, chair: 0, Ann), At(9, 30, chair: 1, Ann), At(9, 15, chair: 2, Bea)];

        Assert.Equal(Bea, Admit(On, At(10, 0, chair: 3), booked, AllDay(Ann, Bea)).Admitted?.NurseId);
        Assert.Equal(Ann, Admit(On, At(10, 0, chair: 3), [], AllDay(Ann, Bea)).Admitted?.NurseId);
        Assert.Equal(Bea, Admit(On, At(10, 0, chair: 3), [], AllDay(Bea, Ann)).Admitted?.NurseId);
    }

    [Fact]
    public void A_nurse_is_compared_at_the_busiest_moment_of_the_session_not_at_its_start()
    {
        // Ann is free at 10:00 but will watch 10:20 and 10:40; Bea watches 09:20 until 10:30 and then nobody.
        Session[] booked = [At(10, 20, chair: 0, Ann), At(10, 40, chair: 1, Ann), At(9, 20, chair: 2, Bea)];

        Assert.Equal(Bea, Admit(On, At(10, 0, chair: 3), booked, AllDay(Ann, Bea)).Admitted?.NurseId);
    }

    [Fact]
    public void A_session_starting_as_the_patient_before_leaves_does_not_overlap_them()
    {
        var oneEach = new NurseStaffing(true, patientsPerNurse: 1);
        Session[] booked = [At(10, 0, chair: 0, Ann)];

        Assert.Equal(Ann, Admit(oneEach, At(11, 10, chair: 1), booked).Admitted?.NurseId);
        Assert.Equal(Obstacle.NursesFull, Admit(oneEach, At(11, 5, chair: 1), booked).Obstacle);
        Assert.Equal(Ann, Admit(oneEach, At(8, 50, chair: 1), booked).Admitted?.NurseId);
        Assert.Equal(Obstacle.NursesFull, Admit(oneEach, At(8, 55, chair: 1), booked).Obstacle);
    }

    [Fact]
    public void When_one_nurse_is_full_and_the_other_setting_up_the_clinic_hears_that_its_nurses_are_full()
    {
        var twoEach = new NurseStaffing(true, patientsPerNurse: 2);
        Session[] fullAndSettingUp = [At(9, 30, chair: 0, Ann), At(9, 45, chair: 1, Ann), At(10, 0, chair: 2, Bea)];
        Session[] bothSettingUp = [At(9, 55, chair: 0, Ann), At(10, 0, chair: 1, Bea)];

        Assert.Equal(Obstacle.NursesFull, Admit(twoEach, At(10, 5, chair: 3), fullAndSettingUp, AllDay(Ann, Bea)).Obstacle);
        Assert.Equal(Obstacle.NurseSettingUp, Admit(twoEach, At(10, 5, chair: 3), bothSettingUp, AllDay(Ann, Bea)).Obstacle);
    }

    [Fact]
    public void With_staffing_off_a_session_is_admitted_without_a_nurse_though_no_nurse_could_take_it()
    {
        var off = new NurseStaffing(false, patientsPerNurse: 1, setupMinutes: 60);
        var candidate = At(10, 0, chair: 1, Ann);

        var (admitted, obstacle) = Admit(off, candidate, [At(10, 0, chair: 0, Ann)], shifts: []);

        Assert.Null(obstacle);
        Assert.Equal(candidate with { NurseId = null }, admitted);
        Assert.Equal(((Guid?)null, (Obstacle?)null), new NurseRoster(off, calendar, AllDay(Ann)).Choose(candidate.ToBooking(), _ => []));
        Assert.Same(NurseRoster.Off, ChairOccupancy.Empty.Roster);
        Assert.Null(SessionRules.Admit(calendar, Occupancy(), candidate, Now).Admitted!.NurseId);
    }

    [Fact]
    public void A_nurse_the_session_already_has_is_kept_while_the_rule_still_allows_her()
    {
        Session[] booked = [At(9, 0, chair: 0, Ann)];

        // Bea watches nobody, but the session stays with Ann; at 09:05 Ann is setting up 09:00, so Bea takes it.
        Assert.Equal(Ann, Admit(On, At(9, 30, chair: 1, Ann), booked, AllDay(Ann, Bea)).Admitted?.NurseId);
        Assert.Equal(Bea, Admit(On, At(9, 5, chair: 1, Ann), booked, AllDay(Ann, Bea)).Admitted?.NurseId);
        Assert.Equal(Bea, Admit(On, At(9, 30, chair: 1, Id(7_999)), booked, AllDay(Ann, Bea)).Admitted?.NurseId);
    }

    [Fact]
    public void A_session_checked_again_does_not_count_against_its_own_nurse()
    {
        var roster = new NurseRoster(new NurseStaffing(true, patientsPerNurse: 1), calendar, AllDay(Ann));
        var session = At(10, 0, chair: 0, Ann).ToBooking();

        Assert.Equal(((Guid?)Ann, (Obstacle?)null), roster.Choose(session, _ => [session]));
        Assert.True(roster.Allows(Ann, session, [session]));
        Assert.False(roster.Allows(Ann, session, [session with { SessionId = Guid.NewGuid() }]));
    }

    [Fact]
    public void A_moved_session_keeps_its_nurse_where_she_can_still_take_it_and_gets_another_where_she_cannot()
    {
        var booked = At(10, 0, chair: 0, Ann);
        var moving = At(14, 0, chair: 1, Ann);
        var occupancy = Staffed(calendar, On, AllDay(Ann, Bea), [booked, moving]);
        var rescheduling = new Rescheduling(ClockAt());

        var later = rescheduling.Move(calendar, null, moving, January13.At(new LocalTime(15, 0)), null, false, [], occupancy);
        var setUpTogether = rescheduling.Move(calendar, null, moving, January13.At(new LocalTime(10, 5)), null, false, [], occupancy);
        var unstaffed = rescheduling.Move(calendar, null, moving, January13.At(new LocalTime(10, 5)), null, false, [], Staffed(calendar, On, AllDay(Ann), [booked, moving]));

        Assert.Equal(Ann, Assert.Single(later.Moved).NurseId);
        Assert.Equal(Bea, Assert.Single(setUpTogether.Moved).NurseId);
        Assert.Empty(unstaffed.Moved);
        Assert.Equal(Obstacle.NurseSettingUp, unstaffed.Refused!.Value.Obstacle);
        Assert.EndsWith("(nurse capacity).", unstaffed.Refused.Value.Reason);
    }

    [Fact]
    public void A_shift_that_ends_in_the_hour_the_clocks_skip_ends_when_they_skip()
    {
        // New York springs forward from 02:00 to 03:00 on 14 March 2027: a shift "until 02:30" is over at 03:00,
        // as a closing time in the skipped hour is. 01:20 leaves at 03:00; 01:25 would leave at 03:05.
        var night = Calendar(zone: "America/New_York", slotMinutes: 5, hours: OpeningHours.On(EveryDay, LocalTime.Midnight, new LocalTime(6, 0)));
        var date = new LocalDate(2027, 3, 14);
        var shift = Shifts([date], LocalTime.Midnight, new LocalTime(2, 30), Ann);
        var fortyMinutes = new SessionLength(40, 0, 0);

        Session Candidate(int minute) => new(Guid.NewGuid(), Patient, chairs[0].Id, night.AtClinicTime(date.At(new LocalTime(1, minute))), fortyMinutes);

        Assert.Equal(Ann, SessionRules.Admit(night, Staffed(night, On, shift, []), Candidate(20), Now).Admitted?.NurseId);
        Assert.Equal(Obstacle.NoNurseOnShift, SessionRules.Check(night, Staffed(night, On, shift, []), Candidate(25), Now));
    }

    [Fact]
    public void A_short_shift_starting_in_the_hour_the_clocks_skip_is_a_roster_not_an_error()
    {
        // 02:50 does not happen on 14 March 2027 in New York; the shift runs from 03:00, when the clocks skip, to 03:05.
        var night = Calendar(zone: "America/New_York", hours: OpeningHours.On(EveryDay, LocalTime.Midnight, new LocalTime(6, 0)));
        var shift = new NurseShift(Ann, new LocalDate(2027, 3, 14), new LocalTime(2, 50), new LocalTime(3, 5));

        var roster = new NurseRoster(On, night, [shift]);

        Assert.True(shift.IsValid);
        Assert.Equal([Ann], roster.OnShift(shift.Date).AsEnumerable());
    }

    [Theory]
    [InlineData(true, 0, 15)]
    [InlineData(true, 9, 15)]
    [InlineData(false, 0, 15)]
    [InlineData(true, 4, -1)]
    [InlineData(true, 4, 61)]
    [InlineData(false, 4, 61)]
    public void Staffing_outside_one_to_eight_patients_a_nurse_or_zero_to_sixty_minutes_of_set_up_is_refused(bool enabled, int patients, int setupMinutes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new NurseStaffing(enabled, patients, setupMinutes));

    [Fact]
    public void Staffing_from_one_to_eight_patients_and_zero_to_sixty_minutes_is_allowed_and_defaults_to_four_and_fifteen()
    {
        Assert.Equal((true, 1, 0), Settings(new NurseStaffing(true, 1, 0)));
        Assert.Equal((true, 8, 60), Settings(new NurseStaffing(true, 8, 60)));
        Assert.Equal((true, 4, 15), Settings(new NurseStaffing(true)));
        Assert.Equal((false, 4, 15), Settings(NurseStaffing.Off));

        static (bool, int, int) Settings(NurseStaffing s) => (s.Enabled, s.PatientsPerNurse, s.SetupMinutes);
    }

    private static Instant Now => ClockAt().GetCurrentInstant();

    private static IEnumerable<NurseShift> AllDay(params Guid[] nurses) => Shifts([January13], Eight, Twenty, nurses);

    /// <summary>A session on 13 January at <paramref name="hour"/>:<paramref name="minute"/>, each for a patient of its own.</summary>
    private Session At(int hour, int minute, int chair, Guid? nurse = null) =>
        Booked(calendar, chairs[chair], January13.At(new LocalTime(hour, minute)), length, patient: Id(nextPatient++)) with { NurseId = nurse };

    /// <summary>Admits <paramref name="candidate"/> beside <paramref name="booked"/>, with Ann on shift all day unless other shifts are given.</summary>
    private (Session? Admitted, Obstacle? Obstacle) Admit(NurseStaffing staffing, Session candidate, IEnumerable<Session> booked, IEnumerable<NurseShift>? shifts = null) =>
        SessionRules.Admit(calendar, Staffed(calendar, staffing, shifts ?? AllDay(Ann), booked), candidate, Now);
}
