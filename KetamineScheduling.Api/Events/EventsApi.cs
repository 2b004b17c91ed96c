using System.ComponentModel.DataAnnotations;
using System.Globalization;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Events;

/// <summary>One committed change to one resource. The event says what changed; read the resource for the details.</summary>
/// <param name="Id">The event's id, unique and stable; webhooks send it as <c>webhook-id</c>.</param>
/// <param name="Type">What happened, e.g. <c>session.booked</c>, <c>session.rescheduled</c>, <c>plan.created</c>.</param>
/// <param name="ResourceType">clinic, chair, patient, plan or session.</param>
/// <param name="ResourceId">The resource that changed.</param>
/// <param name="Version">The resource's version after the change, the same number its ETag carries.</param>
/// <param name="OccurredAt">When the change was made, in UTC.</param>
public sealed record EventResponse(
    [property: Range(typeof(long), "1", "9223372036854775807")] long Id,
    [property: ValuesOf(typeof(EventTypes), nameof(EventTypes.Declared))] string Type,
    [property: ValuesOf(typeof(EventTypes), nameof(EventTypes.ResourceTypes))] string ResourceType,
    Guid ResourceId,
    [property: Range(1, int.MaxValue)] int Version,
    Instant OccurredAt);

/// <summary>A page of the change feed.</summary>
/// <param name="Items">Events in commit order; empty when nothing new has been committed.</param>
/// <param name="NextCursor">Always present: pass it as <c>after</c> to continue, now or on the next poll.</param>
public sealed record EventPage([property: MaxLength(Cursor.MaxLimit)] IReadOnlyList<EventResponse> Items, [property: MaxLength(500)] string NextCursor);

/// <summary>The change feed over HTTP, for integrations that keep their own copy of the schedule.</summary>
internal static class EventsApi
{
    public static RouteGroupBuilder MapEvents(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/events").WithTags("Events")
            .Audited("event")
            .AllowRoles(Roles.ClinicAdminAndIntegration);

        group.MapGet("/", ListEvents)
            .Describe("ListEvents", "The clinic's change feed in commit order: poll with after=nextCursor and never miss a change");
        return group;
    }

    /// <summary>
    /// Events committed after <paramref name="after"/> (from the beginning when absent). An event that commits
    /// late under concurrent writers appears after the cursor a reader already holds, never behind it.
    /// </summary>
    private static async Task<Results<Ok<EventPage>, ValidationProblem>> ListEvents(
        Guid clinicId, string? after, int? limit, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var position = validation.CursorKey("after", after, 0L);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        var events = await FeedReader.ReadAsync(connection, clinicId, position, take, cancellationToken);
        var next = events.Count > 0 ? events[^1].Position : position;
        return TypedResults.Ok(new EventPage(
            events.Select(e => new EventResponse(e.Id, e.Type, e.ResourceType, e.ResourceId, e.Version, e.OccurredAt)).ToList(),
            Cursor.Encode(next.ToString(CultureInfo.InvariantCulture))));
    }
}
