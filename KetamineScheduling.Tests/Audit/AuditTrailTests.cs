using System.Net;
using System.Text.Json.Nodes;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Tests.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KetamineScheduling.Tests.Audit;

[Collection(ApiCollection.Name)]
public sealed class AuditTrailTests(ApiFactory factory)
{
    [Fact]
    public async Task One_patients_whole_flow_is_in_the_audit_trail_with_who_did_what_refusals_included()
    {
        // Other tests of the collection may have moved the shared clock on; this one leaves it where it finds it.
        var now = factory.Clock.GetCurrentInstant();
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync(patientsMayCancel: true);
        var chair = await clinic.AddChairAsync();
        var (integrationKey, integration) = await KeyAsync(clinic, "integration");
        var (schedulerKey, scheduler) = await KeyAsync(clinic, "scheduler");

        var patient = (string)(await integration.PostAsync($"{clinic.Base}/patients", new { externalId = "MRN-AUDIT", displayName = "Audit Patient" }, HttpStatusCode.Created))["id"]!;
        var (appKey, app) = await KeyAsync(clinic, "patient-app", patient);
        var plan = (string)(await integration.AddPlanAsync(patient, inductionSessions: 3))["id"]!;
        var booked = await scheduler.PostAsync($"{clinic.Base}/treatment-plans/{plan}/book", null, HttpStatusCode.OK);
        var second = (string)booked["sessions"]![1]!["session"]!["id"]!;
        var third = (string)booked["sessions"]![2]!["session"]!["id"]!;
        await scheduler.PostAsync($"{clinic.Base}/sessions/{second}/reschedule", new { start = "2027-01-13T11:00" }, HttpStatusCode.OK);
        await app.PostAsync($"{clinic.Base}/sessions/{third}/cancel", new { reason = "Away" }, HttpStatusCode.OK);
        await app.GetAsync("/v1/me/upcoming-sessions");
        await scheduler.GetAsync($"{clinic.Base}/patients/{patient}/sessions/upcoming");
        await new ClinicDriver(factory.NewClient(key: null)).GetAsync($"{clinic.Base}/patients/{patient}", HttpStatusCode.Unauthorized);
        await scheduler.PostAsync($"{clinic.Base}/treatment-plans/{plan}/discontinue", null, HttpStatusCode.Forbidden);

        var trail = (await clinic.GetAsync($"{clinic.Base}/audit-events?patientId={patient}"))["items"]!.AsArray().Reverse().Select(e => e!.AsObject()).ToList();

        Assert.Equal(
            [
                ("CreatePatient", "patient", patient, "succeeded", integrationKey),
                ("CreateApiKey", "api_key", appKey, "succeeded", clinic.KeyId),
                ("CreateTreatmentPlan", "plan", plan, "succeeded", integrationKey),
                ("BookTreatmentPlan", "plan", plan, "succeeded", schedulerKey),
                ("RescheduleSession", "session", second, "succeeded", schedulerKey),
                ("CancelSession", "session", third, "succeeded", appKey),
                ("ListMyUpcomingSessions", "session", null, "succeeded", appKey),
                ("ListUpcomingSessions", "session", null, "succeeded", schedulerKey),
                ("GetPatient", "patient", patient, "denied", null),
            ],
            trail.Select(e => ((string)e["action"]!, (string)e["resourceType"]!, (string?)e["resourceId"], (string)e["outcome"]!, (string?)e["actor"]?["keyId"])));
        Assert.All(trail, e => Assert.Equal(patient, (string)e["patientId"]!));
        Assert.Equal("integration", (string)trail[0]["actor"]!["role"]!);
        Assert.Null(trail[8]["actor"]);
        Assert.Equal(401, (int)trail[8]["statusCode"]!);
        Assert.All(trail, e => Assert.Equal(now, NodaTime.Text.InstantPattern.ExtendedIso.Parse((string)e["occurredAt"]!).Value));

        // Refused before the route ran, so only the route's ids are known: the plan, not its patient.
        var forbidden = (await clinic.GetAsync($"{clinic.Base}/audit-events?limit=1"))["items"]![0]!;
        Assert.Equal(("DiscontinueTreatmentPlan", plan, "denied", 403, schedulerKey), ((string)forbidden["action"]!, (string)forbidden["resourceId"]!, (string)forbidden["outcome"]!, (int)forbidden["statusCode"]!, (string)forbidden["actor"]!["keyId"]!));
    }

