using NodaTime;

namespace KetamineScheduling.Domain.Calendar;

/// <summary>
/// One stretch of a weekday during which the clinic is open, in the clinic's local time.
/// </summary>
/// <remarks>
/// <see cref="Opens"/> is included and <see cref="Closes"/> is not: a chair may be occupied up to, but not past,
/// closing time. An interval never crosses midnight.
/// </remarks>
public sealed record OpeningInterval
{
    public OpeningInterval(LocalTime opens, LocalTime closes)
    {
        if (closes <= opens)
        {
            throw new ArgumentException($"The clinic must close after it opens ({opens:HH:mm} to {closes:HH:mm}).", nameof(closes));
        }

        Opens = opens;
        Closes = closes;
    }

    /// <summary>The local time the clinic opens; the first moment a session may start.</summary>
    public LocalTime Opens { get; }

    /// <summary>The local time the clinic closes; chairs must be free (cleaned) by then.</summary>
    public LocalTime Closes { get; }

    /// <summary>Whether this interval shares any time with <paramref name="other"/>.</summary>
    public bool Overlaps(OpeningInterval other) => Opens < other.Closes && other.Opens < Closes;

    public override string ToString() => $"{Opens:HH:mm}-{Closes:HH:mm}";
}
