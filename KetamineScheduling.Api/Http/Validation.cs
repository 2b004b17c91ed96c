using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Api.Http;

/// <summary>
/// Collects what is wrong with a request, field by field, so one 400 names every problem at once.
/// </summary>
internal sealed class Validation
{
    private readonly Dictionary<string, List<string>> errors = [];

    public bool IsValid => errors.Count == 0;

    public Validation Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    /// <summary>Checks a whole number lies in a range, both ends included.</summary>
    public Validation Range(string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            Add(field, $"Must be from {min} to {max}; it was {v}.");
        }

        return this;
    }

    public Validation Required(string field, object? value)
    {
        if (value is null || value is string s && string.IsNullOrWhiteSpace(s))
        {
            Add(field, "Is required.");
        }

        return this;
    }

    /// <summary>
    /// Checks a free text such as a reason or a note: at most <paramref name="max"/> characters, and no control
    /// characters (line breaks and tabs aside) or text-direction controls, which make text display as something else.
    /// </summary>
    public Validation Text(string field, string? value, int max) => CheckText(field, value, max, lines: true);

    /// <summary>
    /// Checks a name, a display name or an identifier: at most <paramref name="max"/> characters on one line, with
    /// no control characters or text-direction controls (U+202E shows "evil.exe" as "exe.live").
    /// </summary>
    public Validation Name(string field, string? value, int max) => CheckText(field, value, max, lines: false);

    /// <summary>The same check as <see cref="Text"/>.</summary>
    public Validation MaxLength(string field, string? value, int max) => Text(field, value, max);

    private Validation CheckText(string field, string? value, int max, bool lines)
    {
        if (value is null)
        {
            return this;
        }

        if (value.Length > max)
        {
            Add(field, $"Must be at most {max} characters.");
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) && !(lines && c is '\n' or '\r' or '\t'))
            {
                Add(field, lines
                    ? $"Must not contain a control character (U+{(int)c:X4}); line breaks and tabs are allowed."
                    : $"Must be one line without control characters (U+{(int)c:X4}).");
                break;
            }

            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                Add(field, $"Must not contain a text-direction control (U+{(int)c:X4}): it makes the text display as something else.");
                break;
            }
        }

        return this;
    }

    /// <summary>Parses an IANA zone id, noting an unknown one.</summary>
    public DateTimeZone? TimeZone(string field, string? id)
    {
        if (id is null)
        {
            return null;
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
        if (zone is null)
        {
            Add(field, $"'{id}' is not an IANA time zone id (for example Europe/London).");
        }

        return zone;
    }

    /// <summary>Parses a yyyy-MM-dd query value, noting an impossible one.</summary>
    public LocalDate? Date(string field, string? text, bool required = true)
    {
        if (text is null)
        {
            if (required)
            {
                Add(field, "Is required (yyyy-MM-dd).");
            }

            return null;
        }

        var parsed = LocalDatePattern.Iso.Parse(text);
        if (!parsed.Success || !Dates.Accepts(parsed.Value))
        {
            Add(field, $"Must be a date that exists, as yyyy-MM-dd, {Dates.Range}.");
            return null;
        }

        return parsed.Value;
    }

    /// <summary>Checks a page size, defaulting when absent.</summary>
    public int Limit(int? limit)
    {
        Range("limit", limit, 1, Cursor.MaxLimit);
        return limit ?? Cursor.DefaultLimit;
    }

    /// <summary>
    /// The key inside a cursor this API returned, or <paramref name="first"/> for the first page; notes any other
    /// cursor under <paramref name="field"/>.
    /// </summary>
    public T CursorKey<T>(string field, string? cursor, T first)
        where T : IParsable<T>
    {
        switch (Http.Cursor.Decode(cursor))
        {
            case "":
                return first;
            case { } key when T.TryParse(key, CultureInfo.InvariantCulture, out var value):
                return value;
            default:
                Add(field, "Is not a cursor this API returned.");
                return first;
        }
    }

    /// <summary>Parses an RFC 3339 query value (2027-01-04T09:00:00Z or with an offset), noting an impossible one.</summary>
    public Instant? Instant(string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parsed = OffsetDateTimePattern.Rfc3339.Parse(text);
        if (!parsed.Success || !Dates.Accepts(parsed.Value))
        {
            Add(field, $"Must be an RFC 3339 date and time with an offset, such as 2027-01-04T09:00:00Z, {Dates.Range}.");
            return null;
        }

        return parsed.Value.ToInstant();
    }

    public ValidationProblem Problem() =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), title: "The request is not valid");
}
