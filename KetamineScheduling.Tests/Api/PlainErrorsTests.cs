using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// A 400 names the field as a JSON path and says what it must be, in words a client developer reads: never a .NET
/// type, a parser's message or an empty <c>errors</c>. Each case here is one a client was seen to hit.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class PlainErrorsTests(ApiFactory factory)
{
    private const string Hours = """[{"day":"Monday","opens":"08:00","closes":"17:00"}]""";

    private static readonly string[] Weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    [Fact]
    public async Task An_unknown_property_is_named_as_not_a_field_of_the_request()
    {
        var clinic = await NewClinicAsync();

        var error = await ErrorAsync(clinic.Client, HttpMethod.Post, $"{clinic.Base}/chairs", """{"name":"Chair 1","colour":"red"}""", "colour");

        Assert.Contains("'colour' is not a field of this request", error);
        Assert.Contains("name", error);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("")]
    public async Task A_missing_body_says_a_json_body_is_required(string body)
    {
        var clinic = await NewClinicAsync();

        var error = await ErrorAsync(clinic.Client, HttpMethod.Post, $"{clinic.Base}/chairs", body, "$");

        Assert.Contains("A JSON body is required", error);
    }

    [Fact]
    public async Task An_unknown_status_lists_the_allowed_statuses()
    {
        var clinic = await NewClinicAsync();

        var error = await ErrorAsync(clinic.Client, HttpMethod.Get, $"{clinic.Base}/sessions?date=2027-01-04&status=Nope", null, "status");

        Assert.Equal("Must be one of Booked, CheckedIn, InInfusion, Completed, Cancelled, NoShow.", error);
    }

    [Theory]
    [InlineData("status=99", "Must be one of Booked, CheckedIn, InInfusion, Completed, Cancelled, NoShow.")]
    [InlineData("status=Booked&status=Cancelled", "Give status once. Must be one of Booked, CheckedIn, InInfusion, Completed, Cancelled, NoShow.")]
    public async Task A_status_given_by_number_or_twice_is_a_400_too(string query, string words)
    {
        var clinic = await NewClinicAsync();

        Assert.Equal(words, await ErrorAsync(clinic.Client, HttpMethod.Get, $"{clinic.Base}/sessions?date=2027-01-04&{query}", null, "status"));
    }

    [Fact]
    public async Task An_unknown_day_lists_the_seven_day_names()
    {
        var error = await ErrorAsync(factory.NewClient(), HttpMethod.Post, "/v1/clinics",
            ClinicBody("""[{"day":"Monday","opens":"08:00","closes":"17:00"},{"day":"Funday","opens":"08:00","closes":"17:00"}]"""), "openingHours[1].day");

        Assert.All(Weekdays, day => Assert.Contains(day, error));
    }

    [Fact]
    public async Task An_hour_past_23_asks_for_a_time_as_hh_mm()
    {
        var error = await ErrorAsync(factory.NewClient(), HttpMethod.Post, "/v1/clinics",
            ClinicBody("""[{"day":"Monday","opens":"08:00","closes":"17:00"},{"day":"Monday","opens":"18:00","closes":"19:00"},{"day":"Tuesday","opens":"25:00","closes":"17:00"}]"""), "openingHours[2].opens");

        Assert.Contains("a time as HH:mm", error);
    }

    [Fact]
    public async Task A_date_that_does_not_exist_asks_for_a_date_that_exists()
    {
        var clinic = await NewClinicAsync();

        var error = await ErrorAsync(clinic.Client, HttpMethod.Post, $"{clinic.Base}/closed-dates", """{"date":"2027-02-30"}""", "date");

        Assert.Contains("a date that exists, as yyyy-MM-dd", error);
    }

    [Fact]
    public async Task A_reschedule_without_start_is_a_400_saying_start_is_required()
    {
        var clinic = await NewClinicAsync();
        var session = await clinic.PostAsync($"{clinic.Base}/sessions",
            new { patientId = await clinic.AddPatientAsync(), chairId = await clinic.AddChairAsync(), start = "2027-05-03T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);

        var error = await ErrorAsync(clinic.Client, HttpMethod.Post, $"{clinic.Base}/sessions/{session["id"]}/reschedule", "{}", "start");

        Assert.Equal("Is required.", error);
    }

    [Fact]
    public async Task A_clinic_that_does_not_exist_is_not_said_to_be_in_this_clinic()
    {
        var id = Guid.NewGuid();
        using var response = await factory.NewClient().GetAsync($"/v1/clinics/{id}");

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal($"There is no clinic '{id}'.", (string)problem["detail"]!);
    }

    [Fact]
    public async Task A_charset_that_names_no_encoding_is_a_415()
    {
        var clinic = await NewClinicAsync();
        using var content = new StringContent("""{"name":"Chair 1"}""", Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json; charset=bogus");

        using var response = await clinic.Client.PostAsync($"{clinic.Base}/chairs", content);

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("UTF-8", (string)problem["detail"]!);
    }

    [Theory]
    [InlineData("\"openingHours\":null", "openingHours", "Must be a JSON array")]
    [InlineData("\"openingHours\":[null]", "openingHours[0]", "Must be an opening interval")]
    [InlineData("\"openingHours\":[{\"day\":\"Monday\",\"closes\":\"17:00\"}]", "openingHours[0].opens", "Is required")]
    [InlineData($"\"openingHours\":{Hours},\"closedDates\":null", "closedDates", "Must be a JSON array")]
    [InlineData($"\"openingHours\":{Hours},\"closedDates\":{{}}", "closedDates", "Must be a JSON array")]
    [InlineData($"\"openingHours\":{Hours},\"closedDates\":[\"9999-12-31\"]", "closedDates[0]", "from 1900-01-01 to 2200-12-31")]
    [InlineData($"\"openingHours\":{Hours},\"slotMinutes\":\"15\"", "slotMinutes", "Must be a whole number")]
    [InlineData($"\"openingHours\":{Hours},\"slotMinutes\":99999999999", "slotMinutes", "Must be a whole number")]
    public async Task A_clinic_with_a_null_or_a_wrong_shape_is_a_400_naming_the_field(string hours, string field, string words)
    {
        var error = await ErrorAsync(factory.NewClient(), HttpMethod.Post, "/v1/clinics", $$"""{"name":"X","timeZone":"Europe/London",{{hours}}}""", field);

        Assert.Contains(words, error);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"s\"")]
    [InlineData("123")]
    public async Task A_body_of_the_wrong_json_kind_asks_for_an_object(string body)
    {
        var clinic = await NewClinicAsync();

        var error = await ErrorAsync(clinic.Client, HttpMethod.Post, $"{clinic.Base}/chairs", body, "$");

        Assert.Equal("Must be a JSON object. Its field is name.", error);
    }

    [Fact]
    public async Task Text_that_is_not_json_says_where_it_breaks()
    {
        var clinic = await NewClinicAsync();

        var error = await ErrorAsync(clinic.Client, HttpMethod.Post, $"{clinic.Base}/chairs", """{"name": nope}""", "name");

        Assert.StartsWith("Is not valid JSON", error);
    }

    [Fact]
    public async Task A_missing_required_property_is_named()
    {
        var clinic = await NewClinicAsync();

        var problem = await ProblemAsync(clinic.Client, HttpMethod.Post, $"{clinic.Base}/sessions", """{"start":"2027-05-03T10:00"}""");

        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["chairId", "infusionMinutes", "patientId"], errors.Select(e => e.Key).Order());
        Assert.All(errors, e => Assert.Equal("Is required.", (string)e.Value![0]!));
    }

    [Theory]
    [InlineData("limit=abc", "Must be a whole number from 1 to 200.")]
    [InlineData("limit=1&limit=2", "Give limit once. Must be a whole number from 1 to 200.")]
    public async Task A_limit_that_is_not_one_whole_number_is_a_400(string query, string words)
    {
        var clinic = await NewClinicAsync();

        Assert.Equal(words, await ErrorAsync(clinic.Client, HttpMethod.Get, $"{clinic.Base}/patients?{query}", null, "limit"));
    }

    [Theory]
    [InlineData("2027-05-03T25:00")]
    [InlineData("9999-12-31T23:59")]
    [InlineData("0001-01-01T00:00")]
    public async Task A_start_with_an_impossible_hour_or_outside_the_accepted_dates_is_a_400(string start)
    {
        var clinic = await NewClinicAsync();
        var body = $$"""{"patientId":"{{Guid.NewGuid()}}","chairId":"{{Guid.NewGuid()}}","start":"{{start}}","infusionMinutes":40}""";

        var error = await ErrorAsync(clinic.Client, HttpMethod.Post, $"{clinic.Base}/sessions", body, "start");

        Assert.Contains("a local date and time that exists", error);
        Assert.Contains("from 1900-01-01 to 2200-12-31", error);
    }

    [Theory]
    [InlineData("closed-dates", """{"date":"9999-12-31"}""", "date")]
    [InlineData("closed-dates", """{"date":"1899-12-31"}""", "date")]
    [InlineData("closed-dates", "{}", "date")]
    [InlineData("api-keys", """{"name":"Late","role":"scheduler","expiresAt":"9999-12-31T23:59:59Z"}""", "expiresAt")]
    public async Task A_date_outside_the_accepted_range_or_missing_is_a_400(string path, string body, string field)
    {
        var clinic = await NewClinicAsync();

        await ErrorAsync(clinic.Client, HttpMethod.Post, $"{clinic.Base}/{path}", body, field);
    }

    [Theory]
    [InlineData("sessions?date=9999-12-31", "date")]
    [InlineData("availability?date=9999-12-31&infusionMinutes=40", "date")]
    [InlineData("audit-events?from=0001-01-01T00:00:00Z", "from")]
    public async Task A_query_date_outside_the_accepted_range_is_a_400(string query, string field)
    {
        var clinic = await NewClinicAsync();

        var error = await ErrorAsync(clinic.Client, HttpMethod.Get, $"{clinic.Base}/{query}", null, field);

        Assert.Contains("from 1900-01-01 to 2200-12-31", error);
    }

    [Fact]
    public async Task A_closed_date_in_the_path_outside_the_accepted_range_is_a_400()
    {
        var clinic = await NewClinicAsync();

        await ErrorAsync(clinic.Client, HttpMethod.Delete, $"{clinic.Base}/closed-dates/9999-12-31", null, "date");
    }

    [Theory]
    [InlineData("chairs", """{"name":"evil§exe"}""", "name", "\\u0000")]
    [InlineData("chairs", """{"name":"evil§exe"}""", "name", "\\u202e")]
    [InlineData("chairs", """{"name":"two§lines"}""", "name", "\\n")]
    [InlineData("patients", """{"externalId":"MRN-1","displayName":"evil§exe"}""", "displayName", "\\u202e")]
    [InlineData("patients", """{"externalId":"MRN§1","displayName":"A. Patient"}""", "externalId", "\\u0000")]
    [InlineData("api-keys", """{"name":"evil§exe","role":"scheduler"}""", "name", "\\u2066")]
    [InlineData("closed-dates", """{"date":"2027-08-30","reason":"evil§exe"}""", "reason", "\\u202e")]
    public async Task Names_and_reasons_with_control_characters_or_direction_overrides_are_a_400(string path, string body, string field, string character)
    {
        var clinic = await NewClinicAsync();

        var error = await ErrorAsync(clinic.Client, HttpMethod.Post, $"{clinic.Base}/{path}", body.Replace("§", character, StringComparison.Ordinal), field);

        Assert.Matches("control|direction", error);
    }

    [Fact]
    public async Task A_cancel_reason_may_span_lines()
    {
        var clinic = await NewClinicAsync();
        var session = await clinic.PostAsync($"{clinic.Base}/sessions",
            new { patientId = await clinic.AddPatientAsync(), chairId = await clinic.AddChairAsync(), start = "2027-05-03T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);

        await clinic.PostAsync($"{clinic.Base}/sessions/{session["id"]}/cancel", new { reason = "Unwell.\nWill call back." }, HttpStatusCode.OK);
    }

    private async Task<ClinicDriver> NewClinicAsync() => await new ClinicDriver(factory.NewClient()).CreateClinicAsync();

    private static string ClinicBody(string hours) => $$"""{"name":"X","timeZone":"Europe/London","openingHours":{{hours}}}""";

    /// <summary>The one error a 400 gives for <paramref name="field"/>, after checking the answer leaks nothing.</summary>
    private static async Task<string> ErrorAsync(HttpClient client, HttpMethod method, string path, string? body, string field)
    {
        var problem = await ProblemAsync(client, method, path, body);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"errors should name {field}: {problem}");
        return string.Join(" ", errors[field]!.AsArray().Select(m => (string)m!));
    }

    private static async Task<JsonObject> ProblemAsync(HttpClient client, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(DotNetName(), text);
        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem["errors"]!.AsObject());
        return problem;
    }

    [GeneratedRegex(@"System\.|KetamineScheduling\.|NodaTime\.|Nullable<|`1\[|Microsoft\.|Value being parsed|Path: \$|LineNumber")]
    private static partial Regex DotNetName();
}
