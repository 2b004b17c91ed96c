using System.Reflection;
using KetamineScheduling.Api.OpenApi;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace KetamineScheduling.Api.Reports;

/// <summary>A report that can also be written as CSV: the same rows, under a header row.</summary>
internal interface ICsvReport
{
    /// <summary>What the CSV holds, for the OpenAPI document.</summary>
    static abstract string CsvDescription { get; }

    /// <summary>The start of a CSV answer, for the OpenAPI document.</summary>
    static abstract string CsvExample { get; }

    string ToCsv();
}

/// <summary>
/// A 200 answer holding a report: JSON, or CSV when the request's Accept header prefers text/csv to application/json
/// (<c>Accept: text/csv</c>). Both media types are in the OpenAPI document, CSV as text.
/// </summary>
internal sealed class ReportAnswer<TReport>(TReport report) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
    where TReport : ICsvReport
{
    private const string JsonMediaType = "application/json";

    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    public TReport Report => report;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.Headers.Vary = HeaderNames.Accept;
        if (!PrefersCsv(httpContext.Request))
        {
            await TypedResults.Ok(report).ExecuteAsync(httpContext);
            return;
        }

        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = $"{Csv.MediaType}; charset=utf-8; header=present";
        await httpContext.Response.WriteAsync(report.ToCsv(), httpContext.RequestAborted);
    }

    /// <summary>
    /// Whether the Accept header rates text/csv above application/json, or names text/csv and not application/json
    /// where a wildcard rates them alike. No Accept header, or one that names neither, gets JSON.
    /// </summary>
    private static bool PrefersCsv(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        var csv = Quality(accept, Csv.MediaType);
        var json = Quality(accept, JsonMediaType);
        return csv > json || (csv > 0 && csv == json && Names(accept, Csv.MediaType) && !Names(accept, JsonMediaType));
    }

    private static double Quality(IList<MediaTypeHeaderValue> accept, string mediaType)
    {
        var wanted = new MediaTypeHeaderValue(mediaType);
        return accept.Where(wanted.IsSubsetOf).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
    }

    private static bool Names(IList<MediaTypeHeaderValue> accept, string mediaType) =>
        accept.Any(a => a.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase) && (a.Quality ?? 1) > 0);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TReport), [JsonMediaType, Csv.MediaType]));
        builder.Metadata.Add(new TextResponse(Csv.MediaType, TReport.CsvDescription, TextResponse.MaxReportLength, TReport.CsvExample));
    }
}
