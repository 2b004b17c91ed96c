using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.OpenApi;
using KetamineScheduling.Domain.Reports;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Reports;

/// <summary>Routes for the practice manager's reports: chair utilisation (JSON, CSV or an SVG heat map) and treatment outcomes.</summary>
internal static class ReportsApi
{
    public static RouteGroupBuilder MapReports(this IEndpointRouteBuilder routes)
    {
        // Reports name no patient, but they are read from every patient's sessions: each read is in the audit trail.
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/reports").WithTags("Reports")
            .Audited("report", readsPatientData: true, idRouteValue: "clinicId")
            .AllowRoles(Roles.ClinicAdmin, Roles.Scheduler)
            .WithMetadata(
                new LocalDateParameter("from", "The first date reported.", "2027-01-04"),
                new LocalDateParameter("to", $"The last date reported, included: at most {UtilizationReport.MaxDays - 1} days after from.", "2027-01-31"));

        group.MapGet("/utilization", GetUtilization)
            .Describe("GetUtilizationReport", "Chair utilisation per chair and local date, with totals per date, per chair and for the range; Accept: text/csv for CSV");
        group.MapGet("/utilization.svg", GetUtilizationHeatMap)
            .Describe("GetUtilizationHeatMap", "Chair utilisation as an SVG heat map of chairs by local dates, with a legend");
        group.MapGet("/treatment-outcomes", GetTreatmentOutcomes)
            .Describe("GetTreatmentOutcomesReport", "How the plans whose first session falls in the range went: induction completed, stopped after the first session, no-shows; Accept: text/csv for CSV");
        return group;
    }

    private static async Task<Results<ReportAnswer<UtilizationReportResponse>, ValidationProblem, NotFoundProblem>> GetUtilization(
        Guid clinicId, string? from, string? to, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        if (ReadRange(from, to, validation) is not { } dates)
        {
            return validation.Problem();
        }

        var (clinic, report) = await UtilizationAsync(db, clinicId, dates, cancellationToken);
        return report is null ? NotFoundProblem.Of("clinic", clinicId) : new ReportAnswer<UtilizationReportResponse>(UtilizationReportResponse.Of(clinicId, clinic!.Zone, report));
    }

    private static async Task<Results<UtilizationHeatMap, ValidationProblem, NotFoundProblem>> GetUtilizationHeatMap(
        Guid clinicId, string? from, string? to, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        if (ReadRange(from, to, validation) is not { } dates)
        {
            return validation.Problem();
        }

        var (clinic, report) = await UtilizationAsync(db, clinicId, dates, cancellationToken);
        return report is null ? NotFoundProblem.Of("clinic", clinicId) : UtilizationHeatMap.Draw(clinic!.Name, report);
    }

    private static async Task<Results<ReportAnswer<TreatmentOutcomesResponse>, ValidationProblem, NotFoundProblem>> GetTreatmentOutcomes(
        Guid clinicId, string? from, string? to, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        if (ReadRange(from, to, validation) is not { } dates)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        if (!await ClinicStore.ExistsAsync(connection, clinicId))
        {
            return NotFoundProblem.Of("clinic", clinicId);
        }

        var outcomes = TreatmentOutcomes.For(dates, await ReportStore.PlansAsync(connection, clinicId, dates), clock.GetCurrentInstant());
        return new ReportAnswer<TreatmentOutcomesResponse>(TreatmentOutcomesResponse.Of(clinicId, dates, outcomes));
    }

    /// <summary>The clinic's utilisation report over <paramref name="dates"/>; no clinic and no report when there is no such clinic.</summary>
    internal static async Task<(Clinic? Clinic, UtilizationReport? Report)> UtilizationAsync(Database db, Guid clinicId, DateInterval dates, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        if (await ClinicStore.FindAsync(connection, clinicId) is not { } clinic)
        {
            return (null, null);
        }

        var chairs = (await ChairStore.ListAsync(connection, clinicId)).Select(c => new Chair(c.Id, c.Name, c.InService));
        var sessions = await ReportStore.SessionsAsync(connection, clinicId, dates);
        return (clinic, UtilizationReport.For(clinic.Calendar, dates, chairs, sessions));
    }

    /// <summary>
    /// The local dates <paramref name="from"/> to <paramref name="to"/>, both included, when they make a range a
    /// report covers (at most <see cref="UtilizationReport.MaxDays"/> days); otherwise null, with the reasons noted.
    /// </summary>
    private static DateInterval? ReadRange(string? from, string? to, Validation validation)
    {
        var first = validation.Date("from", from);
        var last = validation.Date("to", to);
        if (first is not { } start || last is not { } end)
        {
            return null;
        }

        if (end < start)
        {
            validation.Add("to", $"Must be on or after from ({from}).");
            return null;
        }

        var days = Period.DaysBetween(start, end) + 1;
        if (days > UtilizationReport.MaxDays)
        {
            validation.Add("to", $"A report covers at most {UtilizationReport.MaxDays} days; from {from} to {to} is {days}.");
            return null;
        }

        return new DateInterval(start, end);
    }
}
