using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;
using NodaTime.Testing;
using static KetamineScheduling.Tests.Domain.Clinic;

namespace KetamineScheduling.Tests.Domain;

public sealed class PlacementTests
{
    private readonly IReadOnlyList<Chair> chairs = Chairs(3);

    [Fact]
    public void The_dates_placement_consults_run_from_the_first_session_to_past_the_last_window_by_the_horizon_and_the_drift_allowance()
    {
        var plan = Plan(Calendar(), Protocol(maintenance: MaintenanceCycle.Every(2, 28)), MondayJanuary11);

        var consulted = Placement.DatesConsulted(plan);

        Assert.Equal(plan.Sessions[0].Date, consulted.Start);
        Assert.Equal(plan.Sessions[^1].Window.End.PlusDays(Placement.AlternativeHorizonDays + Placement.DriftAllowanceDays), consulted.End);
        Assert.Equal(74, Placement.AlternativeHorizonDays + Placement.DriftAllowanceDays);
    }

    [Fact]
    public void A_free_clinic_seats_every_session_at_the_preferred_time_in_one_chair()
    {
        var calendar = Calendar();
        var plan = Plan(calendar, Protocol(maintenance: MaintenanceCycle.Every(2, 28)), MondayJanuary11);

        var result = Place(calendar, plan, chairs);

        Assert.True(result.Succeeded);
        Assert.Equal(plan.Sessions.Dates(), result.Sessions.Dates());
        Assert.All(result.Sessions, s => Assert.Equal((Ten, chairs[0].Id, Patient, plan.Id), (s.Start.TimeOfDay, s.ChairId, s.PatientId, s.PlanId!.Value)));
        Assert.Equal(Enumerable.Range(1, 8).Select(n => Id(999 + n)), result.Sessions.Select(s => s.Id));
        Assert.Equal(Enumerable.Range(1, 8), result.Sessions.Select(s => s.Sequence!.Value));
        Assert.Equal(Phase.Maintenance, result.Sessions[7].Phase);
    }

    [Fact]
    public void The_rest_of_a_plan_is_placed_from_the_date_the_session_before_it_was_held()
    {
        var calendar = Calendar();
        var plan = Plan(calendar, Protocol(maintenance: MaintenanceCycle.Every(2, 28)), MondayJanuary11);

        // Induction ended on Monday 25 January rather than as planned, so maintenance follows from there.
        var result = new Placement(ClockAt()).PlaceRest(
            calendar, plan, 7, new LocalDate(2027, 1, 25), chairs, ChairOccupancy.Empty, LengthFor(plan.Protocol, calendar), SessionIds());

        Assert.True(result.Succeeded);
        Assert.Equal([new LocalDate(2027, 2, 22), new LocalDate(2027, 3, 22)], result.Sessions.Dates());
        Assert.Equal([7, 8], result.Sessions.Select(s => s.Sequence!.Value));
    }

    [Fact]
    public void A_full_chair_pushes_the_session_to_another_chair_which_the_series_then_keeps()
    {
        var calendar = Calendar();
        var taken = Booked(calendar, chairs[0], January13.At(Ten), LengthFor(Protocol(), calendar));
        var plan = Plan(calendar, Protocol(), MondayJanuary11);

        var result = Place(calendar, plan, chairs, Occupancy(taken));

        Assert.Equal(
            [chairs[0].Id, chairs[1].Id, chairs[1].Id, chairs[1].Id, chairs[1].Id, chairs[1].Id],
            result.Sessions.Select(s => s.ChairId));
        Assert.All(result.Sessions, s => Assert.Equal(Ten, s.Start.TimeOfDay));
    }

