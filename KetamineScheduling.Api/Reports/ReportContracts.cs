using KetamineScheduling.Domain.Reports;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Api.Reports;

/// <summary>
/// One row of a utilisation report: one chair on one date, one date across chairs (no chair), one chair across the
/// dates (no date), or the whole report (neither).
/// </summary>
/// <param name="Date">The clinic's local date; null in a chair's total and the report's total.</param>
/// <param name="ChairId">The chair; null in a date's total and the report's total.</param>
/// <param name="ChairName">The chair's name; null where <paramref name="ChairId"/> is.</param>
/// <param name="OpenMinutes">Minutes of chair time the opening hours offered: per chair, the minutes the clinic was open.</param>
/// <param name="BookedMinutes">
/// Minutes of chair time (infusion, observation and cleaning) that booked, checked-in and completed sessions held
/// inside the opening hours; cancellations and no-shows free their chair and hold none.
/// </param>
/// <param name="UtilizationPercent">Booked over open minutes, 0 to 100, one decimal place; null when nothing was open.</param>
/// <param name="Sessions">Sessions starting then that held their chair: booked, checked in or completed.</param>
/// <param name="NoShows">Sessions starting then whose patient did not come.</param>
/// <param name="Cancellations">Sessions starting then that were cancelled.</param>
public sealed record UtilizationRow(
    LocalDate? Date,
    Guid? ChairId,
    string? ChairName,
    int OpenMinutes,
    int BookedMinutes,
    decimal? UtilizationPercent,
    int Sessions,
    int NoShows,
    int Cancellations)
{
    /// <summary>The CSV header: the JSON members' names, in order.</summary>
    internal static readonly string[] CsvHeader =
        ["date", "chairId", "chairName", "openMinutes", "bookedMinutes", "utilizationPercent", "sessions", "noShows", "cancellations"];

    internal static UtilizationRow Of(LocalDate? date, Domain.Sessions.Chair? chair, Utilization figures) => new(
        date, chair?.Id, chair?.Name, figures.OpenMinutes, figures.BookedMinutes, figures.UtilizationPercent, figures.Sessions, figures.NoShows, figures.Cancellations);

    internal string?[] CsvFields() =>
    [
        Date is { } date ? LocalDatePattern.Iso.Format(date) : null,
        ChairId?.ToString(),
        ChairName,
        Csv.Number(OpenMinutes),
        Csv.Number(BookedMinutes),
        Csv.Number(UtilizationPercent),
        Csv.Number(Sessions),
        Csv.Number(NoShows),
        Csv.Number(Cancellations),
    ];
}

/// <summary>
/// How full a clinic's chairs were on each local date of a range. As CSV (Accept: text/csv) it is the same rows, one
/// a line under a header of the row's member names: <see cref="Rows"/>, then <see cref="Days"/>, <see cref="Chairs"/>
/// and <see cref="Total"/>, with an empty date or chair where the row has none.
/// </summary>
/// <param name="ClinicId">The clinic.</param>
/// <param name="From">The first local date reported.</param>
/// <param name="To">The last local date reported, included.</param>
/// <param name="TimeZone">The clinic's IANA time zone, which the dates and opening hours are in.</param>
/// <param name="Rows">
/// Each chair on each date, by date and then chair (oldest chair first). The chairs are those in service and any chair
/// out of service that held a session in the range.
/// </param>
/// <param name="Days">Each date across all the chairs.</param>
/// <param name="Chairs">Each chair across all the dates.</param>
/// <param name="Total">Every chair on every date.</param>
public sealed record UtilizationReportResponse(
    Guid ClinicId,
    LocalDate From,
    LocalDate To,
    string TimeZone,
    IReadOnlyList<UtilizationRow> Rows,
    IReadOnlyList<UtilizationRow> Days,
    IReadOnlyList<UtilizationRow> Chairs,
    UtilizationRow Total) : ICsvReport
{
    internal static UtilizationReportResponse Of(Guid clinicId, DateTimeZone zone, UtilizationReport report) => new(
        clinicId,
        report.Dates.Start,
        report.Dates.End,
        zone.Id,
        [.. report.Cells.Select(c => UtilizationRow.Of(c.Date, c.Chair, c.Utilization))],
        [.. report.Days.Select(d => UtilizationRow.Of(d.Date, null, d.Utilization))],
        [.. report.ChairTotals.Select(c => UtilizationRow.Of(null, c.Chair, c.Utilization))],
        UtilizationRow.Of(null, null, report.Total));

    public static string CsvDescription =>
        "RFC 4180 CSV with a header row of the JSON row's member names: the rows, then each date's total (no chair), each chair's total " +
        "(no date) and the range's total (neither). A field is empty where the JSON has null.";

    public static string CsvExample =>
        "date,chairId,chairName,openMinutes,bookedMinutes,utilizationPercent,sessions,noShows,cancellations\r\n" +
        "2027-01-11,0193a5b0-7e1c-7000-8000-000000000001,Chair 1,540,170,31.5,2,0,0\r\n" +
        "2027-01-11,,,540,170,31.5,2,0,0\r\n,0193a5b0-7e1c-7000-8000-000000000001,Chair 1,540,170,31.5,2,0,0\r\n,,,540,170,31.5,2,0,0\r\n";

    string ICsvReport.ToCsv() => Csv.Write(UtilizationRow.CsvHeader, Rows.Concat(Days).Concat(Chairs).Append(Total).Select(r => r.CsvFields()));
}