    [Fact]
    public async Task A_read_of_several_patients_leaves_an_event_for_each()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        var first = await clinic.AddPatientAsync();
        var second = await clinic.AddPatientAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = first, chairId = chair, start = "2027-05-03T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = second, chairId = chair, start = "2027-05-03T13:00", infusionMinutes = 40 }, HttpStatusCode.Created);

        await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-05-03");

        foreach (var patient in new[] { first, second })
        {
            var trail = (await clinic.GetAsync($"{clinic.Base}/audit-events?patientId={patient}"))["items"]!.AsArray();
            Assert.Equal("ListSessionsOnDate", (string)trail[0]!["action"]!);
        }
    }

    [Fact]
    public async Task A_booking_refused_because_the_chair_is_taken_is_in_the_patients_trail()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        var first = await clinic.AddPatientAsync();
        var second = await clinic.AddPatientAsync();
        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = first, chairId = chair, start = "2027-05-03T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);

        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = second, chairId = chair, start = "2027-05-03T10:15", infusionMinutes = 40 }, HttpStatusCode.Conflict);

        var refused = (await clinic.GetAsync($"{clinic.Base}/audit-events?patientId={second}"))["items"]![0]!;
        Assert.Equal(("BookSession", "refused", 409), ((string)refused["action"]!, (string)refused["outcome"]!, (int)refused["statusCode"]!));
    }

    [Fact]
    public async Task Reads_of_clinic_settings_are_not_audited_and_the_trail_is_the_clinics_own()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var elsewhere = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        await elsewhere.AddPatientAsync();

        await clinic.GetAsync($"{clinic.Base}/chairs");
        await clinic.GetAsync(clinic.Base);

        var trail = (await clinic.GetAsync($"{clinic.Base}/audit-events"))["items"]!.AsArray();
        Assert.Equal(["CreateApiKey", "CreateClinic"], trail.Select(e => (string)e!["action"]!));
        Assert.Equal(clinic.ClinicId, (string)trail[1]!["resourceId"]!);
    }

    [Fact]
    public async Task Audit_events_come_newest_first_in_pages()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var chairs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            chairs.Add(await clinic.AddChairAsync());
        }

        var page1 = await clinic.GetAsync($"{clinic.Base}/audit-events?limit=2");
        var page2 = await clinic.GetAsync($"{clinic.Base}/audit-events?limit=2&cursor={page1["nextCursor"]}");
        var page3 = await clinic.GetAsync($"{clinic.Base}/audit-events?limit=2&cursor={page2["nextCursor"]}");

        Assert.Equal(
            [chairs[2], chairs[1], chairs[0], clinic.KeyId, clinic.ClinicId],
            new[] { page1, page2, page3 }.SelectMany(p => p["items"]!.AsArray()).Select(e => (string)e!["resourceId"]!));
        Assert.Null(page3["nextCursor"]);
    }

    [Theory]
    [InlineData("from=2026-01-01T00:00:00Z&to=2027-01-04T00:00:00Z", "to")]
    [InlineData("from=2025-01-01T00:00:00Z", "from")]
    [InlineData("from=2027-01-04T00:00:00Z&to=2027-01-03T00:00:00Z", "to")]
    [InlineData("from=yesterday", "from")]
    public async Task An_audit_query_spans_at_most_366_days_given_as_RFC_3339(string query, string field)
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();

        var problem = await clinic.GetAsync($"{clinic.Base}/audit-events?{query}", HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task An_audit_query_takes_offsets_and_leaves_out_what_is_outside_the_range()
    {
        var now = factory.Clock.GetCurrentInstant();
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var from = Uri.EscapeDataString(NodaTime.Text.OffsetDateTimePattern.Rfc3339.Format(now.WithOffset(NodaTime.Offset.FromHours(1))));
        var to = NodaTime.Text.InstantPattern.ExtendedIso.Format(now + NodaTime.Duration.FromSeconds(1));

        var inside = await clinic.GetAsync($"{clinic.Base}/audit-events?from={from}&to={to}");
        var after = await clinic.GetAsync($"{clinic.Base}/audit-events?from={to}");

        Assert.Equal(["CreateApiKey", "CreateClinic"], inside["items"]!.AsArray().Select(e => (string)e!["action"]!));
        Assert.Empty(after["items"]!.AsArray());
    }

    [Fact]
    public async Task Without_dates_an_audit_query_covers_the_last_366_days_on_a_clock_that_moves()
    {
        using var own = ApiFactory.With();
        own.Clock.AutoAdvance = NodaTime.Duration.FromMilliseconds(1);
        var clinic = await new ClinicDriver(own.NewClient()).CreateClinicAsync();

        var trail = await clinic.GetAsync($"{clinic.Base}/audit-events");

        Assert.Equal(["CreateApiKey", "CreateClinic"], trail["items"]!.AsArray().Select(e => (string)e!["action"]!));
    }

    [Fact]
    public async Task A_read_of_patient_data_is_answered_without_waiting_for_its_audit_event_which_follows_once_it_can_be_written()
    {
        using var database = new TempDatabase("audit-locked");
        using var own = ApiFactory.With(databasePath: database.Path);
        var clinic = await new ClinicDriver(own.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();

        // Another connection holds SQLite's write lock, so no audit event can be written while it does.
        HttpResponseMessage response;
        await using (await WriteLock.TakeAsync(database.Path))
        {
            response = await clinic.Client.GetAsync($"{clinic.Base}/patients/{patient}");
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var trail = await clinic.GetAsync($"{clinic.Base}/audit-events?patientId={patient}");
        Assert.Contains(trail["items"]!.AsArray(), e => (string)e!["action"]! == "GetPatient" && (string)e["outcome"]! == AuditTrail.Succeeded);
    }

    [Fact]
    public async Task A_change_that_is_rolled_back_leaves_a_refusal_and_no_success_in_the_trail()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        var (first, second) = (await clinic.AddPatientAsync(), await clinic.AddPatientAsync());
        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = first, chairId = chair, start = "2027-05-03T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);

        // The chair's claim fails inside the transaction, after the session row was inserted: all of it rolls back.
        await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = second, chairId = chair, start = "2027-05-03T10:15", infusionMinutes = 40 }, HttpStatusCode.Conflict);

        var trail = (await clinic.GetAsync($"{clinic.Base}/audit-events?patientId={second}"))["items"]!.AsArray();
        Assert.Equal([("BookSession", "refused", 409)], trail.Where(e => (string)e!["action"]! == "BookSession").Select(e => ((string)e!["action"]!, (string)e["outcome"]!, (int)e["statusCode"]!)));
    }

    [Fact]
    public void No_route_changes_or_removes_audit_events()
    {
        var audit = Endpoints().Where(e => e.RoutePattern.RawText!.Contains("audit-events", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(audit);
        Assert.All(audit, e => Assert.Equal(["GET"], e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods));
    }

    [Fact]
    public void Every_route_that_changes_something_is_audited()
    {
        var writes = Endpoints().Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single(m => m != "HEAD") != "GET").ToList();

        Assert.NotEmpty(writes);
        Assert.All(writes, e => Assert.True(e.Metadata.GetMetadata<AuditTrail.AuditedResource>() is not null, $"{e.DisplayName} is not audited"));
    }

    private IEnumerable<RouteEndpoint> Endpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/v1/", StringComparison.Ordinal));

    /// <summary>A new key of the clinic, and a driver of the same clinic whose client carries it.</summary>
    private static async Task<(string KeyId, ClinicDriver Client)> KeyAsync(ClinicDriver clinic, string role, string? patientId = null)
    {
        var (id, key) = await clinic.IssueKeyAsync(role, patientId);
        return (id, clinic.WithKey(key));
    }
}