    [Fact]
    public void A_taken_preferred_time_moves_the_session_to_the_nearest_free_start_that_day()
    {
        var calendar = Calendar();
        var taken = Booked(calendar, chairs[0], January13.At(new LocalTime(9, 0)), LengthFor(Protocol(), calendar));
        var plan = Plan(calendar, Protocol(), MondayJanuary11);

        var result = Place(calendar, plan, chairs.Take(1).ToList(), Occupancy(taken));

        // The chair is held from 09:00 to 10:25; nothing fits before 09:00, so the nearest start is 10:30.
        Assert.Equal(January13.At(new LocalTime(10, 30)), result.Sessions[1].Start.LocalDateTime);
    }

    [Fact]
    public void Two_free_starts_as_near_as_each_other_give_the_earlier()
    {
        var calendar = Calendar();
        var taken = Booked(calendar, chairs[0], January13.At(Ten), LengthFor(Protocol(), calendar));
        var plan = Plan(calendar, Protocol(), MondayJanuary11);

        var result = Place(calendar, plan, chairs.Take(1).ToList(), Occupancy(taken));

        // The chair is held from 10:00 to 11:25: 08:30 (ending at 09:55) and 11:30 are both 90 minutes away.
        Assert.Equal(January13.At(new LocalTime(8, 30)), result.Sessions[1].Start.LocalDateTime);
    }

    [Fact]
    public void Staggered_starts_keep_to_one_infusion_start_per_slot()
    {
        var calendar = Calendar(maxStartsPerSlot: 1);
        var first = Place(calendar, Plan(calendar, Protocol(), MondayJanuary11, patient: OtherPatient), chairs);
        var plan = Plan(calendar, Protocol(), MondayJanuary11);

        var result = Place(calendar, plan, chairs, Occupancy(first.Sessions));

        Assert.All(first.Sessions, s => Assert.Equal((Ten, chairs[0].Id), (s.Start.TimeOfDay, s.ChairId)));
        Assert.All(result.Sessions, s => Assert.Equal((new LocalTime(9, 45), chairs[1].Id), (s.Start.TimeOfDay, s.ChairId)));
    }

    [Fact]
    public void A_patient_with_another_session_that_day_is_seated_around_it()
    {
        var calendar = Calendar();
        var ownVisit = Booked(calendar, chairs[2], January13.At(Ten), LengthFor(Protocol(), calendar), patient: Patient);
        var plan = Plan(calendar, Protocol(), MondayJanuary11);

        var result = Place(calendar, plan, chairs, Occupancy(ownVisit));

        // The patient is busy from 10:00 to 11:10; 08:45 ends at 09:55 and 11:15 starts after, both 75 minutes away.
        Assert.Equal((January13.At(new LocalTime(8, 45)), chairs[0].Id), (result.Sessions[1].Start.LocalDateTime, result.Sessions[1].ChairId));
    }

    [Fact]
    public void A_full_day_moves_the_session_to_the_next_day_and_the_following_dates_follow_it()
    {
        var calendar = Calendar();
        var plan = Plan(calendar, Protocol(), MondayJanuary11);

        var result = Place(calendar, plan, chairs.Take(1).ToList(), Occupancy(FullDay(calendar, chairs[0], January13)));

        Assert.Equal(Days(2027, 1, 11, 13, 15, 18, 20, 22), plan.Sessions.Dates());
        Assert.Equal(Days(2027, 1, 11, 14, 16, 18, 20, 22), result.Sessions.Dates());
    }

