using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Access;

/// <summary>Routes about the caller's own key: what a patient's app shows without knowing any ids.</summary>
internal static class MeApi
{
    public static RouteGroupBuilder MapMe(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/me")
            .WithTags("Me")
            .AllowRoles(Roles.PatientApp)
            .Audited("session", readsPatientData: true);

        group.MapGet("/upcoming-sessions", ListMyUpcomingSessions)
            .Describe("ListMyUpcomingSessions", "The key's patient's sessions still to come, soonest first");
        return group;
    }

    private static Task<Results<SerializedOk<Page<SessionResponse>>, ValidationProblem, NotFoundProblem>> ListMyUpcomingSessions(
        string? cursor, int? limit, HttpContext context, Database db, IClock clock, UpcomingCache cache, CancellationToken cancellationToken)
    {
        // Only patient-app keys get here, and they always name a clinic and a patient.
        var caller = Caller.From(context.User);
        return SessionsApi.ListUpcoming(caller.ClinicId!.Value, caller.PatientId!.Value, cursor, limit, context, db, clock, cache, cancellationToken);
    }
}
