using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using NodaTime.Text;

namespace KetamineScheduling.Api.Http;

/// <summary>How the API reads and writes JSON: strict on the way in, RFC 3339 with offsets on the way out.</summary>
internal static class ClinicJson
{
    /// <summary>Local times as clinics write them: "08:00", or "08:00:30". Formatting uses the last pattern whose predicate holds.</summary>
    public static readonly IPattern<LocalTime> LocalTime = new CompositePatternBuilder<NodaTime.LocalTime>
    {
        { LocalTimePattern.CreateWithInvariantCulture("HH':'mm':'ss"), _ => true },
        { LocalTimePattern.CreateWithInvariantCulture("HH':'mm"), t => t.Second == 0 && t.NanosecondOfSecond == 0 },
    }.Build();

    /// <summary>Local date and time in the clinic's zone, without an offset: "2027-05-03T10:00" or with seconds.</summary>
    public static readonly IPattern<LocalDateTime> LocalDateTime = new CompositePatternBuilder<NodaTime.LocalDateTime>
    {
        { LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss"), _ => true },
        { LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm"), t => t.Second == 0 && t.NanosecondOfSecond == 0 },
    }.Build();

    /// <summary>RFC 3339 with a numeric offset, always: 2027-10-31T10:00:00+00:00, never "Z".</summary>
    public static readonly IPattern<OffsetDateTime> OffsetDateTime =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<+HH:mm>");

    /// <summary>
    /// Instants as RFC 3339 with any offset on the way in (2027-01-01T00:00:00Z, 2027-01-01T00:00:00+00:00 and
    /// 2027-01-01T01:00:00+01:00 are the same instant), and always in UTC with "Z" on the way out.
    /// </summary>
    public static readonly IPattern<Instant> Instant = new Rfc3339Instant();

    /// <summary>Applies the API's JSON rules to <paramref name="options"/>.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowTrailingCommas = false;

        // A null where the contract has no null is refused while reading, naming the field, rather than reaching a
        // handler as a NullReferenceException. Collection elements are not covered: handlers check those.
        options.RespectNullableAnnotations = true;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(StrictReading);
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.ConfigureForNodaTime(new NodaJsonSettings(DateTimeZoneProviders.Tzdb)
        {
            LocalDateConverter = new Bounded<LocalDate>(NodaConverters.LocalDateConverter, Dates.Accepts),
            LocalTimeConverter = new NodaPatternConverter<LocalTime>(LocalTime),
            LocalDateTimeConverter = new Bounded<LocalDateTime>(new NodaPatternConverter<LocalDateTime>(LocalDateTime), Dates.Accepts),
            OffsetDateTimeConverter = new Bounded<OffsetDateTime>(new NodaPatternConverter<OffsetDateTime>(OffsetDateTime), Dates.Accepts),
            InstantConverter = new Bounded<Instant>(new NodaPatternConverter<Instant>(Instant), Dates.Accepts),
        });
        return options;
    }

    /// <summary>
    /// A positional record's parameter with no default and no null in its type is required, as a <c>required</c>
    /// property is: <c>{}</c> for a reschedule is "start is required", not a session moved to 0001-01-01. Writing
    /// never refuses a null: a response is the server's to get right, and a 500 would hide the answer.
    /// </summary>
    private static void StrictReading(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (!property.PropertyType.IsValueType)
            {
                property.IsGetNullable = true;
            }

            if (property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false })
            {
                property.IsRequired = true;
            }
        }
    }

    /// <summary>Reads as <paramref name="inner"/> does, refusing a value outside <see cref="Dates"/>; writes as it does.</summary>
    private sealed class Bounded<T>(JsonConverter<T> inner, Func<T, bool> accepts) : JsonConverter<T>
        where T : struct
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = inner.Read(ref reader, typeToConvert, options);

            // The message is never shown: the problem handler describes what the field expects.
            return accepts(value) ? value : throw new JsonException($"Outside the accepted dates, {Dates.Range}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => inner.Write(writer, value, options);
    }

    /// <summary>
    /// NodaTime's instant patterns accept only "Z", but every standard serializer writes a date-time with an offset
    /// such as +00:00: read any RFC 3339 offset and keep the instant it names.
    /// </summary>
    private sealed class Rfc3339Instant : IPattern<Instant>
    {
        public ParseResult<Instant> Parse(string text) => OffsetDateTimePattern.Rfc3339.Parse(text).Convert(value => value.ToInstant());

        public string Format(Instant value) => InstantPattern.ExtendedIso.Format(value);

        public System.Text.StringBuilder AppendFormat(Instant value, System.Text.StringBuilder builder) => InstantPattern.ExtendedIso.AppendFormat(value, builder);
    }
}
