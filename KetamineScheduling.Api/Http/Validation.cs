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

    public Validation MaxLength(string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            Add(field, $"Must be at most {max} characters.");
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
        if (!parsed.Success)
        {
            Add(field, $"'{text}' is not a date (yyyy-MM-dd).");
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
        if (!parsed.Success)
        {
            Add(field, $"'{text}' is not an RFC 3339 date and time with an offset, such as 2027-01-04T09:00:00Z.");
            return null;
        }

        return parsed.Value.ToInstant();
    }

    public ValidationProblem Problem() =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), title: "The request is not valid");
}
