using NodaTime;

namespace KetamineScheduling.Api.Http;

/// <summary>
/// The calendar the API accepts: every date, local date and time, and instant a request gives lies from
/// 1900-01-01 to 2200-12-31, both included. Outside it is a 400 naming the field.
/// </summary>
/// <remarks>
/// NodaTime and the databases reach 9999-12-31, but the scheduling rules add days and minutes to what a client
/// sends (plan windows, turnover, the next open day), and the end of the calendar overflows. No clinic books a
/// session before 1900 or after 2200, so the bounds cost nothing and leave centuries of room for that arithmetic.
/// </remarks>
internal static class Dates
{
    /// <summary>The first date a request may give.</summary>
    public static readonly LocalDate Earliest = new(1900, 1, 1);

    /// <summary>The last date a request may give.</summary>
    public static readonly LocalDate Latest = new(2200, 12, 31);

    /// <summary>The range in words, as the OpenAPI document and the 400s say it.</summary>
    public const string Range = "from 1900-01-01 to 2200-12-31";

    public static bool Accepts(LocalDate date) => date >= Earliest && date <= Latest;

    public static bool Accepts(LocalDateTime dateTime) => Accepts(dateTime.Date);

    /// <summary>An instant is accepted when its UTC date is.</summary>
    public static bool Accepts(Instant instant) =>
        instant >= Earliest.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant() &&
        instant < Latest.PlusDays(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();

    /// <summary>An offset date and time is accepted when its local date is.</summary>
    public static bool Accepts(OffsetDateTime dateTime) => Accepts(dateTime.Date);
}
