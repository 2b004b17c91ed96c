using KetamineScheduling.Domain.Sessions;
using NodaTime;
using static KetamineScheduling.Tests.Domain.Clinic;

namespace KetamineScheduling.Tests.Domain;

public sealed class ChairOccupancyTests
{
    private readonly IReadOnlyList<Chair> chairs = Chairs(2);

    [Fact]
    public void The_next_session_may_start_as_soon_as_the_chair_is_clean()
    {
        var occupancy = Occupancy(At(new LocalTime(10, 0)));

        // 40 minutes' infusion, 30 of observation and 15 of cleaning: the chair is free at 11:25.
        Assert.True(occupancy.ChairIsFree(chairs[0].Id, At(new LocalTime(11, 25)).ToBooking()));
        Assert.False(occupancy.ChairIsFree(chairs[0].Id, At(new LocalTime(11, 20)).ToBooking()));
        Assert.False(occupancy.ChairIsFree(chairs[0].Id, At(new LocalTime(8, 40)).ToBooking()));
        Assert.True(occupancy.ChairIsFree(chairs[0].Id, At(new LocalTime(8, 35)).ToBooking()));
    }

    [Fact]
    public void A_patient_is_free_once_observation_ends_while_the_chair_is_still_being_cleaned()
    {
        var occupancy = Occupancy(At(new LocalTime(10, 0), patient: Patient));

        Assert.True(occupancy.PatientIsFree(At(new LocalTime(11, 10), chair: 1, patient: Patient).ToBooking()));
        Assert.False(occupancy.PatientIsFree(At(new LocalTime(11, 5), chair: 1, patient: Patient).ToBooking()));
        Assert.True(occupancy.PatientIsFree(At(new LocalTime(11, 5), chair: 1).ToBooking()));
    }

    [Fact]
    public void Another_chair_or_another_day_is_not_blocked()
    {
        var occupancy = Occupancy(At(new LocalTime(10, 0)));

        Assert.True(occupancy.ChairIsFree(chairs[1].Id, At(new LocalTime(10, 0), chair: 1).ToBooking()));
        Assert.True(occupancy.ChairIsFree(chairs[0].Id, At(new LocalTime(10, 0), date: January13.PlusDays(1)).ToBooking()));
    }

    [Fact]
    public void Starts_are_counted_across_chairs()
    {
        var occupancy = Occupancy(At(new LocalTime(10, 0)), At(new LocalTime(10, 0), chair: 1), At(new LocalTime(10, 15)));

        Assert.Equal(2, occupancy.StartsAt(At(new LocalTime(10, 0)).Start.ToInstant()));
        Assert.Equal(0, occupancy.StartsAt(At(new LocalTime(9, 45)).Start.ToInstant()));
    }

    [Fact]
    public void Added_bookings_are_seen_with_those_below_them_earliest_first()
    {
        var below = Occupancy(At(new LocalTime(14, 0)));

        var occupancy = below.With(At(new LocalTime(9, 0)).ToBooking()).With(At(new LocalTime(12, 0)).ToBooking());

        Assert.Equal([9, 12, 14], occupancy.OnChair(chairs[0].Id, January13).Select(b => b.Start.InUtc().Hour));
        Assert.Single(below.OnChair(chairs[0].Id, January13));
    }

    [Fact]
    public void A_session_being_moved_stops_blocking_its_old_time_and_is_seen_once_at_its_new_one()
    {
        var session = At(new LocalTime(10, 0));
        var moved = session with { Start = At(new LocalTime(15, 0)).Start };

        var occupancy = Occupancy(session).Without([session.Id]).With(moved.ToBooking());

        Assert.True(occupancy.ChairIsFree(chairs[0].Id, At(new LocalTime(10, 0)).ToBooking()));
        Assert.Equal(0, occupancy.StartsAt(session.Start.ToInstant()));
        Assert.Equal(1, occupancy.StartsAt(moved.Start.ToInstant()));
        Assert.Equal([moved.ToBooking()], occupancy.OnChair(chairs[0].Id, January13));
    }

    [Fact]
    public void Nothing_is_booked_in_an_empty_occupancy()
    {
        var booking = At(new LocalTime(10, 0)).ToBooking();

        Assert.True(ChairOccupancy.Empty.ChairIsFree(chairs[0].Id, booking));
        Assert.True(ChairOccupancy.Empty.PatientIsFree(booking));
        Assert.Empty(ChairOccupancy.Empty.OnChair(chairs[0].Id, January13));
    }

    [Fact]
    public void Sessions_hidden_one_after_the_other_are_all_hidden()
    {
        var morning = At(new LocalTime(10, 0));
        var afternoon = At(new LocalTime(14, 0));

        var occupancy = Occupancy(morning, afternoon).Without([morning.Id]).Without([afternoon.Id]);

        Assert.Empty(occupancy.OnChair(chairs[0].Id, January13));
        Assert.True(occupancy.ChairIsFree(chairs[0].Id, afternoon.ToBooking()));
    }

    [Fact]
    public void A_chair_or_a_patient_is_free_only_for_some_booking()
    {
        Assert.Throws<ArgumentNullException>(() => ChairOccupancy.Empty.ChairIsFree(chairs[0].Id, null!));
        Assert.Throws<ArgumentNullException>(() => ChairOccupancy.Empty.PatientIsFree(null!));
    }

    /// <summary>A default-length session in London on 13 January (or <paramref name="date"/>) in chair A (or the chair at <paramref name="chair"/>).</summary>
    private Session At(LocalTime time, int chair = 0, Guid? patient = null, LocalDate? date = null)
    {
        var calendar = Calendar();
        return Booked(calendar, chairs[chair], (date ?? January13).At(time), LengthFor(Protocol(), calendar), patient);
    }
}
