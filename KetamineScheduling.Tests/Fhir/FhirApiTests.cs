using System.Net;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Fhir;

/// <summary>The FHIR API as an EHR uses it: the same keys and clinic scope, FHIR's media type, and its searches.</summary>
[Collection(FhirCollection.Name)]
public sealed class FhirApiTests(ApiFactory factory)
{
    [Fact]
    public async Task A_read_is_FHIR_JSON_with_its_version_last_change_and_a_weak_ETag()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync("MRN-READ", "A. Patient");

        using var response = await clinic.Client.GetAsync($"/fhir/r4/Patient/{patient}?_format=json");
        var json = FhirDriver.Json(await FhirDriver.ReadAsync(response, HttpStatusCode.OK));

        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        Assert.Equal("1", (string)json["meta"]!["versionId"]!);
        Assert.NotNull((string?)json["meta"]!["lastUpdated"]);
        Assert.Equal("MRN-READ", (string)json["identifier"]![0]!["value"]!);
        Assert.Equal("A. Patient", (string)json["name"]![0]!["text"]!);

        // A FHIR read of a patient's data is in the patient's audit trail, as a /v1 read is.
        var trail = await clinic.GetAsync($"{clinic.Base}/audit-events?patientId={patient}");
        Assert.Contains(trail["items"]!.AsArray(), e => (string)e!["action"]! == "FhirReadPatient" && (string)e["outcome"]! == "succeeded");
    }

    [Fact]
    public async Task Failures_are_OperationOutcomes_with_their_status()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        using var anonymous = ClinicDriver.NewClient(clinic.Client.BaseAddress!, null);

        // No key: 401 with its challenge; a platform admin reads no patient data: 403; nothing there: 404.
        using var unauthorized = await anonymous.GetAsync("/fhir/r4/Patient");
        Assert.Equal("login", Code(await FhirDriver.ReadAsync(unauthorized, HttpStatusCode.Unauthorized)));
        Assert.NotEmpty(unauthorized.Headers.WwwAuthenticate);
        Assert.Equal("forbidden", Code(await FhirDriver.GetAsync(factory.NewClient(), "/fhir/r4/Patient", HttpStatusCode.Forbidden)));
        Assert.Equal("not-found", Code(await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Appointment/{Guid.NewGuid()}", HttpStatusCode.NotFound)));
        Assert.Equal("not-found", Code(await FhirDriver.GetAsync(clinic.Client, "/fhir/r4/Appointment/not-an-id", HttpStatusCode.NotFound)));

        // A parameter the search does not support, or cannot read, is named.
        var invalid = FhirDriver.Json(await FhirDriver.GetAsync(clinic.Client, "/fhir/r4/Appointment?name=x&date=tomorrow", HttpStatusCode.BadRequest));
        Assert.Equal(["date", "name"], invalid["issue"]!.AsArray().Select(i => (string)i!["expression"]![0]!).Order());

        // XML is not served.
        Assert.Equal("not-supported", Code(await FhirDriver.GetAsync(clinic.Client, "/fhir/r4/metadata?_format=xml", HttpStatusCode.NotAcceptable)));
    }

    [Fact]
    public async Task A_key_over_its_rate_limit_gets_a_429_OperationOutcome()
    {
        using var limited = ApiFactory.With(settings: new Dictionary<string, string?> { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "2" });
        var clinic = await new ClinicDriver(limited.NewClient()).CreateClinicAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await clinic.Client.GetAsync("/fhir/r4/Location");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("throttled", Code(await FhirDriver.ReadAsync(response, HttpStatusCode.TooManyRequests)));
                Assert.NotNull(response.Headers.RetryAfter);
                return;
            }
        }

        Assert.Fail($"No 429 in {string.Join(", ", statuses)}.");
    }

    [Fact]
    public async Task The_capability_statement_needs_no_key_and_lists_what_is_served()
    {
        using var anonymous = ClinicDriver.NewClient(factory.NewClient().BaseAddress!, null);

        var statement = FhirDriver.Json(await FhirDriver.GetAsync(anonymous, "/fhir/r4/metadata"));

        Assert.Equal("instance", (string)statement["kind"]!);
        Assert.Equal("4.0.1", (string)statement["fhirVersion"]!);
        var resources = statement["rest"]![0]!["resource"]!.AsArray();
        Assert.Equal(["Appointment", "CarePlan", "Location", "Observation", "Patient", "Practitioner", "Schedule", "Slot"], resources.Select(r => (string)r!["type"]!).Order());
        var appointment = resources.Single(r => (string)r!["type"]! == "Appointment")!;
        Assert.Equal(["date", "location", "patient", "status"], appointment["searchParam"]!.AsArray().Select(p => (string)p!["name"]!).Order());
        Assert.Equal(["find", "hold", "book"], appointment["operation"]!.AsArray().Select(o => (string)o!["name"]!));
    }

    [Fact]
    public async Task Another_clinics_records_and_another_patients_answer_404_as_the_JSON_API_does()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var other = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var neighbour = await clinic.AddPatientAsync();
        var chair = await clinic.AddChairAsync();
        var session = (string)(await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start = "2027-03-01T10:00", infusionMinutes = 40 }, HttpStatusCode.Created))["id"]!;
        var theirs = (string)(await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = neighbour, chairId = chair, start = "2027-03-01T13:00", infusionMinutes = 40 }, HttpStatusCode.Created))["id"]!;
        var plan = (string)(await clinic.AddPlanAsync(patient, "2027-04-05"))["id"]!;
        var app = await clinic.ClientForAsync("patient-app", patient);

        foreach (var path in new[] { $"/fhir/r4/Patient/{patient}", $"/fhir/r4/Appointment/{session}", $"/fhir/r4/CarePlan/{plan}", $"/fhir/r4/Location/{chair}", $"/fhir/r4/Appointment?patient=Patient/{patient}" })
        {
            await FhirDriver.GetAsync(other.Client, path, HttpStatusCode.NotFound);
        }

        await FhirDriver.GetAsync(app, $"/fhir/r4/Appointment/{theirs}", HttpStatusCode.NotFound);
        await FhirDriver.GetAsync(app, $"/fhir/r4/Patient/{neighbour}", HttpStatusCode.NotFound);
        await FhirDriver.GetAsync(app, $"/fhir/r4/Appointment?patient=Patient/{neighbour}", HttpStatusCode.NotFound);

        // Searching without naming a patient, an app finds its own patient's records only.
        Assert.Equal([session], FhirDriver.Ids(FhirDriver.Json(await FhirDriver.GetAsync(app, "/fhir/r4/Appointment"))));
        Assert.Equal([patient], FhirDriver.Ids(FhirDriver.Json(await FhirDriver.GetAsync(app, "/fhir/r4/Patient"))));
        Assert.Equal([plan], FhirDriver.Ids(FhirDriver.Json(await FhirDriver.GetAsync(app, "/fhir/r4/CarePlan"))));
        await FhirDriver.GetAsync(app, "/fhir/r4/Location", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Paging_through_next_links_returns_every_appointment_once()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        await clinic.AddChairAsync();
        var booked = await clinic.BookPlanAsync(patient, inductionSessions: 5);
        var expected = booked["sessions"]!.AsArray().Select(s => (string)s!["session"]!["id"]!).ToList();

        var seen = new List<string>();
        var next = $"/fhir/r4/Appointment?patient=Patient/{patient}&_count=2&_sort=date";
        while (next is not null)
        {
            var page = FhirDriver.Json(await FhirDriver.GetAsync(clinic.Client, next));
            Assert.Equal(expected.Count, (int)page["total"]!);
            seen.AddRange(FhirDriver.Ids(page));
            var link = page["link"]!.AsArray().FirstOrDefault(l => (string)l!["relation"]! == "next");
            next = link is null ? null : new Uri((string)link["url"]!).PathAndQuery;
        }

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task An_appointment_runs_from_the_infusion_to_the_end_of_observation_with_the_clinics_offset()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync(timeZone: "America/New_York");
        var patient = await clinic.AddPatientAsync();
        var chair = await clinic.AddChairAsync();
        var plan = (string)(await clinic.AddPlanAsync(patient, "2027-07-05"))["id"]!;
        var session = await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start = "2027-03-01T10:00", infusionMinutes = 45, planId = plan }, HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/sessions/{session["id"]}/cancel", new { reason = "Snow" }, HttpStatusCode.OK);

        var appointment = FhirDriver.Json(await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Appointment/{session["id"]}"));

        Assert.Equal("cancelled", (string)appointment["status"]!);
        Assert.Equal("Snow", (string)appointment["cancelationReason"]!["text"]!);
        Assert.StartsWith("2027-03-01T10:00:00", (string)appointment["start"]!);
        Assert.EndsWith("-05:00", (string)appointment["start"]!);
        Assert.StartsWith("2027-03-01T11:15:00", (string)appointment["end"]!);
        Assert.Equal(75, (int)appointment["minutesDuration"]!);
        Assert.Equal([$"Patient/{patient}", $"Location/{chair}"], appointment["participant"]!.AsArray().Select(p => (string)p!["actor"]!["reference"]!));
        Assert.Equal($"CarePlan/{plan}", (string)appointment["supportingInformation"]![0]!["reference"]!);
        Assert.Equal($"urn:uuid:{session["id"]}", (string)appointment["identifier"]![0]!["value"]!);
    }

    [Fact]
    public async Task Appointments_are_found_by_day_range_status_and_chair()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var chair = await clinic.AddChairAsync();
        var otherChair = await clinic.AddChairAsync();
        async Task<string> BookAsync(string start, string on) =>
            (string)(await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = patient, chairId = on, start, infusionMinutes = 40 }, HttpStatusCode.Created))["id"]!;
        var monday = await BookAsync("2027-03-01T10:00", chair);
        var tuesday = await BookAsync("2027-03-02T10:00", otherChair);
        var wednesday = await BookAsync("2027-03-03T10:00", chair);
        await clinic.PostAsync($"{clinic.Base}/sessions/{wednesday}/cancel", new { reason = "Moved" }, HttpStatusCode.OK);
        async Task<List<string>> FindAsync(string query) =>
            FhirDriver.Ids(FhirDriver.Json(await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Appointment?patient={patient}&{query}")));

        Assert.Equal([tuesday], await FindAsync("date=2027-03-02"));
        Assert.Equal([tuesday, wednesday], await FindAsync("date=ge2027-03-02"));
        Assert.Equal([monday], await FindAsync("date=lt2027-03-02"));
        Assert.Equal([monday, tuesday], await FindAsync("date=le2027-03-02"));
        Assert.Equal([wednesday], await FindAsync("date=gt2027-03-02"));
        Assert.Equal([monday, tuesday], await FindAsync("date=ge2027-03-01T10:00:00Z&date=lt2027-03-03"));
        Assert.Equal([wednesday], await FindAsync("status=cancelled"));
        Assert.Equal([monday, tuesday], await FindAsync("status=booked,noshow"));
        Assert.Equal([monday, wednesday], await FindAsync($"location=Location/{chair}"));
    }

    [Fact]
    public async Task Slots_show_booked_chair_time_busy_and_the_availability_engines_starts_free()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var chair = await clinic.AddChairAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start = "2027-03-01T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        var availability = await clinic.GetAsync($"{clinic.Base}/availability?date=2027-03-01&infusionMinutes=40&chairId={chair}");

        var bundle = FhirDriver.Json(await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Slot?schedule=Schedule/{chair}&start=ge2027-03-01&start=lt2027-03-02&_count=200"));
        var slots = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).ToList();

        var busy = Assert.Single(slots, s => (string)s["status"]! == "busy");
        Assert.StartsWith("2027-03-01T10:00:00", (string)busy["start"]!);
        Assert.StartsWith("2027-03-01T11:25:00", (string)busy["end"]!);
        Assert.Equal(
            availability["items"]!.AsArray().Select(i => DateTimeOffset.Parse((string)i!["start"]!, System.Globalization.CultureInfo.InvariantCulture)),
            slots.Where(s => (string)s["status"]! == "free").Select(s => DateTimeOffset.Parse((string)s["start"]!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(slots.Count, (int)bundle["total"]!);

        await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Slot?schedule=Schedule/{chair}", HttpStatusCode.BadRequest);
        await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Slot?start=ge2027-03-01&start=lt2027-04-02", HttpStatusCode.BadRequest);
        await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Slot?schedule=Schedule/{Guid.NewGuid()}&start=ge2027-03-01&start=lt2027-03-02", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Find_proposes_free_chair_starts_where_the_patient_is_free_too()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var chair = await clinic.AddChairAsync();
        var otherChair = await clinic.AddChairAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = patient, chairId = otherChair, start = "2027-03-01T08:00", infusionMinutes = 40 }, HttpStatusCode.Created);

        var bundle = FhirDriver.Json(await FhirDriver.PostAsync(clinic.Client, "/fhir/r4/Appointment/$find", FhirDriver.Find("2027-03-01T08:00:00Z", "2027-03-01T10:00:00Z", patient, chair, count: 2)));

        // The patient is in the other chair until 09:10, so the first start offered is 09:15, then 09:30 and so on to 09:45.
        Assert.Equal("searchset", (string)bundle["type"]!);
        Assert.Equal(3, (int)bundle["total"]!);
        var offers = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).ToList();
        Assert.Equal(2, offers.Count);
        Assert.All(offers, o => Assert.Equal("proposed", (string)o["status"]!));
        Assert.StartsWith("2027-03-01T09:15:00", (string)offers[0]["start"]!);
        Assert.Equal(70, (int)offers[0]["minutesDuration"]!);

        var longer = FhirDriver.Json(await FhirDriver.PostAsync(clinic.Client, "/fhir/r4/Appointment/$find", FhirDriver.Find("2027-03-01T15:00:00Z", "2027-03-01T17:00:00Z", location: chair, minutes: 90)));
        Assert.All(longer["entry"]!.AsArray(), e => Assert.Equal(90, (int)e!["resource"]!["minutesDuration"]!));

        await FhirDriver.PostAsync(clinic.Client, "/fhir/r4/Appointment/$find", new { resourceType = "Parameters", parameter = new[] { new { name = "end", valueDateTime = "2027-03-01T10:00:00Z" } } }, HttpStatusCode.BadRequest);
        await FhirDriver.PostAsync(clinic.Client, "/fhir/r4/Appointment/$find", FhirDriver.Find("2027-03-01T08:00:00Z", "2027-03-01T10:00:00Z", Guid.NewGuid().ToString()), HttpStatusCode.NotFound);
        await FhirDriver.PostAsync(clinic.Client, "/fhir/r4/Appointment/$find", "not json", HttpStatusCode.BadRequest);
    }

    private static string Code(string outcome) => (string)FhirDriver.Json(outcome)["issue"]![0]!["code"]!;
}
