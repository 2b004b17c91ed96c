using System.ComponentModel.DataAnnotations;
using System.Globalization;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.OpenApi;
using KetamineScheduling.Api.Patients;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Audit;

/// <summary>The key that made an audited request.</summary>
/// <param name="KeyId">The API key's id.</param>
/// <param name="Role">The key's role when it made the request.</param>
public sealed record AuditActor(Guid KeyId, [property: ValuesOf(typeof(Roles), nameof(Roles.All))] string Role);

/// <summary>One audited request, about at most one patient.</summary>
/// <param name="Actor">Who made it; null when the request carried no valid key.</param>
/// <param name="Action">The operation, named as in this document, e.g. BookSession.</param>
/// <param name="ResourceType">clinic, chair, patient, plan, session or api_key.</param>
/// <param name="ResourceId">The id of what it acted on or created, when there is one.</param>
/// <param name="PatientId">The patient whose data it read or changed; a request about several patients has an event for each.</param>
/// <param name="Outcome">succeeded; denied (401, 403); refused (other 4xx, not-found included); failed (5xx).</param>
/// <param name="StatusCode">The HTTP status of the answer.</param>
/// <param name="RequestId">The request's trace identifier, as in the server's logs.</param>
/// <param name="OccurredAt">When the answer was given.</param>
public sealed record AuditEventResponse(
    AuditActor? Actor,
    [property: MaxLength(100)] string Action,
    [property: MaxLength(100)] string ResourceType,
    [property: MaxLength(100)] string? ResourceId,
    Guid? PatientId,
    [property: AllowedValues(AuditTrail.Succeeded, AuditTrail.Denied, AuditTrail.Refused, AuditTrail.Failed)] string Outcome,
    [property: Range(100, 599)] int StatusCode,
    [property: MaxLength(200)] string RequestId,
    Instant OccurredAt);

/// <summary>Routes for reading the audit trail. There is none to change it.</summary>
internal static class AuditApi
{
    /// <summary>The longest span one query may cover.</summary>
    private static readonly Duration MaxRange = Duration.FromDays(366);

    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/audit-events").WithTags("Audit").AllowRoles(Roles.ClinicAdmin);

        group.MapGet("/", ListAuditEvents)
            .Describe("ListAuditEvents", "The clinic's audit trail, newest first: from (included) and to (excluded) are RFC 3339 and span at most 366 days");
        return group;
    }

    private static async Task<Results<Ok<Page<AuditEventResponse>>, ValidationProblem, NotFoundProblem>> ListAuditEvents(
        Guid clinicId, Guid? patientId, string? from, string? to, string? cursor, int? limit, Database db, AuditWriter writer, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var before = validation.CursorKey("cursor", cursor, long.MaxValue);
        var start = validation.Instant("from", from);
        var end = validation.Instant("to", to);
        var last = end ?? clock.GetCurrentInstant();
        var first = start ?? last - MaxRange;
        if (last - first > MaxRange)
        {
            validation.Add(to is null ? "from" : "to", $"A query spans at most {MaxRange.Days} days; give from and to closer together.");
        }

        if (end <= first)
        {
            validation.Add("to", "Must be after from.");
        }

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (patientId is { } patient)
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            if (await PatientStore.FindAsync(connection, clinicId, patient) is null)
            {
                return NotFoundProblem.Of("patient", patient);
            }
        }

        // This instance's latest events may still be in its journal; other instances move theirs within moments.
        await writer.FlushAsync(cancellationToken);
        var events = await AuditStore.ListAsync(db, clinicId, patientId, first, end, before, take + 1, cancellationToken);
        return TypedResults.Ok(Cursor.Paginate(events, take, e => e.Id.ToString(CultureInfo.InvariantCulture), ToResponse));
    }

    private static AuditEventResponse ToResponse(AuditEvent e) => new(
        e is { ActorKeyId: { } keyId, ActorRole: { } role } ? new AuditActor(keyId, role) : null,
        e.Action, e.ResourceType, e.ResourceId, e.PatientId, e.Outcome, e.StatusCode, e.RequestId, e.OccurredAt);
}