    [Fact]
    public void A_session_with_no_free_chair_in_its_window_fails_the_whole_plan_naming_it_with_alternatives()
    {
        var calendar = Calendar();
        var plan = Plan(calendar, Protocol(), MondayJanuary11);
        var full = FullDay(calendar, chairs[0], January13).Concat(FullDay(calendar, chairs[0], January13.PlusDays(1)));

        var result = Place(calendar, plan, chairs.Take(1).ToList(), Occupancy(full));

        Assert.False(result.Succeeded);
        Assert.Empty(result.Sessions);
        var unplaced = Assert.Single(result.Unplaced);
        Assert.Equal((2, Phase.Induction, new DateInterval(January13, January13.PlusDays(1)), Obstacle.ChairTaken), (unplaced.Sequence, unplaced.Phase, unplaced.Window, unplaced.Obstacle));
        Assert.Equal("Induction session 2 could not be placed between 2027-01-13 and 2027-01-14: the chair is taken.", unplaced.Reason);
        Assert.Equal(
            [new Alternative(chairs[0].Id, new LocalDate(2027, 1, 15).At(Ten)), new Alternative(chairs[0].Id, new LocalDate(2027, 1, 16).At(Ten)), new Alternative(chairs[0].Id, new LocalDate(2027, 1, 18).At(Ten))],
            unplaced.Alternatives.AsEnumerable());
    }

    [Fact]
    public void In_a_clinic_with_no_chairs_every_session_is_unplaced_because_there_are_no_chairs_not_because_of_opening_hours()
    {
        var calendar = Calendar();
        var plan = Plan(calendar, Protocol(), MondayJanuary11);

        var result = Place(calendar, plan, []);

        Assert.Equal(plan.Sessions.Length, result.Unplaced.Length);
        Assert.All(result.Unplaced, u => Assert.Equal(Obstacle.NoChairs, u.Obstacle));
        Assert.EndsWith("the clinic has no chairs.", result.Unplaced[0].Reason);
    }

    [Fact]
    public void Every_session_that_cannot_be_placed_is_listed()
    {
        var calendar = Calendar();
        var plan = Plan(calendar, Protocol(), MondayJanuary11);
        var full = Days(2027, 1, 13, 14, 18).SelectMany(d => FullDay(calendar, chairs[0], d));

        var result = Place(calendar, plan, chairs.Take(1).ToList(), Occupancy(full));

        // Session 3 is placed on the 15th; session 4 may then only be on Monday the 18th, three days on.
        Assert.Equal([2, 4], result.Unplaced.Select(u => u.Sequence));
        Assert.Equal("Induction session 4 could not be placed between 2027-01-18 and 2027-01-18: the chair is taken.", result.Unplaced[1].Reason);
        Assert.Empty(result.Sessions);
    }

    [Fact]
    public void A_late_session_that_pushes_the_next_past_a_closure_breaks_the_induction()
    {
        var calendar = Calendar(closed: [new LocalDate(2027, 1, 16)]);
        var plan = Plan(calendar, Protocol(), MondayJanuary11);

        var result = Place(calendar, plan, chairs.Take(1).ToList(), Occupancy(FullDay(calendar, chairs[0], January13)));

        var unplaced = Assert.Single(result.Unplaced);
        Assert.Equal((3, Obstacle.InductionBroken), (unplaced.Sequence, unplaced.Obstacle));
        Assert.Equal(
            "Induction session 3 was due on 2027-01-16, but the clinic is closed until 2027-01-18: " +
            "4 days after session 2 on 2027-01-14, more than the largest interval of 3 days.",
            unplaced.Reason);
    }

    [Fact]
    public void Sessions_the_clock_has_passed_are_not_placed()
    {
        var calendar = Calendar();
        var plan = Plan(calendar, Protocol(), MondayJanuary11);

        var result = new Placement(ClockAt(January13)).Place(calendar, plan, chairs, ChairOccupancy.Empty, LengthFor(plan.Protocol, calendar), SessionIds());

        var unplaced = Assert.Single(result.Unplaced);
        Assert.Equal((1, Obstacle.InThePast), (unplaced.Sequence, unplaced.Obstacle));
        Assert.Equal("Induction session 1 could not be placed between 2027-01-11 and 2027-01-12: the start has already passed.", unplaced.Reason);
    }

