using System.Text.Json;
using KetamineScheduling.Api.Http;
using NodaTime;

namespace KetamineScheduling.Tests.Api;

/// <summary>Instants are declared date-time: every RFC 3339 form of one is read, and the API writes them in UTC.</summary>
public sealed class ClinicJsonTests
{
    private static readonly JsonSerializerOptions Json = ClinicJson.Configure(new JsonSerializerOptions());

    [Theory]
    [InlineData("\"2027-01-01T00:00:00Z\"")]
    [InlineData("\"2027-01-01T00:00:00+00:00\"")]
    [InlineData("\"2027-01-01T01:00:00+01:00\"")]
    [InlineData("\"2026-12-31T19:00:00-05:00\"")]
    [InlineData("\"2027-01-01T00:00:00.000Z\"")]
    public void An_instant_is_read_with_any_RFC_3339_offset(string text) =>
        Assert.Equal(Instant.FromUtc(2027, 1, 1, 0, 0), JsonSerializer.Deserialize<Instant>(text, Json));

    [Theory]
    [InlineData("\"2027-01-01T00:00:00\"")]
    [InlineData("\"2027-01-01\"")]
    [InlineData("\"2027-01-01T25:00:00Z\"")]
    public void An_instant_without_an_offset_or_with_an_impossible_time_is_refused(string text) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Instant>(text, Json));

    [Fact]
    public void An_instant_is_written_in_UTC_with_Z() =>
        Assert.Equal("\"2027-01-01T00:00:00Z\"", JsonSerializer.Serialize(Instant.FromUtc(2027, 1, 1, 0, 0), Json));
}
