using System.Globalization;
using System.Text;

namespace KetamineScheduling.Api.Reports;

/// <summary>
/// Comma-separated values as RFC 4180 writes them: a header row, CRLF line ends, and a field in double quotes
/// (its quotes doubled) when it holds a comma, a quote or a line break. Numbers are invariant: 85, 35.4.
/// </summary>
/// <remarks>
/// A text field that starts with =, +, -, @, a tab or a carriage return is written after a single quote, so that a
/// spreadsheet shows a chair named "=HYPERLINK(...)" as text rather than running it as a formula (OWASP's advice on
/// CSV injection). A field that is a number, such as -3, is written as it is.
/// </remarks>
internal static class Csv
{
    public const string MediaType = "text/csv";

    /// <summary>The lines of <paramref name="header"/> and <paramref name="rows"/>; a null field is empty.</summary>
    public static string Write(IEnumerable<string> header, IEnumerable<IEnumerable<string?>> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            text.AppendJoin(',', row.Select(Field)).Append("\r\n");
        }

        return text.ToString();
    }

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string? Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string Field(string? value)
    {
        if (value is null)
        {
            return "";
        }

        var formula = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' &&
            !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _);
        var text = formula ? "'" + value : value;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