    [Fact]
    public void Free_starts_leave_out_the_times_a_chair_is_held()
    {
        var calendar = Calendar(slotMinutes: 60);
        var length = LengthFor(Protocol(), calendar);
        var taken = Booked(calendar, chairs[0], January13.At(Ten), length);

        var free = new Placement(ClockAt()).FreeStarts(calendar, January13, chairs.Take(2).ToList(), Occupancy(taken), length);

        Assert.Equal([8, 12, 13, 14, 15, 16, 17, 18], free.Where(a => a.ChairId == chairs[0].Id).Select(a => a.Start.Hour));
        Assert.Equal(Enumerable.Range(8, 11), free.Where(a => a.ChairId == chairs[1].Id).Select(a => a.Start.Hour));
    }

    [Fact]
    public void A_maintenance_session_due_in_a_closure_longer_than_its_slack_goes_on_the_day_the_clinic_opens_again()
    {
        // Due on Monday 22 February, 28 days after induction ended; the clinic is closed from then to Monday 1 March,
        // one day past the seven days' slack. It opens again on Tuesday 2 March.
        var plan = Plan(Calendar(), Protocol(maintenance: MaintenanceCycle.Every(2, 28)), MondayJanuary11);
        var calendar = Calendar(closed: Enumerable.Range(0, 8).Select(new LocalDate(2027, 2, 22).PlusDays));

        var result = PlaceMaintenance(calendar, plan, chairs, ChairOccupancy.Empty);

        Assert.True(result.Succeeded);
        Assert.Equal([new LocalDate(2027, 3, 2), new LocalDate(2027, 3, 30)], result.Sessions.Dates());
    }

    [Fact]
    public void A_full_day_is_named_as_what_stood_in_the_way_rather_than_the_closed_day_beside_it()
    {
        var calendar = Calendar();
        var plan = Plan(calendar, Protocol(), MondayJanuary11);
        var full = Days(2027, 1, 13, 16).SelectMany(d => FullDay(calendar, chairs[0], d));

        var result = Place(calendar, plan, chairs.Take(1).ToList(), Occupancy(full));

        // Session 2 goes on the 14th; session 3 may then be on Saturday the 16th, every start of which is taken, or on
        // Sunday the 17th, when the clinic is closed.
        var unplaced = Assert.Single(result.Unplaced);
        Assert.Equal((3, new DateInterval(new LocalDate(2027, 1, 16), new LocalDate(2027, 1, 17)), Obstacle.ChairTaken), (unplaced.Sequence, unplaced.Window, unplaced.Obstacle));
    }

    [Fact]
    public void Closed_days_that_outnumber_the_taken_starts_are_named_as_what_stood_in_the_way()
    {
        // Open 10:00 to 11:25, room for one session a day. Maintenance session 7 is due on Monday 22 February and may
        // slip to Monday 1 March: both Mondays are taken, and the six days between are closed.
        var plan = Plan(Calendar(), Protocol(maintenance: MaintenanceCycle.Every(2, 28)), MondayJanuary11);
        var calendar = Calendar(
            closed: Enumerable.Range(1, 5).Select(new LocalDate(2027, 2, 22).PlusDays),
            hours: OpeningHours.On(MondayToSaturday, Ten, new LocalTime(11, 25)));
        var length = LengthFor(plan.Protocol, calendar);
        var taken = Occupancy(Booked(calendar, chairs[0], new LocalDate(2027, 2, 22).At(Ten), length), Booked(calendar, chairs[0], new LocalDate(2027, 3, 1).At(Ten), length));

        var result = PlaceMaintenance(calendar, plan, chairs.Take(1).ToList(), taken);

        var unplaced = Assert.Single(result.Unplaced);
        Assert.Equal((7, Obstacle.ClinicClosed), (unplaced.Sequence, unplaced.Obstacle));
        Assert.Equal("Maintenance session 7 could not be placed between 2027-02-22 and 2027-03-01: the clinic is closed that day.", unplaced.Reason);
    }

