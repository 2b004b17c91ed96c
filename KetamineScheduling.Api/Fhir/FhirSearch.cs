using System.Globalization;
using KetamineScheduling.Api.Http;
using Microsoft.Extensions.Primitives;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Api.Fhir;

/// <summary>
/// Reads a FHIR search's query (FHIR R4 §3.1.1): the parameters a search supports, each problem named in a 400
/// OperationOutcome; a parameter the search does not support is refused rather than ignored, so a client never
/// takes an unfiltered answer for a filtered one.
/// </summary>
internal sealed class FhirSearch
{
    /// <summary>Entries a page holds when the search names no <c>_count</c>.</summary>
    public const int DefaultCount = 50;

    /// <summary>The most entries a page may hold.</summary>
    public const int MaxCount = 200;

    /// <summary>The opaque paging parameter of <c>next</c> links.</summary>
    public const string CursorParameter = "_cursor";

    /// <summary>Parameters every search takes: the format, paging and (ignored) pretty printing.</summary>
    private static readonly string[] Common = ["_format", "_pretty", "_count", CursorParameter];

    private static readonly OffsetDateTimePattern[] OffsetPatterns =
    [
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFo<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>"),
    ];

    private readonly IQueryCollection query;

    public FhirSearch(IQueryCollection query, params string[] supported)
    {
        this.query = query;
        foreach (var name in query.Keys.Where(k => !supported.Contains(k, StringComparer.Ordinal) && !Common.Contains(k, StringComparer.Ordinal)))
        {
            Validation.Add(name, $"This search does not support '{name}'; it supports {string.Join(", ", supported.DefaultIfEmpty("no parameters but paging"))}.");
        }
    }

    public Validation Validation { get; } = new();

    /// <summary>The page size: <c>_count</c>, 0 (the total only) to <see cref="MaxCount"/>.</summary>
    public int Count()
    {
        var text = Single("_count");
        if (text is null)
        {
            return DefaultCount;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > MaxCount)
        {
            Validation.Add("_count", $"Must be a whole number from 0 to {MaxCount}.");
            return DefaultCount;
        }

        return count;
    }

    /// <summary>The one value of <paramref name="name"/>, or null; more than one is refused.</summary>
    public string? Single(string name)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            Validation.Add(name, "May be given once.");
        }

        return values.Count == 0 ? null : values[0];
    }

    /// <summary>
    /// The id in a reference parameter to a <paramref name="type"/>: <c>Patient/{id}</c>, a bare id, or an absolute
    /// URL ending so. Not an id of ours, it is refused; whether it names something in the clinic is the search's to say.
    /// </summary>
    public Guid? Reference(string name, string type)
    {
        if (Single(name) is not { } text)
        {
            return null;
        }

        var id = text.Contains('/', StringComparison.Ordinal)
            ? text.EndsWith('/') || text[..text.LastIndexOf('/')].Split('/')[^1] != type ? null : text[(text.LastIndexOf('/') + 1)..]
            : text;
        if (Guid.TryParse(id, out var guid))
        {
            return guid;
        }

        Validation.Add(name, $"Must reference a {type}: {type}/<id>.");
        return null;
    }

    /// <summary>The codes of a token parameter, any of which may match (comma-separated); each must be one of <paramref name="known"/>.</summary>
    public IReadOnlyList<T>? Tokens<T>(string name, IReadOnlyDictionary<string, T> known)
    {
        if (Single(name) is not { } text)
        {
            return null;
        }

        var codes = text.Split(',');
        foreach (var unknown in codes.Where(c => !known.ContainsKey(c)))
        {
            Validation.Add(name, $"'{unknown}' is not one of {string.Join(", ", known.Keys)}.");
        }

        return [.. codes.Where(known.ContainsKey).Select(c => known[c]).Distinct()];
    }

    /// <summary>
    /// The range a date parameter allows, from (included) to (excluded): each value is a prefix (eq, ge, gt, le, lt;
    /// none is eq) and a date, which is that day in <paramref name="zone"/>, or a date and time with its offset,
    /// which is that second (or minute). Several values must all hold.
    /// </summary>
    public (Instant From, Instant To) Dates(string name, DateTimeZone zone)
    {
        var (from, to) = (FhirStore.Earliest, FhirStore.Latest);
        foreach (var value in query[name].OfType<string>())
        {
            var prefix = value.Length > 2 && char.IsAsciiLetterLower(value[0]) ? value[..2] : "eq";
            var text = value.Length > 2 && char.IsAsciiLetterLower(value[0]) ? value[2..] : value;
            if (Range(text, zone) is not { } range || prefix is not ("eq" or "ge" or "gt" or "le" or "lt"))
            {
                Validation.Add(name, $"'{value}' is not a date search: a prefix eq, ge, gt, le or lt, then a date (2027-05-03) or a date and time with its offset (2027-05-03T10:00:00+01:00), {Http.Dates.Range}.");
                continue;
            }

            (from, to) = prefix switch
            {
                "ge" => (Max(from, range.Start), to),
                "gt" => (Max(from, range.End), to),
                "le" => (from, Min(to, range.End)),
                "lt" => (from, Min(to, range.Start)),
                _ => (Max(from, range.Start), Min(to, range.End)),
            };
        }

        return (from, to);
    }

    /// <summary>
    /// The value a token identifier names in <paramref name="system"/>: <c>system|value</c>, <c>|value</c> or a bare
    /// value; null for another system, which matches nothing.
    /// </summary>
    public static string? IdentifierValue(string identifier, string system) => identifier.Split('|') switch
    {
        [var value] => value,
        [var given, var value] when given.Length == 0 || given == system => value,
        _ => null,
    };

    /// <summary>Whether <paramref name="name"/> was given at all.</summary>
    public bool Has(string name) => query.ContainsKey(name);

    /// <summary>The key inside <c>_cursor</c>, "" on the first page; a cursor this API did not make is refused.</summary>
    public string Cursor()
    {
        var key = Http.Cursor.Decode(Single(CursorParameter));
        if (key is null)
        {
            Validation.Add(CursorParameter, "Is not a cursor this server returned; follow the Bundle's next link.");
        }

        return key ?? "";
    }

    /// <summary>This search's query with <c>_cursor</c> set to <paramref name="cursorKey"/>: the next page's.</summary>
    public string NextQuery(string cursorKey)
    {
        var next = query.Where(p => p.Key != CursorParameter).ToDictionary(p => p.Key, p => p.Value);
        next[CursorParameter] = new StringValues(Http.Cursor.Encode(cursorKey));
        return QueryString.Create(next).ToString();
    }

    /// <summary>What a date value covers: a date is that day in <paramref name="zone"/>; a date and time with its offset, that second (or minute).</summary>
    public static Interval? Range(string text, DateTimeZone zone)
    {
        if (LocalDatePattern.Iso.Parse(text) is { Success: true } day && Http.Dates.Accepts(day.Value))
        {
            return new Interval(day.Value.AtStartOfDayInZone(zone).ToInstant(), day.Value.PlusDays(1).AtStartOfDayInZone(zone).ToInstant());
        }

        foreach (var (pattern, step) in OffsetPatterns.Zip([Duration.FromSeconds(1), Duration.FromMinutes(1)]))
        {
            if (pattern.Parse(text) is { Success: true } parsed && Http.Dates.Accepts(parsed.Value))
            {
                var instant = parsed.Value.ToInstant();
                return new Interval(instant, instant + step);
            }
        }

        return null;
    }

    private static Instant Max(Instant a, Instant b) => a > b ? a : b;

    private static Instant Min(Instant a, Instant b) => a < b ? a : b;
}
