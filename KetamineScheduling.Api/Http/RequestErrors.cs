using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using NodaTime;

namespace KetamineScheduling.Api.Http;

/// <summary>
/// What a request that could not be read got wrong, field by field, in a client developer's words. The field is a
/// JSON path into the body (<c>openingHours[2].opens</c>, <c>$</c> for the body itself) or a query parameter's name.
/// </summary>
/// <remarks>
/// The serializer's and the binder's messages name .NET types and parser internals, so none is passed on. They are
/// read only to tell the kind of failure apart; what the field expects comes from the field's type.
/// </remarks>
internal static partial class RequestErrors
{
    /// <summary>The key naming the body as a whole.</summary>
    public const string Body = "$";

    private static readonly string[] IsRequired = ["Is required."];

    /// <summary>The errors of a request binding refused, never empty.</summary>
    public static Dictionary<string, string[]> Of(BadHttpRequestException bad, HttpContext context)
    {
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var json = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (bad.InnerException is JsonException exception)
        {
            return bodyType is null ? One(Body, "Is not a body this operation reads.") : OfJson(exception, bodyType, json);
        }

        var message = bad.Message;
        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal) || BodyMissing().IsMatch(message))
        {
            return One(Body, $"A JSON body is required.{Fields(bodyType, json)}");
        }

        if (ParameterFailure().Match(message) is { Success: true } failed)
        {
            var name = failed.Groups["name"].Value;
            var type = ParameterType(endpoint, name) is { } declared ? Nullable.GetUnderlyingType(declared) ?? declared : null;
            var once = context.Request.Query.TryGetValue(name, out var values) && values.Count > 1 ? $"Give {name} once. " : "";
            var expected = name == "limit" ? $"a whole number from 1 to {Cursor.MaxLimit}" : Expected(type, json);
            return One(name, failed.Groups["required"].Success ? "Is required." : $"{once}Must be {expected}.");
        }

        return One(Body, "The request could not be read.");
    }

    /// <summary>
    /// The error of an enum query parameter that is not given exactly once, as one of the enum's names; null when
    /// there is none. The binder itself would take <c>status=99</c>, or <c>status=Booked&amp;status=Cancelled</c>
    /// read as flags, and filter by a status that does not exist.
    /// </summary>
    public static Dictionary<string, string[]>? OfEnumQuery(HttpContext context)
    {
        if (context.Request.QueryString.HasValue && context.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>() is { } method)
        {
            foreach (var (name, type) in EnumParameters.GetOrAdd(method, EnumParametersOf))
            {
                if (context.Request.Query.TryGetValue(name, out var values) && (values.Count != 1 || !Enum.GetNames(type).Contains(values[0], StringComparer.Ordinal)))
                {
                    return One(name, $"{(values.Count > 1 ? $"Give {name} once. " : "")}Must be {Expected(type, JsonSerializerOptions.Default)}.");
                }
            }
        }

        return null;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<MethodInfo, (string Name, Type Type)[]> EnumParameters = new();

    private static (string Name, Type Type)[] EnumParametersOf(MethodInfo method) =>
        [.. method.GetParameters()
            .Select(p => (Name: p.Name ?? "", Type: Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
            .Where(p => p.Type.IsEnum)];

    private static Dictionary<string, string[]> OfJson(JsonException exception, Type bodyType, JsonSerializerOptions options)
    {
        var segments = Segments(exception.Path);
        var path = PathOf(segments);
        var (parent, field) = Walk(bodyType, segments, options);

        // The reader's own failures: the text is not JSON at all from this point on.
        if (IsReaderFailure(exception) || exception.InnerException is JsonException inner && IsReaderFailure(inner))
        {
            return One(path, $"Is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}).");
        }

        if (exception.Message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var names = exception.Message[Math.Max(0, exception.Message.IndexOf("including:", StringComparison.Ordinal))..];
            var missing = Quoted().Matches(names).Select(m => m.Groups[1].Value).ToList();
            if (missing.Count > 0)
            {
                return missing.ToDictionary(name => PathOf([.. segments, name]), _ => IsRequired);
            }
        }

        if (segments is [.., string name] && parent is not null && field is null && options.GetTypeInfo(parent).Kind == JsonTypeInfoKind.Object)
        {
            var of = segments.Count == 1 ? "this request" : PathOf(segments[..^1]);
            return One(path, $"'{name}' is not a field of {of}.{Fields(parent, options)}");
        }

        return One(path, $"Must be {Expected(field, options)}.");
    }

    // The reader's exception type is internal; a converter's are JsonException itself.
    private static bool IsReaderFailure(JsonException exception) => exception.GetType().Name == "JsonReaderException";

    /// <summary>
    /// Follows <paramref name="segments"/> from <paramref name="root"/>: the type that holds the last segment, and
    /// the type the last segment names (null when it names nothing there).
    /// </summary>
    private static (Type? Parent, Type? Field) Walk(Type root, IReadOnlyList<object> segments, JsonSerializerOptions options)
    {
        Type? parent = null;
        Type? current = root;
        foreach (var segment in segments)
        {
            parent = current is null ? null : Nullable.GetUnderlyingType(current) ?? current;
            if (parent is null)
            {
                return (null, null);
            }

            var info = options.GetTypeInfo(parent);
            current = segment switch
            {
                int when info.Kind is JsonTypeInfoKind.Enumerable => info.ElementType,
                string name when info.Kind is JsonTypeInfoKind.Object =>
                    info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))?.PropertyType,
                string when info.Kind is JsonTypeInfoKind.Dictionary => info.ElementType,
                _ => null,
            };
        }

        return (parent, current);
    }

    /// <summary>What a value of <paramref name="type"/> looks like, in words: "a time as HH:mm".</summary>
    private static string Expected(Type? type, JsonSerializerOptions options)
    {
        if (type is null)
        {
            return "a value of the type the OpenAPI document gives";
        }

        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return $"{Expected(inner, options)}, or null";
        }

        if (type == typeof(IsoDayOfWeek))
        {
            return $"a day of the week: one of {string.Join(", ", Enum.GetNames<IsoDayOfWeek>().Where(d => d != nameof(IsoDayOfWeek.None)))}";
        }

        if (type.IsEnum)
        {
            return $"one of {string.Join(", ", Enum.GetNames(type))}";
        }

        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) => $"a whole number, at most {int.MaxValue}",
            _ when type == typeof(long) => $"a whole number, at most {long.MaxValue}",
            _ when type == typeof(Guid) => "a UUID, such as 0193a5b0-7c1e-7d2a-9f00-000000000001",
            _ when type == typeof(LocalDate) => $"a date that exists, as yyyy-MM-dd, {Dates.Range}",
            _ when type == typeof(LocalTime) => "a time as HH:mm (or HH:mm:ss), from 00:00 to 23:59",
            _ when type == typeof(LocalDateTime) => $"a local date and time that exists, as yyyy-MM-ddTHH:mm (or with :ss), {Dates.Range}",
            _ when type == typeof(Instant) || type == typeof(OffsetDateTime) => $"an RFC 3339 date and time with an offset, such as 2027-01-04T09:00:00Z, {Dates.Range}",
            _ => options.GetTypeInfo(type).Kind switch
            {
                JsonTypeInfoKind.Enumerable => "a JSON array",
                JsonTypeInfoKind.Object => $"a JSON object.{Fields(type, options)}".TrimEnd('.'),
                JsonTypeInfoKind.Dictionary => "a JSON object",
                _ => "a value of the type the OpenAPI document gives",
            },
        };
    }

    /// <summary>" Its fields are a, b and c." for an object type; empty for anything else.</summary>
    private static string Fields(Type? type, JsonSerializerOptions options)
    {
        if (type is null || options.GetTypeInfo(type) is not { Kind: JsonTypeInfoKind.Object, Properties: { Count: > 0 } properties })
        {
            return "";
        }

        var names = properties.Select(p => p.Name).ToList();
        return names.Count == 1 ? $" Its field is {names[0]}." : $" Its fields are {string.Join(", ", names[..^1])} and {names[^1]}.";
    }

    /// <summary>The type of the handler parameter <paramref name="name"/>, or null when it cannot be found.</summary>
    private static Type? ParameterType(Endpoint? endpoint, string name) =>
        endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name)?.ParameterType;

    /// <summary>The segments of a serializer path: property names as strings, array indexes as ints.</summary>
    private static List<object> Segments(string? path)
    {
        var segments = new List<object>();
        foreach (Match match in PathSegment().Matches(path ?? ""))
        {
            segments.Add(match.Groups["index"].Success
                ? int.Parse(match.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)
                : match.Groups["name"].Success ? match.Groups["name"].Value : match.Groups["quoted"].Value.Replace("''", "'", StringComparison.Ordinal));
        }

        return segments;
    }

    /// <summary>A path as clients write it: <c>openingHours[2].opens</c>; <c>$</c> for the body itself.</summary>
    private static string PathOf(IReadOnlyList<object> segments)
    {
        var path = new System.Text.StringBuilder();
        foreach (var segment in segments)
        {
            _ = segment is int index
                ? path.Append('[').Append(index).Append(']')
                : path.Append(path.Length == 0 ? "" : ".").Append((string)segment);
        }

        return path.Length == 0 ? Body : path.ToString();
    }

    private static Dictionary<string, string[]> One(string field, string message) => new() { [field] = [message] };

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex("^Required parameter \"[^\"]* [^ \"]+\" was not provided from body\\.$")]
    private static partial Regex BodyMissing();

    [GeneratedRegex("^(?:Failed to bind parameter \"[^\"]* (?<name>[^ \"]+)\" from|(?<required>Required) parameter \"[^\"]* (?<name>[^ \"]+)\" was not provided)")]
    private static partial Regex ParameterFailure();
}
