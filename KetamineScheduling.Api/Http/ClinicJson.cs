using System.Text.Json;
using System.Text.Json.Serialization;
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

    /// <summary>Applies the API's JSON rules to <paramref name="options"/>.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowTrailingCommas = false;
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.ConfigureForNodaTime(new NodaJsonSettings(DateTimeZoneProviders.Tzdb)
        {
            LocalTimeConverter = new NodaPatternConverter<LocalTime>(LocalTime),
            LocalDateTimeConverter = new NodaPatternConverter<LocalDateTime>(LocalDateTime),
            OffsetDateTimeConverter = new NodaPatternConverter<OffsetDateTime>(OffsetDateTime),
        });
        return options;
    }
}
