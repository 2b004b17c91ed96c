using System.Collections.Immutable;
using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Domain.Reports;

/// <summary>One chair on one local date, and how full it was.</summary>
public sealed record UtilizationCell(LocalDate Date, Chair Chair, Utilization Utilization);

/// <summary>
/// How full a clinic's chairs were on each local date of a range: per chair and date, per date, per chair, and for
/// the whole range.
/// </summary>
/// <remarks>
/// <para>A session counts on the local date it starts, on its chair. Its booked minutes are the part of its chair
/// time (from its start until its chair is clean) inside the opening intervals of that date, measured in elapsed
/// time, so a day with a daylight-saving change is as long as it really was.</para>
/// <para>The chairs reported are those in service, and any chair out of service that a session in the range was
/// on: a chair out of service now was in service when it held those sessions, and one that held none in the range
/// offers no chair time to the clinic.</para>
/// <para>Example: a clinic open 08:00 to 12:00 with two chairs, one 40-minute infusion with 30 minutes' observation
/// and 15 minutes' cleaning on chair A, and a no-show on chair B. Each chair was open 240 minutes; chair A had 85
/// booked (35.4%), chair B none (0%); the day had 480 open and 85 booked (17.7%), one session and one no-show.</para>
/// </remarks>
public sealed class UtilizationReport
{
    /// <summary>The longest range a report covers, in days (a quarter and a day).</summary>
    public const int MaxDays = 92;

    private UtilizationReport(DateInterval dates, ImmutableArray<Chair> chairs, ImmutableArray<UtilizationCell> cells)
    {
        Dates = dates;
        Chairs = chairs;
        Cells = cells;
        Days = [.. cells.GroupBy(c => c.Date).Select(g => (g.Key, Utilization.Sum(g.Select(c => c.Utilization))))];
        ChairTotals = [.. chairs.Select(chair => (chair, Utilization.Sum(cells.Where(c => c.Chair.Id == chair.Id).Select(c => c.Utilization))))];
        Total = Utilization.Sum(cells.Select(c => c.Utilization));
    }

    /// <summary>The local dates reported, both ends included.</summary>
    public DateInterval Dates { get; }

    /// <summary>The chairs reported, in the order given.</summary>
    public ImmutableArray<Chair> Chairs { get; }

    /// <summary>Every chair on every date: by date, then in the order of <see cref="Chairs"/>.</summary>
    public ImmutableArray<UtilizationCell> Cells { get; }

    /// <summary>Each date across all the chairs, in date order.</summary>
    public ImmutableArray<(LocalDate Date, Utilization Utilization)> Days { get; }

    /// <summary>Each chair across all the dates, in the order of <see cref="Chairs"/>.</summary>
    public ImmutableArray<(Chair Chair, Utilization Utilization)> ChairTotals { get; }

    /// <summary>Every chair on every date.</summary>
    public Utilization Total { get; }

    /// <summary>
    /// The report of <paramref name="dates"/> (at most <see cref="MaxDays"/>) for <paramref name="chairs"/> (the
    /// clinic's chairs, in the order they are to be shown), from <paramref name="sessions"/>. Sessions that start
    /// outside the dates, or on a chair not given, are not counted.
    /// </summary>
    public static UtilizationReport For(ClinicCalendar calendar, DateInterval dates, IEnumerable<Chair> chairs, IEnumerable<Session> sessions)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(dates);
        ArgumentNullException.ThrowIfNull(chairs);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dates.Length, MaxDays, nameof(dates));

        var given = chairs.ToList();
        var ids = given.Select(c => c.Id).ToHashSet();
        var byChairAndDate = sessions
            .Where(s => dates.Contains(s.Start.Date) && ids.Contains(s.ChairId))
            .ToLookup(s => (s.ChairId, s.Start.Date));
        var held = byChairAndDate.Select(g => g.Key.ChairId).ToHashSet();
        var reported = given.Where(c => c.InService || held.Contains(c.Id)).ToImmutableArray();

        var cells = ImmutableArray.CreateBuilder<UtilizationCell>(dates.Length * reported.Length);
        foreach (var date in dates)
        {
            var open = calendar.OpenTimesOn(date).ToList();
            var openMinutes = WholeMinutes(open.Aggregate(Duration.Zero, (sum, interval) => sum + interval.Duration));
            foreach (var chair in reported)
            {
                cells.Add(new UtilizationCell(date, chair, Of(openMinutes, open, byChairAndDate[(chair.Id, date)])));
            }
        }

        return new UtilizationReport(dates, reported, cells.MoveToImmutable());
    }

    private static Utilization Of(int openMinutes, List<Interval> open, IEnumerable<Session> sessions)
    {
        var (booked, held, noShows, cancelled) = (Duration.Zero, 0, 0, 0);
        foreach (var session in sessions)
        {
            switch (session.Status)
            {
                case SessionStatus.NoShow:
                    noShows++;
                    break;
                case SessionStatus.Cancelled:
                    cancelled++;
                    break;
                default:
                    held++;
                    booked += open.Aggregate(Duration.Zero, (sum, interval) => sum + Overlap(interval, session.Start.ToInstant(), session.ChairFreeAt));
                    break;
            }
        }

        return new Utilization(openMinutes, WholeMinutes(booked), held, noShows, cancelled);
    }

    private static Duration Overlap(Interval interval, Instant start, Instant end)
    {
        var from = Instant.Max(interval.Start, start);
        var to = Instant.Min(interval.End, end);
        return to > from ? to - from : Duration.Zero;
    }

    private static int WholeMinutes(Duration duration) => (int)duration.TotalMinutes;
}
