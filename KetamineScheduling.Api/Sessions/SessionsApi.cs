using System.Security.Claims;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Waitlist;
using KetamineScheduling.Domain.Sessions;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Api.Sessions;

/// <summary>What every change to one session binds: the session in the path, its If-Match, the caller, the database and the clock.</summary>
internal sealed record SessionChange(Guid ClinicId, Guid SessionId, IfMatch IfMatch, ClaimsPrincipal User, Database Db, IClock Clock, CancellationToken CancellationToken);

/// <summary>Routes for booked sessions: booking, the day view, moves and status changes, and what a patient's app shows.</summary>
internal static partial class SessionsApi
{
    public static RouteGroupBuilder MapSessions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/sessions").WithTags("Sessions").Audited("session", readsPatientData: true);
        group.WithETags();

        group.MapPost("/", BookSession)
            .Describe("BookSession", "Book one session: a booster, an ad-hoc visit, or a reservation")
            .AllowRoles(Roles.Staff);
        group.MapGet("/", ListSessionsOnDate)
            .Describe("ListSessionsOnDate", "A scheduler's day view: the sessions starting on one local date")
            .AllowRoles(Roles.StaffAndClinician);
        group.MapGet("/{sessionId:guid}", GetSession)
            .Describe("GetSession", "Get one session")
            .AllowRoles(Roles.StaffClinicianAndPatientApp);
        group.MapPost("/{sessionId:guid}/reschedule", RescheduleSession)
            .Describe("RescheduleSession", "Move a session to a new local start, optionally another chair, optionally shifting the following sessions")
            .AllowRoles(Roles.Staff)
            .OffersFreedTime();
        group.MapPost("/{sessionId:guid}/cancel", CancelSession)
            .Describe("CancelSession", "Cancel a session, freeing its chair")
            .AllowRoles(Roles.StaffAndPatientApp)
            .OffersFreedTime();
        group.MapPost("/{sessionId:guid}/check-in", CheckInSession)
            .Describe("CheckInSession", "Record that the patient has arrived")
            .AllowRoles(Roles.Staff);
        group.MapPost("/{sessionId:guid}/complete", CompleteSession)
            .Describe("CompleteSession", "Record that the infusion and observation are done, with the discharge")
            .AllowRoles(Roles.StaffAndClinician);
        group.MapPost("/{sessionId:guid}/no-show", MarkNoShow)
            .Describe("MarkSessionNoShow", "Record that the patient did not come, freeing the chair")
            .AllowRoles(Roles.Staff)
            .OffersFreedTime();

        routes.MapGet("/v1/clinics/{clinicId:guid}/patients/{patientId:guid}/sessions/upcoming", ListUpcoming)
            .WithTags("Sessions")
            .Audited("session", readsPatientData: true)
            .Describe("ListUpcomingSessions", "A patient's sessions still to come, soonest first: what the mobile app shows")
            .AllowRoles(Roles.StaffClinicianAndPatientApp);
        routes.MapGet("/v1/clinics/{clinicId:guid}/availability", GetAvailability)
            .WithTags("Sessions")
            .Describe("GetAvailability", "Free chair starts on a date for a session of the given length")
            .AllowRoles(Roles.Staff);
        return group;
    }

    private static Dictionary<string, object?> Obstacle(Obstacle obstacle) => new() { ["obstacle"] = obstacle.ToString() };

    private static ConflictProblem ChairOutOfService(Guid chairId) =>
        ConflictProblem.Of($"The chair '{chairId}' is out of service and takes no new bookings; choose another chair.", new Dictionary<string, object?> { ["chairId"] = chairId, ["rule"] = "chair-out-of-service" });

    private static string Key(string sortKey, Guid id) => $"{sortKey}|{id}";

    private static bool TryReadKey<T>(string key, IPattern<T> pattern, out T value, out Guid id)
    {
        var parts = key.Split('|');
        value = default!;
        id = Guid.Empty;
        if (parts.Length != 2 || !Guid.TryParse(parts[1], out id))
        {
            return false;
        }

        var parsed = pattern.Parse(parts[0]);
        value = parsed.Success ? parsed.Value : default!;
        return parsed.Success;
    }
}
