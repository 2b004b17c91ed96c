using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Assessments;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.CalendarFeeds;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Course;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Fhir;
using KetamineScheduling.Api.Health;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Idempotency;
using KetamineScheduling.Api.Infusions;
using KetamineScheduling.Api.Nursing;
using KetamineScheduling.Api.OpenApi;
using KetamineScheduling.Api.Patients;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Api.Pricing;
using KetamineScheduling.Api.Reports;
using KetamineScheduling.Api.Reservations;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Api.Staff;
using KetamineScheduling.Api.Waitlist;
using KetamineScheduling.Api.Webhooks;

// Configuration files are read once, at start-up: the default SQLite file lives in the content root, and a reload
// watcher there woke on every commit (docs/benchmarks.md). Given first, the setting can still be turned back on from
// the command line.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = ["--hostBuilder:reloadConfigOnChange=false", .. args],
    EnvironmentName = HostingDefaults.LaunchEnvironment(args),
});

builder.AddProxyHeaders();
builder.AddRequestLogging();
builder.AddDatabase();
builder.AddKeyRing();
builder.AddProblems();
builder.AddScheduling();
builder.AddPreconditions();
builder.AddIdempotency();
builder.AddWebhookDelivery();
builder.AddOpenApiDocument();
builder.AddAccess();
builder.AddAudit();
builder.AddFhir();

var app = builder.Build();

app.UseProxyHeaders();
app.UseRequestLogging();
app.UseAudit();
app.UseProblems();
app.MapOpenApiDocument();
app.UseAccess();
app.UseIdempotency();
app.MapHealth();
app.MapClinics();
app.MapChairs();
app.MapPatients();
app.MapPlans();
app.MapSessions();
app.MapInfusions();
app.MapReservations();
app.MapWaitlist();
app.MapPricing();
app.MapReports();
app.MapStaff();
app.MapShifts();
app.MapCourse();
app.MapAssessments();
app.MapApiKeys();
app.MapMe();
app.MapAudit();
app.MapEvents();
app.MapWebhooks();
app.MapCalendarFeeds();
app.MapFhir();

app.Run();

/// <summary>The API's entry point; public so the tests' WebApplicationFactory can start it.</summary>
public partial class Program;
