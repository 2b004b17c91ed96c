using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Tests.Domain;

public sealed class SessionLengthTests
{
    [Fact]
    public void The_patient_stays_for_infusion_and_observation_and_the_chair_also_for_its_cleaning()
    {
        var length = new SessionLength(40, 30, 15);

        Assert.Equal(Duration.FromMinutes(70), length.WithPatient);
        Assert.Equal(Duration.FromMinutes(85), length.ChairTime);
    }

    [Theory]
    [InlineData(Protocol.MinInfusionMinutes, 0, 0)]
    [InlineData(Protocol.MaxInfusionMinutes, Protocol.MaxObservationMinutes, 0)]
    [InlineData(Protocol.MinInfusionMinutes, 0, 120)]
    public void A_length_at_each_limit_is_a_session(int infusion, int observation, int turnover)
    {
        var length = new SessionLength(infusion, observation, turnover);

        Assert.Equal((infusion, observation, turnover), (length.InfusionMinutes, length.ObservationMinutes, length.TurnoverMinutes));
    }

    [Theory]
    [InlineData(Protocol.MinInfusionMinutes - 1, 0, 0, "infusionMinutes")]
    [InlineData(Protocol.MaxInfusionMinutes + 1, 0, 0, "infusionMinutes")]
    [InlineData(Protocol.MinInfusionMinutes, -1, 0, "observationMinutes")]
    [InlineData(Protocol.MinInfusionMinutes, Protocol.MaxObservationMinutes + 1, 0, "observationMinutes")]
    [InlineData(Protocol.MinInfusionMinutes, 0, -1, "turnoverMinutes")]
    public void A_length_one_past_a_limit_is_refused_naming_that_part(int infusion, int observation, int turnover, string part)
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new SessionLength(infusion, observation, turnover));

        Assert.Equal(part, refused.ParamName);
    }

    [Fact]
    public void A_session_needs_its_length() =>
        Assert.Throws<ArgumentNullException>(() => new Session(Guid.Empty, Guid.Empty, Guid.Empty, new LocalDateTime(2027, 5, 3, 10, 0).InUtc(), null!));
}
