using KetamineScheduling.Domain.Plans;

namespace KetamineScheduling.Tests.Domain;

public sealed class ProtocolTests
{
    [Fact]
    public void The_default_protocol_is_six_infusions_of_forty_minutes_every_two_days_then_every_28_days()
    {
        var protocol = Protocol.Default;

        Assert.Equal((40, 30), (protocol.InfusionMinutes, protocol.ObservationMinutes));
        Assert.Equal(new InductionCycle(6, 2, 3, 21), protocol.Induction);
        Assert.Equal([28, 28, 28, 28, 28, 28], protocol.Maintenance.IntervalDays.AsEnumerable());
        Assert.Equal(12, protocol.TotalSessions);
    }

    [Theory]
    [InlineData(39, 30)]
    [InlineData(61, 30)]
    [InlineData(40, -1)]
    [InlineData(40, 241)]
    public void Infusion_and_observation_minutes_are_capped(int infusion, int observation) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Protocol(infusion, observation, InductionCycle.Default, MaintenanceCycle.None));

    [Theory]
    [InlineData(0, 2, 3, 21)]
    [InlineData(31, 2, 3, 90)]
    [InlineData(6, 0, 3, 21)]
    [InlineData(6, 61, 61, 400)]
    [InlineData(6, 3, 2, 21)]
    [InlineData(6, 2, 61, 21)]
    [InlineData(6, 4, 4, 19)]
    [InlineData(6, 2, 3, 1801)]
    public void An_induction_outside_its_caps_is_refused(int sessions, int intervalDays, int maxIntervalDays, int maxSpanDays) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InductionCycle(sessions, intervalDays, maxIntervalDays, maxSpanDays));

    [Theory]
    [InlineData(27, 28)]
    [InlineData(1, 0)]
    [InlineData(1, 181)]
    [InlineData(-1, 28)]
    public void A_maintenance_cycle_outside_its_caps_is_refused(int sessions, int intervalDays) =>
        Assert.ThrowsAny<ArgumentException>(() => MaintenanceCycle.Every(sessions, intervalDays));

    [Fact]
    public void A_taper_of_more_than_26_maintenance_sessions_is_refused()
    {
        Assert.Equal(MaintenanceCycle.MaxSessions, new MaintenanceCycle(Enumerable.Repeat(14, 26)).Sessions);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaintenanceCycle(Enumerable.Repeat(14, 27)));
    }

    [Fact]
    public void A_protocol_needs_its_induction_and_maintenance_cycles()
    {
        Assert.Throws<ArgumentNullException>(() => new Protocol(40, 30, null!, MaintenanceCycle.None));
        Assert.Throws<ArgumentNullException>(() => new Protocol(40, 30, InductionCycle.Default, null!));
    }

    [Fact]
    public void Maintenance_cycles_with_the_same_intervals_are_equal()
    {
        Assert.Equal(MaintenanceCycle.Every(2, 28), new MaintenanceCycle([28, 28]));
        Assert.Equal(MaintenanceCycle.Every(2, 28).GetHashCode(), new MaintenanceCycle([28, 28]).GetHashCode());
        Assert.NotEqual(MaintenanceCycle.Every(2, 28), new MaintenanceCycle([14, 28]));
    }

    [Fact]
    public void A_default_span_leaves_room_for_every_gap_at_its_largest()
    {
        Assert.Equal(21, InductionCycle.DefaultSpanFor(6, 3));
        Assert.Equal(27, InductionCycle.DefaultSpanFor(10, 3));
    }
}
