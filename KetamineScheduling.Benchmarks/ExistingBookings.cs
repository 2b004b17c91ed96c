using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Benchmarks;

/// <summary>Sessions already booked in a clinic, spread at random over open days and chairs without overlapping.</summary>
internal static class ExistingBookings
{
    /// <summary>
    /// Up to <paramref name="count"/> bookings over <paramref name="years"/> years from <paramref name="from"/>, each
    /// a random length on a random chair and start; a random pick that would overlap is dropped and drawn again.
    /// The same arguments always give the same bookings.
    /// </summary>
    public static List<Booking> Generate(ClinicCalendar calendar, IReadOnlyList<Chair> chairs, LocalDate from, int years, int count)
    {
        var random = new Random(20_000);
        var openDays = Enumerable.Range(0, years * 365).Select(from.PlusDays).Where(calendar.IsOpenOn).ToArray();
        var taken = new Dictionary<(Guid, LocalDate), List<Booking>>();
        var startsByLength = new Dictionary<(LocalDate, Duration), LocalDateTime[]>();
        var patients = Enumerable.Range(0, count / 10).Select(_ => Guid.NewGuid()).ToArray();
        var bookings = new List<Booking>(count);
        while (bookings.Count < count)
        {
            var date = openDays[random.Next(openDays.Length)];
            var length = new SessionLength(40 + 5 * random.Next(5), 30 + 5 * random.Next(7), calendar.TurnoverMinutes);
            if (!startsByLength.TryGetValue((date, length.ChairTime), out var starts))
            {
                starts = [.. calendar.StartsOn(date, length.ChairTime)];
                startsByLength[(date, length.ChairTime)] = starts;
            }

            var chair = chairs[random.Next(chairs.Count)].Id;
            var session = new Session(Guid.NewGuid(), patients[random.Next(patients.Length)], chair, calendar.AtClinicTime(starts[random.Next(starts.Length)]), length);
            var booking = session.ToBooking();
            var onChair = taken.TryGetValue((chair, date), out var list) ? list : taken[(chair, date)] = [];
            if (onChair.TrueForAll(b => b.ChairFreeAt <= booking.Start || booking.ChairFreeAt <= b.Start))
            {
                onChair.Add(booking);
                bookings.Add(booking);
            }
        }

        return bookings;
    }
}
