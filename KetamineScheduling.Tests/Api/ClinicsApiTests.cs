using System.Net;
using System.Net.Http.Json;

namespace KetamineScheduling.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class ClinicsApiTests(ApiFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    [Fact]
    public async Task Creating_a_clinic_returns_201_with_its_id_and_location()
    {
        using var response = await client.PostAsJsonAsync("/v1/clinics", new
        {
            name = "Riverside",
            timeZone = "Europe/London",
            openingHours = new[] { new { day = "Monday", opens = "08:00", closes = "17:00" } },
            closedDates = new[] { "2027-12-25" },
        });

        var clinic = await ClinicDriver.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/v1/clinics/{clinic["id"]}", response.Headers.Location?.OriginalString);
        Assert.Equal("Europe/London", (string)clinic["timeZone"]!);
        Assert.Equal("08:00", (string)clinic["openingHours"]![0]!["opens"]!);
        Assert.Equal("2027-12-25", (string)clinic["closedDates"]![0]!);
        var fetched = await new ClinicDriver(client).GetAsync($"/v1/clinics/{clinic["id"]}");
        Assert.Equal("Riverside", (string)fetched["name"]!);
    }

    [Theory]
    [InlineData("""{"name":"X","timeZone":"Mars/Olympus","openingHours":[{"day":"Monday","opens":"08:00","closes":"17:00"}]}""", "timeZone")]
    [InlineData("""{"name":"X","timeZone":"Europe/London","openingHours":[{"day":"Monday","opens":"17:00","closes":"08:00"}]}""", "openingHours[0].closes")]
    [InlineData("""{"name":"X","timeZone":"Europe/London","openingHours":[{"day":"Funday","opens":"08:00","closes":"17:00"}]}""", "openingHours[0].day")]
    [InlineData("""{"name":"X","timeZone":"Europe/London","openingHours":[{"day":"Monday","opens":"08:00","closes":"17:00"}],"closedDates":["2026-02-30"]}""", "closedDates[0]")]
    [InlineData("""{"name":"X","timeZone":"Europe/London","openingHours":[{"day":"Monday","opens":"08:00","closes":"17:00"}],"colour":"red"}""", "colour")]
    [InlineData("""{"name":"X","timeZone":"Europe/London","openingHours":[{"day":"Monday","opens":"08:00","closes":"17:00"}],"slotMinutes":7}""", "slotMinutes")]
    [InlineData("""{"name":"","timeZone":"Europe/London","openingHours":[{"day":"Monday","opens":"08:00","closes":"17:00"}]}""", "name")]
    public async Task A_bad_clinic_is_a_400_problem_naming_the_field(string body, string field)
    {
        using var response = await client.PostAsync("/v1/clinics", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"errors should name {field}: {problem}");
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        using var response = await client.PostAsync("/v1/clinics", new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json"));

        await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_a_413_problem()
    {
        var huge = new string('x', 1_100_000);
        using var response = await client.PostAsync("/v1/clinics", new StringContent($"{{\"name\":\"{huge}\"}}", System.Text.Encoding.UTF8, "application/json"));

        await ClinicDriver.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task An_unknown_clinic_is_a_404_problem()
    {
        using var response = await client.GetAsync($"/v1/clinics/{Guid.NewGuid()}");

        await ClinicDriver.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_closed_date_can_be_added_and_removed_and_lists_sessions_to_move()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        var session = await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start = "2027-03-02T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);

        var closed = await clinic.PostAsync($"{clinic.Base}/closed-dates", new { date = "2027-03-02", reason = "Snow" }, HttpStatusCode.Created);
        Assert.Equal((string)session["id"]!, (string)closed["sessionsToReschedule"]![0]!);
        await clinic.PostAsync($"{clinic.Base}/closed-dates", new { date = "2027-03-02" }, HttpStatusCode.Conflict);
        Assert.Contains("2027-03-02", (await clinic.GetAsync(clinic.Base))["closedDates"]!.AsArray().Select(d => (string)d!));

        using var removed = await clinic.Client.DeleteAsync($"{clinic.Base}/closed-dates/2027-03-02");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Empty((await clinic.GetAsync(clinic.Base))["closedDates"]!.AsArray());
    }
}
