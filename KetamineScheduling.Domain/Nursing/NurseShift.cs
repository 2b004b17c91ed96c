using NodaTime;

namespace KetamineScheduling.Domain.Nursing;

/// <summary>A nurse on duty on one local date, from <see cref="Starts"/> to <see cref="Ends"/> in the clinic's local time.</summary>
/// <remarks>
/// Its times are read as opening hours are: a time the clocks skip means the moment they skip to, and one that
/// happens twice its first occurrence, so a shift "until 02:30" on a spring-forward night is over at 03:00.
/// </remarks>
/// <param name="NurseId">The member of staff on duty; a nurse.</param>
/// <param name="Date">The clinic's local date.</param>
/// <param name="Starts">When the shift starts, local time.</param>
/// <param name="Ends">When it ends, local time, after <paramref name="Starts"/> on the same date: a clinic's day does not run past midnight.</param>
public sealed record NurseShift(Guid NurseId, LocalDate Date, LocalTime Starts, LocalTime Ends)
{
    /// <summary>The shortest shift worth recording.</summary>
    public const int MinMinutes = 15;

    /// <summary>Whether the shift is a real span of a day: it ends at least <see cref="MinMinutes"/> after it starts.</summary>
    public bool IsValid => Period.Between(Starts, Ends, PeriodUnits.Minutes).Minutes >= MinMinutes;
}