    [Fact]
    public void A_start_that_has_passed_counts_once_however_many_chairs_there_are()
    {
        // At 14:00 on Monday 11 January the morning's 24 starts have passed, and both chairs are taken for the
        // afternoon's 19: 38 taken chairs stood in the way more often than 24 passed starts.
        var calendar = Calendar(closed: [new LocalDate(2027, 1, 12)]);
        var plan = Plan(calendar, Protocol(), MondayJanuary11);
        var twoChairs = chairs.Take(2).ToList();
        var full = twoChairs.SelectMany(c => FullDay(calendar, c, MondayJanuary11));
        var placement = new Placement(new FakeClock(Instant.FromUtc(2027, 1, 11, 14, 0)));

        var result = placement.Place(calendar, plan, twoChairs, Occupancy(full), LengthFor(plan.Protocol, calendar), SessionIds());

        var unplaced = Assert.Single(result.Unplaced);
        Assert.Equal((1, Obstacle.ChairTaken), (unplaced.Sequence, unplaced.Obstacle));
    }

    [Fact]
    public void Placement_needs_a_clock_a_calendar_a_plan_chairs_and_session_ids()
    {
        var calendar = Calendar();
        var plan = Plan(calendar, Protocol(), MondayJanuary11);
        var length = LengthFor(plan.Protocol, calendar);
        var placement = new Placement(ClockAt());

        Assert.Throws<ArgumentNullException>(() => new Placement(null!));
        Assert.Throws<ArgumentNullException>(() => Placement.DatesConsulted(null!));
        Assert.Throws<ArgumentNullException>(() => placement.Place(null!, plan, chairs, ChairOccupancy.Empty, length, SessionIds()));
        Assert.Throws<ArgumentNullException>(() => placement.Place(calendar, null!, chairs, ChairOccupancy.Empty, length, SessionIds()));
        Assert.Throws<ArgumentNullException>(() => placement.Place(calendar, plan, null!, ChairOccupancy.Empty, length, SessionIds()));
        Assert.Throws<ArgumentNullException>(() => placement.Place(calendar, plan, chairs, ChairOccupancy.Empty, length, null!));
        Assert.Throws<ArgumentNullException>(() => placement.PlaceRest(calendar, null!, 7, MondayJanuary11, chairs, ChairOccupancy.Empty, length, SessionIds()));
        Assert.Throws<ArgumentNullException>(() => placement.FreeStarts(null!, January13, chairs, ChairOccupancy.Empty, length));
        Assert.Throws<ArgumentNullException>(() => placement.FreeStarts(calendar, January13, null!, ChairOccupancy.Empty, length));
        Assert.Throws<ArgumentNullException>(() => placement.FreeStarts(calendar, January13, chairs, ChairOccupancy.Empty, null!));
    }

    [Theory]
    [InlineData(6)]
    [InlineData(9)]
    public void The_rest_of_a_plan_is_its_maintenance_and_no_more(int fromSequence)
    {
        // Six induction sessions and two of maintenance: the rest starts at session 7 or 8.
        var calendar = Calendar();
        var plan = Plan(calendar, Protocol(maintenance: MaintenanceCycle.Every(2, 28)), MondayJanuary11);
        var placement = new Placement(ClockAt());

        Assert.Throws<ArgumentOutOfRangeException>(() => placement.PlaceRest(calendar, plan, fromSequence, MondayJanuary11, chairs, ChairOccupancy.Empty, LengthFor(plan.Protocol, calendar), SessionIds()));
    }

    /// <summary>Places the maintenance of <paramref name="plan"/> after an induction that ended on Monday 25 January.</summary>
    private static PlacementResult PlaceMaintenance(ClinicCalendar calendar, TreatmentPlan plan, IReadOnlyList<Chair> chairs, ChairOccupancy occupancy) =>
        new Placement(ClockAt()).PlaceRest(calendar, plan, 7, new LocalDate(2027, 1, 25), chairs, occupancy, LengthFor(plan.Protocol, calendar), SessionIds());
}
