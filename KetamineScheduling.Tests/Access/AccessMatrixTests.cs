using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Webhooks;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using KetamineScheduling.Tests.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KetamineScheduling.Tests.Access;

/// <summary>
/// Every /v1 and /fhir route the app maps, called by every role: with this clinic's ids, another clinic's, and (for a
/// patient's app) another patient's. The routes come from the app's endpoint data source, so a new route fails
/// here until its roles are written into <see cref="Routes"/>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class AccessMatrixTests(ApiFactory factory)
{
    private const string PlatformAdmin = "platform-admin";
    private const string ClinicAdmin = "clinic-admin";
    private const string Integration = "integration";
    private const string Scheduler = "scheduler";
    private const string Clinician = "clinician";
    private const string PatientApp = "patient-app";
    private static readonly string[] Staff = [ClinicAdmin, Integration, Scheduler];
    private static readonly string[] Readers = [.. Staff, Clinician];
    private static readonly string[] AllRoles = [PlatformAdmin, .. Staff, Clinician, PatientApp];

    /// <summary>The roles each route allows, by the route's name, and what a request needs beyond the route's ids.</summary>
    private static readonly Dictionary<string, Route> Routes = new()
    {
        ["CreateClinic"] = new([PlatformAdmin], Body: _ => new { name = "Matrix", timeZone = "Europe/London", openingHours = new[] { new { day = "Monday", opens = "08:00", closes = "17:00" } } }),
        ["ListClinics"] = new([PlatformAdmin]),
        ["GetClinic"] = new([PlatformAdmin, .. Readers]),
        ["UpdateClinic"] = new([PlatformAdmin, ClinicAdmin], Body: _ => new { name = "Matrix clinic" }),
        ["AddClosedDate"] = new([ClinicAdmin], Body: _ => new { date = "2027-08-30" }),
        ["RemoveClosedDate"] = new([ClinicAdmin]),
        ["CreateChair"] = new([ClinicAdmin], Body: _ => new { name = "Matrix chair" }),
        ["ListChairs"] = new(Staff),
        ["GetChair"] = new(Staff),
        ["UpdateChair"] = new([ClinicAdmin], Body: _ => new { inService = true }),
        ["CreatePatient"] = new([ClinicAdmin, Integration], Body: _ => new { externalId = Guid.NewGuid().ToString("N"), displayName = "Matrix Patient" }),
        ["ListPatients"] = new(Readers),
        ["GetPatient"] = new(Readers),
        ["UpdatePatient"] = new([ClinicAdmin, Integration], Body: _ => new { displayName = "Matrix Patient" }),
        ["CreateTreatmentPlan"] = new([ClinicAdmin, Integration], Body: ids => new { patientId = ids.Patient, startDate = "2027-03-01", preferredStartTime = "10:00" }),
        ["ListTreatmentPlans"] = new([.. Readers, PatientApp], Query: "?patientId={patientId}"),
        ["GetTreatmentPlan"] = new([.. Readers, PatientApp]),
        ["BookTreatmentPlan"] = new(Staff),
        ["HoldTreatmentPlan"] = new([ClinicAdmin, Integration]),
        ["ResumeTreatmentPlan"] = new([ClinicAdmin, Integration]),
        ["DiscontinueTreatmentPlan"] = new([ClinicAdmin, Integration]),
        ["RecordAssessment"] = new([Integration, Clinician, PatientApp], Body: _ => new { instrument = "phq9", answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 0 } }),
        ["ListAssessments"] = new([ClinicAdmin, Integration, Clinician, PatientApp], Query: "?instrument=phq9"),
        ["RetractAssessment"] = new([ClinicAdmin, Integration, Clinician], Body: _ => new { reason = "Matrix" }),
        ["GetTreatmentPlanCourse"] = new([ClinicAdmin, Integration, Clinician]),
        ["PlanTreatmentPlanMaintenance"] = new([ClinicAdmin, Integration, Clinician], Body: _ => new { sessions = 2, intervalDays = 28 }),
        ["DecideTreatmentPlanIntake"] = new([ClinicAdmin, Integration, Clinician], Body: ids => new
        {
            prescriberId = ids.Staff, historyReviewed = true, medicationsReviewed = true, consentSignedOn = "2027-01-04", contraindications = Array.Empty<string>(), decision = "approved",
        }),
        ["PutPriceList"] = new([ClinicAdmin], Body: _ => PriceList),
        ["GetPriceList"] = new(Staff),
        ["GetTreatmentPlanEstimate"] = new([.. Staff, PatientApp]),
        ["CreateQuote"] = new(Staff),
        ["GetQuote"] = new([.. Staff, PatientApp]),
        ["GetUtilizationReport"] = new([ClinicAdmin, Scheduler], Query: "?from=2027-05-03&to=2027-05-09"),
        ["GetUtilizationHeatMap"] = new([ClinicAdmin, Scheduler], Query: "?from=2027-05-03&to=2027-05-09"),
        ["GetTreatmentOutcomesReport"] = new([ClinicAdmin, Scheduler], Query: "?from=2027-05-03&to=2027-05-09"),
        ["BookSession"] = new(Staff, Body: ids => new { patientId = ids.Patient, chairId = ids.Chair, start = "2027-06-01T10:00", infusionMinutes = 40 }),
        ["CreateReservation"] = new(Staff, Body: ids => new { patientId = ids.Patient, chairId = ids.Chair, start = "2027-06-02T10:00", infusionMinutes = 40 }),
        ["GetReservation"] = new([.. Staff, PatientApp]),
        ["ReleaseReservation"] = new(Staff),
        ["AddWaitlistEntry"] = new(Staff, Body: ids => new { patientId = ids.Patient, earliestDate = "2027-06-07", latestDate = "2027-06-07", earliestTime = "10:00", latestTime = "10:00", infusionMinutes = 40 }),
        ["ListWaitlist"] = new(Staff),
        ["RemoveWaitlistEntry"] = new(Staff),
        ["AcceptWaitlistOffer"] = new(Staff),
        ["ListSessionsOnDate"] = new(Readers, Query: "?date=2027-05-03&chairId={chairId}"),
        ["GetSession"] = new([.. Readers, PatientApp]),
        ["RescheduleSession"] = new(Staff, Body: _ => new { start = "2027-05-04T10:00" }),
        ["CancelSession"] = new([.. Staff, PatientApp], Body: _ => new { reason = "Matrix" }),
        ["CheckInSession"] = new(Staff),
        ["CompleteSession"] = new(Readers),
        ["MarkSessionNoShow"] = new(Staff),
        ["RecordSessionReadiness"] = new([ClinicAdmin, Integration, Clinician], Body: _ => new { fastingHours = 6, rideHomeArranged = true, vitals = new { systolic = 120, diastolic = 80, heartRate = 70, spo2 = 98 }, weightKg = 70 }),
        ["StartSessionInfusion"] = new([ClinicAdmin, Integration, Clinician], Body: _ => new { doseMgPerKg = 0.5 }),
        ["ListUpcomingSessions"] = new([.. Readers, PatientApp]),
        ["CreateStaff"] = new([ClinicAdmin, Integration], Body: _ => new { name = "Matrix Prescriber", kinds = new[] { "prescriber" } }),
        ["ListStaff"] = new(Readers, Query: "?kind=prescriber"),
        ["GetStaff"] = new(Readers),
        ["UpdateStaff"] = new([ClinicAdmin, Integration], Body: _ => new { name = "Matrix Prescriber" }),
        ["CreateShift"] = new(Staff, Body: _ => new { date = "2027-05-04", starts = "08:00", ends = "12:00" }),
        ["ListShifts"] = new(Readers, Query: "?date=2027-05-03"),
        ["DeleteShift"] = new(Staff),
        ["GetAvailability"] = new(Staff, Query: "?date=2027-05-03&infusionMinutes=40&chairId={chairId}"),
        ["CreateApiKey"] = new([PlatformAdmin, ClinicAdmin], Body: ids => new { name = "Matrix", role = PatientApp, patientId = ids.Patient }),
        ["ListApiKeys"] = new([PlatformAdmin, ClinicAdmin]),
        ["RevokeApiKey"] = new([PlatformAdmin, ClinicAdmin]),
        ["ListMyUpcomingSessions"] = new([PatientApp]),
        ["ListAuditEvents"] = new([ClinicAdmin], Query: "?patientId={patientId}"),
        ["ListEvents"] = new([ClinicAdmin, Integration]),
        ["CreateWebhook"] = new([ClinicAdmin, Integration], Body: _ => new { url = "https://127.0.0.1/matrix" }),
        ["ListWebhooks"] = new([ClinicAdmin, Integration]),
        ["GetWebhook"] = new([ClinicAdmin, Integration]),
        ["DeleteWebhook"] = new([ClinicAdmin, Integration]),
        ["ListWebhookDeliveries"] = new([ClinicAdmin, Integration]),
        ["CreateCalendarFeed"] = new([.. Staff, PatientApp]),
        ["ListCalendarFeeds"] = new([.. Staff, PatientApp]),
        ["RevokeCalendarFeed"] = new([.. Staff, PatientApp]),

        // The token in the path is the credential: a phone sends no key, and whatever key a caller sends changes nothing.
        ["FetchCalendarFeed"] = new(AllRoles, Anonymous: true),

        // FHIR R4: the key names the clinic, so another clinic's ids appear only in the path, the query and the body.
        ["FhirCapabilityStatement"] = new(AllRoles, Anonymous: true),
        ["FhirReadPatient"] = new([.. Readers, PatientApp]),
        ["FhirSearchPatient"] = new([.. Readers, PatientApp], Query: "?identifier=MRN"),
        ["FhirReadLocation"] = new(Staff),
        ["FhirSearchLocation"] = new(Staff),
        ["FhirReadSchedule"] = new(Staff),
        ["FhirSearchSchedule"] = new(Staff, Query: "?actor=Location/{chairId}"),
        ["FhirSearchSlot"] = new(Staff, Query: "?schedule=Schedule/{chairId}&start=ge2027-05-03&start=lt2027-05-04"),
        ["FhirReadAppointment"] = new([.. Readers, PatientApp]),
        ["FhirSearchAppointment"] = new([.. Readers, PatientApp], Query: "?patient=Patient/{patientId}"),
        ["FhirFindAppointments"] = new(Staff, Body: ids => new
        {
            resourceType = "Parameters",
            parameter = new object[]
            {
                new { name = "start", valueDateTime = "2027-05-04T08:00:00+01:00" },
                new { name = "end", valueDateTime = "2027-05-04T12:00:00+01:00" },
                new { name = "patient-reference", valueReference = new { reference = $"Patient/{ids.Patient}" } },
                new { name = "location-reference", valueReference = new { reference = $"Location/{ids.Chair}" } },
            },
        }),
        ["FhirHoldAppointment"] = new(Staff, Body: ids => FhirAppointment(ids, "2027-05-05T10:00:00+01:00")),
        ["FhirBookAppointment"] = new(Staff, Body: ids => FhirAppointment(ids, "2027-05-06T10:00:00+01:00")),
        ["FhirReadPractitioner"] = new(Readers),
        ["FhirSearchPractitioner"] = new(Readers, Query: "?active=true"),
        ["FhirReadObservation"] = new([ClinicAdmin, Integration, Clinician, PatientApp]),
        ["FhirSearchObservation"] = new([ClinicAdmin, Integration, Clinician, PatientApp], Query: "?patient=Patient/{patientId}"),
        ["FhirReadCarePlan"] = new([.. Readers, PatientApp]),
        ["FhirSearchCarePlan"] = new([.. Readers, PatientApp], Query: "?patient=Patient/{patientId}"),
    };

    /// <summary>The Parameters of $hold and $book: a proposed Appointment of the patient on the chair.</summary>
    private static object FhirAppointment(Ids ids, string start) => new
    {
        resourceType = "Parameters",
        parameter = new[]
        {
            new
            {
                name = "appointment-resource",
                resource = new
                {
                    resourceType = "Appointment",
                    status = "proposed",
                    start,
                    minutesDuration = 70,
                    participant = new[]
                    {
                        new { actor = new { reference = $"Patient/{ids.Patient}" }, status = "needs-action" },
                        new { actor = new { reference = $"Location/{ids.Chair}" }, status = "needs-action" },
                    },
                },
            },
        },
    };

    private static object PriceList => new { currency = "USD", sessionPrices = new { induction = "450.00", maintenance = "400.00", booster = "500.00" } };

    [Fact]
    public void Every_route_under_v1_has_its_roles_in_the_matrix()
    {
        var mapped = MappedRoutes().Select(r => r.Name).ToList();

        Assert.Empty(mapped.Except(Routes.Keys));
        Assert.Empty(Routes.Keys.Except(mapped));
    }

    [Fact]
    public async Task Every_route_answers_each_role_and_hides_other_clinics_and_other_patients()
    {
        var (clients, mine, otherPatient, otherClinic) = await ArrangeAsync();
        var failures = new List<string>();

        foreach (var (name, method, pattern) in MappedRoutes())
        {
            var route = Routes[name];
            var own = Request(method, pattern, route, mine);
            await ExpectAsync(failures, name, "no key", clients[""], own, route.Anonymous ? null : HttpStatusCode.Unauthorized);
            foreach (var role in AllRoles)
            {
                var allowed = route.Roles.Contains(role);
                await ExpectAsync(failures, name, role, clients[role], own, allowed ? null : HttpStatusCode.Forbidden);
                if (route.Anonymous)
                {
                    // Nothing in its path names a clinic or a patient for a key to be confined to.
                    continue;
                }

                // The whole request in the other clinic, then this clinic's path with the other clinic's ids in it.
                // A platform admin belongs to no clinic, so only the second applies to it.
                var variants = new[] { (role != PlatformAdmin, otherClinic), (true, otherClinic with { Label = "another clinic's ids in its own path", Clinic = mine.Clinic }) };
                if (role == PatientApp)
                {
                    variants = [.. variants, (true, otherPatient)];
                }

                foreach (var (applies, ids) in variants)
                {
                    var other = Request(method, pattern, route, ids);
                    if (applies && ids.All.Except(mine.All).Any(other.Mentions))
                    {
                        await ExpectAsync(failures, name, $"{role} with {ids.Label}", clients[role], other, allowed ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden);
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>A clinic with a patient and another patient, each with a plan and a session, a second clinic likewise, and a client per role.</summary>
    private async Task<(Dictionary<string, HttpClient> Clients, Ids Mine, Ids OtherPatient, Ids OtherClinic)> ArrangeAsync()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync(patientsMayCancel: true);
        var mine = await SeedAsync(clinic, "this clinic");
        var otherPatient = await SeedAsync(clinic, "another patient") with { Chair = mine.Chair };
        var otherClinic = await SeedAsync(await new ClinicDriver(factory.NewClient()).CreateClinicAsync(), "another clinic");
        var clients = new Dictionary<string, HttpClient>
        {
            [""] = factory.NewClient(key: null),
            [PlatformAdmin] = factory.NewClient(),
            [ClinicAdmin] = clinic.Client,
            [Integration] = await clinic.ClientForAsync(Integration),
            [Scheduler] = await clinic.ClientForAsync(Scheduler),
            [Clinician] = await clinic.ClientForAsync(Clinician),
            [PatientApp] = await clinic.ClientForAsync(PatientApp, mine.Patient),
        };
        return (clients, mine, otherPatient, otherClinic);
    }

    private async Task<Ids> SeedAsync(ClinicDriver clinic, string label)
    {
        var chair = await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        var plan = await clinic.AddPlanAsync(patient, "2027-03-01");
        var session = await clinic.PostAsync(
            $"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start = label == "another patient" ? "2027-05-03T13:00" : "2027-05-03T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        var (key, _) = await clinic.IssueKeyAsync(Scheduler);
        if (label != "another patient")
        {
            using var prices = await clinic.Client.PutAsJsonAsync($"{clinic.Base}/price-list", PriceList);
            await ClinicDriver.ReadAsync(prices, HttpStatusCode.Created);
        }

        var quote = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/quotes", null, HttpStatusCode.Created);
        var waitlist = await clinic.PostAsync(
            $"{clinic.Base}/waitlist", new { patientId = patient, earliestDate = "2027-06-08", latestDate = "2027-06-08", earliestTime = "10:00", latestTime = "10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        var reservation = await clinic.PostAsync(
            $"{clinic.Base}/reservations", new { patientId = patient, chairId = chair, start = label == "another patient" ? "2027-05-03T15:00" : "2027-05-03T12:00", infusionMinutes = 40, ttlSeconds = 1800 }, HttpStatusCode.Created);

        // Two feeds: the one the matrix revokes, and the one whose token it fetches.
        var feeds = $"{clinic.Base}/patients/{patient}/calendar-feeds";
        var feed = (string)(await clinic.PostAsync(feeds, null, HttpStatusCode.Created))["id"]!;
        var url = (string)(await clinic.PostAsync(feeds, null, HttpStatusCode.Created))["url"]!;
        var token = url[(url.LastIndexOf('/') + 1)..^".ics".Length];
        var staff = (string)(await clinic.PostAsync($"{clinic.Base}/staff", new { name = "Matrix Nurse", kinds = new[] { "nurse" } }, HttpStatusCode.Created))["id"]!;
        var shift = (string)(await clinic.PostAsync($"{clinic.Base}/staff/{staff}/shifts", new { date = "2027-05-03", starts = "08:00", ends = "17:00" }, HttpStatusCode.Created))["id"]!;
        var ehr = clinic.WithKey((await clinic.IssueKeyAsync(Integration)).Key);
        var assessment = (string)(await ehr.PostAsync($"{clinic.Base}/patients/{patient}/assessments", new { instrument = "gad7", answers = new[] { 1, 1, 1, 1, 1, 1, 1 } }, HttpStatusCode.Created))["id"]!;
        return new Ids(label, clinic.ClinicId, chair, patient, (string)plan["id"]!, (string)session["id"]!, key, await AddWebhookAsync(clinic), feed, token, (string)quote["id"]!, staff, assessment, (string)reservation["id"]!, (string)waitlist["id"]!, shift);
    }

    /// <summary>
    /// A webhook written straight into the database: the API accepts only public https targets, and the matrix
    /// must not send deliveries anywhere, so it names a loopback address the delivery worker also refuses.
    /// </summary>
    private async Task<string> AddWebhookAsync(ClinicDriver clinic)
    {
        var id = Guid.CreateVersion7();
        await using var db = new Database(DatabaseProvider.Sqlite, $"Data Source={factory.DatabasePath}");
        await db.WriteAsync(async (connection, transaction) =>
        {
            await WebhookStore.InsertAsync(connection, transaction, Guid.Parse(clinic.ClinicId), id, "https://127.0.0.1/matrix", null, "whsec_bWF0cml4bWF0cml4bWF0cml4bWF0cml4", factory.Clock.GetCurrentInstant());
            return 0;
        }, CancellationToken.None);
        return id.ToString();
    }

    private static async Task ExpectAsync(List<string> failures, string name, string who, HttpClient client, MatrixRequest request, HttpStatusCode? expected)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.Body is { } body)
        {
            message.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(message);
        var status = response.StatusCode;
        var ok = expected switch
        {
            null => status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound),
            HttpStatusCode.Unauthorized => status == expected && response.Headers.WwwAuthenticate.Count > 0,
            _ => status == expected,
        };
        if (!ok)
        {
            failures.Add($"{name} by {who}: {request.Method} {request.Url} answered {(int)status}, expected {(expected is { } e ? (int)e : "neither 401, 403 nor 404")}");
        }
    }

    private static MatrixRequest Request(string method, string pattern, Route route, Ids ids)
    {
        var url = RouteParameter().Replace(pattern + route.Query, m => ids.Value(m.Groups["name"].Value));
        var body = route.Body?.Invoke(ids) is { } value ? JsonSerializer.Serialize(value) : null;
        return new MatrixRequest(method, url, body);
    }

    private IEnumerable<(string Name, string Method, string Pattern)> MappedRoutes() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/v1/", StringComparison.Ordinal) || e.RoutePattern.RawText!.StartsWith("/fhir/", StringComparison.Ordinal))
            .Select(e => (
                e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? e.DisplayName!,
                // A GET that also answers HEAD (the calendar feed) is walked as its GET.
                e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single(m => m != "HEAD"),
                e.RoutePattern.RawText!));

    [GeneratedRegex(@"\{(?<name>\w+)(:\w+)?\}")]
    private static partial Regex RouteParameter();

    /// <summary>The roles a route allows, what it needs beyond its ids, and whether it needs no key at all, so that every caller, keyless or not, gets through.</summary>
    private sealed record Route(string[] Roles, string Query = "", Func<Ids, object>? Body = null, bool Anonymous = false);

    private sealed record MatrixRequest(string Method, string Url, string? Body)
    {
        public bool Mentions(string id) => Url.Contains(id, StringComparison.Ordinal) || Body?.Contains(id, StringComparison.Ordinal) == true;
    }

    /// <summary>The ids a request's route values, query and body are filled from; the body's ids too.</summary>
    private sealed record Ids(string Label, string Clinic, string Chair, string Patient, string Plan, string Session, string Key, string Webhook, string Feed, string FeedToken, string Quote, string Staff, string Assessment, string Reservation, string WaitlistEntry, string Shift)
    {
        public string[] All => [Clinic, Chair, Patient, Plan, Session, Key, Webhook, Feed, FeedToken, Quote, Staff, Assessment, Reservation, WaitlistEntry, Shift];

        public string Value(string routeValue) => routeValue switch
        {
            "clinicId" => Clinic,
            "chairId" => Chair,
            "patientId" => Patient,
            "planId" => Plan,
            "sessionId" => Session,
            "keyId" => Key,
            "webhookId" => Webhook,
            "feedId" => Feed,
            "feedToken" => FeedToken,
            "quoteId" => Quote,
            "staffId" => Staff,
            "assessmentId" => Assessment,
            "reservationId" => Reservation,
            "entryId" => WaitlistEntry,
            "shiftId" => Shift,
            "date" => "2027-08-30",
            _ => throw new InvalidOperationException($"The matrix does not know how to fill {{{routeValue}}}; add it to Ids.Value."),
        };
    }
}
