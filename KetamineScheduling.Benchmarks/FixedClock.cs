using NodaTime;

namespace KetamineScheduling.Benchmarks;

/// <summary>A clock that always reads one instant, so every run places the plan at the same moment.</summary>
internal sealed class FixedClock(Instant now) : IClock
{
    public Instant GetCurrentInstant() => now;
}
