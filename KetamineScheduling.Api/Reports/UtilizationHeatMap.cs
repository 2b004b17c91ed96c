using System.Globalization;
using System.Reflection;
using System.Text;
using KetamineScheduling.Api.OpenApi;
using KetamineScheduling.Domain.Reports;
using Microsoft.AspNetCore.Http.Metadata;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Api.Reports;

/// <summary>
/// A utilisation report drawn as an SVG heat map: a row per chair and a column per date, each cell coloured by how
/// full the chair was, with a row for all chairs, a column for all dates, and a legend. Plain SVG 1.1 with no script
/// or external reference, so it opens in any browser and can be embedded as an image.
/// </summary>
/// <remarks>
/// The colours run from pale yellow (0%) through green and blue to deep blue (100%), the ColorBrewer YlGnBu scale:
/// ordered by lightness, so it reads in greyscale and with the common colour-vision deficiencies. A date the
/// clinic was closed is grey and crossed out. Every text (the clinic's and the chairs' names) is XML-escaped.
/// </remarks>
internal sealed class UtilizationHeatMap(string svg) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    public const string MediaType = "image/svg+xml";

    private static readonly (decimal Percent, (int R, int G, int B) Colour)[] Scale =
    [
        (0, (0xff, 0xff, 0xcc)),
        (25, (0xa1, 0xda, 0xb4)),
        (50, (0x41, 0xb6, 0xc4)),
        (75, (0x2c, 0x7f, 0xb8)),
        (100, (0x25, 0x34, 0x94)),
    ];

    private const string Closed = "#d4d4d4";
    private const int CellHeight = 26;
    private const int Top = 92;
    private const int TotalGap = 10;
    private const int TotalWidth = 52;

    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    string IContentTypeHttpResult.ContentType => $"{MediaType}; charset=utf-8";

    /// <summary>The SVG document.</summary>
    public string Svg => svg;

    /// <summary>The heat map of <paramref name="report"/> for the clinic named <paramref name="clinicName"/>.</summary>
    public static UtilizationHeatMap Draw(string clinicName, UtilizationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var dates = report.Dates.ToList();
        var chairs = report.Chairs;
        var cellWidth = Math.Clamp(960 / dates.Count, 16, 44);
        var names = chairs.Select(c => Shorten(c.Name, 28)).ToList();
        var left = 16 + (int)(6.6 * Math.Max(10, names.DefaultIfEmpty("").Max(n => n.Length)));
        var gridRight = left + dates.Count * cellWidth;
        var width = gridRight + TotalGap + TotalWidth + 16;
        var allChairsY = Top + chairs.Length * CellHeight + TotalGap;
        var legendY = allChairsY + CellHeight + 34;
        var height = legendY + 56;
        var cells = report.Cells.ToDictionary(c => (c.Date, c.Chair.Id), c => c.Utilization);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<title>{Escape($"Chair utilisation, {clinicName}, {Format(report.Dates.Start)} to {Format(report.Dates.End)}")}</title>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{width}" height="{height}" fill="#ffffff"/>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="16" y="26" font-size="17" font-weight="bold" fill="#111111">{Escape($"Chair utilisation: {clinicName}")}</text>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="16" y="46" fill="#333333">{Escape($"{Format(report.Dates.Start)} to {Format(report.Dates.End)}, booked chair time as a share of opening hours; overall {Percent(report.Total)}")}</text>""").Append('\n');

        // Column heads: the month where it starts, then the weekday's initial and the day of the month.
        for (var i = 0; i < dates.Count; i++)
        {
            var x = left + i * cellWidth + cellWidth / 2;
            if (i == 0 || dates[i].Day == 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{left + i * cellWidth}" y="64" font-weight="bold" fill="#333333">{dates[i].ToString("MMM uuuu", CultureInfo.InvariantCulture)}</text>""").Append('\n');
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x}" y="{Top - 16}" text-anchor="middle" font-size="10" fill="#555555">{dates[i].DayOfWeek.ToString()[..2]}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x}" y="{Top - 4}" text-anchor="middle" font-size="11" fill="#111111">{dates[i].Day}</text>""").Append('\n');
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{gridRight + TotalGap + TotalWidth / 2}" y="{Top - 4}" text-anchor="middle" font-size="11" font-weight="bold" fill="#111111">All days</text>""").Append('\n');

        for (var row = 0; row < chairs.Length; row++)
        {
            var y = Top + row * CellHeight;
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{left - 8}" y="{y + CellHeight / 2 + 4}" text-anchor="end" fill="#111111">{Escape(names[row])}</text>""").Append('\n');
            for (var i = 0; i < dates.Count; i++)
            {
                Cell(svg, left + i * cellWidth, y, cellWidth, $"{chairs[row].Name}, {Format(dates[i])}", cells[(dates[i], chairs[row].Id)]);
            }

            Cell(svg, gridRight + TotalGap, y, TotalWidth, $"{chairs[row].Name}, all days", report.ChairTotals[row].Utilization);
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{left - 8}" y="{allChairsY + CellHeight / 2 + 4}" text-anchor="end" font-weight="bold" fill="#111111">All chairs</text>""").Append('\n');
        for (var i = 0; i < dates.Count; i++)
        {
            Cell(svg, left + i * cellWidth, allChairsY, cellWidth, $"All chairs, {Format(dates[i])}", report.Days[i].Utilization);
        }

        Cell(svg, gridRight + TotalGap, allChairsY, TotalWidth, "All chairs, all days", report.Total);
        Legend(svg, left, legendY);
        svg.Append("</svg>\n");
        return new UtilizationHeatMap(svg.ToString());
    }

    /// <summary>One cell: its colour, its percentage where it fits, and a tooltip with the minutes.</summary>
    private static void Cell(StringBuilder svg, int x, int y, int width, string label, Utilization figures)
    {
        var tooltip = Escape(figures.UtilizationPercent is null
            ? $"{label}: closed"
            : $"{label}: {figures.BookedMinutes} of {figures.OpenMinutes} minutes booked ({Percent(figures)}), {figures.Sessions} sessions, {figures.NoShows} no-shows, {figures.Cancellations} cancellations");
        svg.Append(CultureInfo.InvariantCulture, $"""<g><title>{tooltip}</title><rect x="{x}" y="{y}" width="{width - 2}" height="{CellHeight - 2}" rx="2" fill="{Fill(figures.UtilizationPercent)}"/>""");
        if (figures.UtilizationPercent is not { } percent)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<path d="M{x + 3} {y + 3}L{x + width - 5} {y + CellHeight - 5}" stroke="#9a9a9a" stroke-width="1"/>""");
        }
        else if (width >= 30)
        {
            var ink = percent >= 55 ? "#ffffff" : "#111111";
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + (width - 2) / 2}" y="{y + CellHeight / 2 + 3}" text-anchor="middle" font-size="10" fill="{ink}">{Math.Round(percent, MidpointRounding.AwayFromZero)}{(width >= 36 ? "%" : "")}</text>""");
        }

        svg.Append("</g>\n");
    }

    private static void Legend(StringBuilder svg, int x, int y)
    {
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x}" y="{y - 8}" font-weight="bold" fill="#111111">Utilisation</text>""").Append('\n');
        for (var percent = 0; percent < 100; percent += 5)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x + percent * 3}" y="{y}" width="16" height="14" fill="{Fill(percent + 2.5m)}"/>""");
        }

        svg.Append('\n');
        foreach (var tick in new[] { 0, 25, 50, 75, 100 })
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + tick * 3}" y="{y + 28}" text-anchor="middle" font-size="11" fill="#333333">{tick}%</text>""");
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x + 340}" y="{y}" width="22" height="14" fill="{Closed}"/><path d="M{x + 342} {y + 2}L{x + 360} {y + 12}" stroke="#9a9a9a"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + 370}" y="{y + 11}" font-size="11" fill="#333333">closed</text>""").Append('\n');
    }

    /// <summary>The colour of a utilisation: the scale's colours blended between its stops; grey when closed.</summary>
    internal static string Fill(decimal? percent)
    {
        if (percent is not { } p)
        {
            return Closed;
        }

        p = Math.Clamp(p, 0, 100);
        var upper = Array.FindIndex(Scale, s => s.Percent >= p);
        if (upper == 0)
        {
            return Hex(Scale[0].Colour);
        }

        var (low, high) = (Scale[upper - 1], Scale[upper]);
        var t = (double)((p - low.Percent) / (high.Percent - low.Percent));
        return Hex((Blend(low.Colour.R, high.Colour.R, t), Blend(low.Colour.G, high.Colour.G, t), Blend(low.Colour.B, high.Colour.B, t)));
    }

    private static int Blend(int from, int to, double t) => (int)Math.Round(from + (to - from) * t);

    private static string Hex((int R, int G, int B) colour) => $"#{colour.R:x2}{colour.G:x2}{colour.B:x2}";

    private static string Percent(Utilization figures) =>
        figures.UtilizationPercent is { } percent ? $"{percent.ToString(CultureInfo.InvariantCulture)}%" : "closed";

    private static string Format(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>
    /// <paramref name="text"/> as XML character data or an attribute value: markup characters escaped, and any
    /// character XML cannot hold (a control character, a lone surrogate) replaced by U+FFFD.
    /// </summary>
    internal static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&apos;"); break;
                case var _ when char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]):
                    escaped.Append(c).Append(text[++i]);
                    break;
                case var _ when char.IsSurrogate(c) || (c < ' ' && c is not '\t' and not '\n' and not '\r') || c is '\uFFFE' or '\uFFFF':
                    escaped.Append('\uFFFD');
                    break;
                default: escaped.Append(c); break;
            }
        }

        return escaped.ToString();
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = $"{MediaType}; charset=utf-8";

        // An SVG opened from this address may not run script or load anything, whatever it were to hold.
        httpContext.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        await httpContext.Response.WriteAsync(svg, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [MediaType]));
        builder.Metadata.Add(new TextResponse(
            MediaType,
            "An SVG 1.1 document: a row per chair and a column per local date, coloured by utilisation, with a row for all chairs, a column for all dates and a legend. No script and no external reference.",
            TextResponse.MaxReportLength,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"320\">...</svg>"));
    }
}