/// <summary>
/// How the treatment plans that started in a range of local dates went. A plan starts on the date of its first
/// session that was not cancelled. Rates are fractions from 0 to 1, four decimal places, and null when there is
/// nothing to divide by. As CSV (Accept: text/csv) it is one row under a header of the member names.
/// </summary>
/// <param name="ClinicId">The clinic.</param>
/// <param name="From">The first local date.</param>
/// <param name="To">The last local date, included.</param>
/// <param name="PlansStarted">Plans whose first session falls in the range and has begun; a plan whose sessions are all still ahead is not counted.</param>
/// <param name="InductionCompleted">Of those, plans whose every induction session was completed.</param>
/// <param name="StoppedAfterFirstSession">
/// Of those, plans that stopped after the first infusion: it was completed, and no other session was completed
/// or is still to come.
/// </param>
/// <param name="CompletionRate">Induction completed over plans started.</param>
/// <param name="NoShowRate">The plans' no-shows over their sessions that were due (completed or no-show).</param>
/// <param name="PlansWithOutcomeMeasures">
/// Plans started whose outcome is measured: a baseline of the plan's primary measure (in the 30 days before its first
/// session) and a later assessment of it, judged as GET .../course judges them.
/// </param>
/// <param name="ResponseRate">Measured plans that responded (a remission counts as a response) over measured plans; null with none measured.</param>
/// <param name="RemissionRate">Measured plans in remission over measured plans; null with none measured.</param>
public sealed record TreatmentOutcomesResponse(
    Guid ClinicId,
    LocalDate From,
    LocalDate To,
    int PlansStarted,
    int InductionCompleted,
    int StoppedAfterFirstSession,
    decimal? CompletionRate,
    decimal? NoShowRate,
    int PlansWithOutcomeMeasures,
    decimal? ResponseRate,
    decimal? RemissionRate) : ICsvReport
{
    internal static TreatmentOutcomesResponse Of(Guid clinicId, DateInterval dates, TreatmentOutcomes outcomes) => new(
        clinicId, dates.Start, dates.End, outcomes.PlansStarted, outcomes.InductionCompleted, outcomes.StoppedAfterFirstSession,
        outcomes.CompletionRate, outcomes.NoShowRate, outcomes.PlansWithOutcomeMeasures, outcomes.ResponseRate, outcomes.RemissionRate);

    public static string CsvDescription => "RFC 4180 CSV: a header row of the JSON member names, then one row; a field is empty where the JSON has null.";

    public static string CsvExample =>
        "clinicId,from,to,plansStarted,inductionCompleted,stoppedAfterFirstSession,completionRate,noShowRate,plansWithOutcomeMeasures,responseRate,remissionRate\r\n" +
        "de000000-0000-4000-8000-000000000001,2027-01-01,2027-03-31,20,15,4,0.75,0.05,0,,\r\n";

    string ICsvReport.ToCsv() => Csv.Write(
        ["clinicId", "from", "to", "plansStarted", "inductionCompleted", "stoppedAfterFirstSession", "completionRate", "noShowRate", "plansWithOutcomeMeasures", "responseRate", "remissionRate"],
        [[
            ClinicId.ToString(), LocalDatePattern.Iso.Format(From), LocalDatePattern.Iso.Format(To), Csv.Number(PlansStarted), Csv.Number(InductionCompleted),
            Csv.Number(StoppedAfterFirstSession), Csv.Number(CompletionRate), Csv.Number(NoShowRate), Csv.Number(PlansWithOutcomeMeasures), Csv.Number(ResponseRate), Csv.Number(RemissionRate),
        ]]);
}
