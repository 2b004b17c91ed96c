using System.ComponentModel.DataAnnotations;
using System.Globalization;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Idempotency;
using KetamineScheduling.Api.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Webhooks;

/// <summary>A webhook to register.</summary>
/// <param name="Url">Where deliveries are POSTed: https, on a public address.</param>
/// <param name="Events">The event types to receive, e.g. ["session.booked", "session.cancelled"]; left out, every type.</param>
public sealed record CreateWebhookRequest(
    [property: MaxLength(2000), DataType(DataType.Url)] string Url,
    [property: ValuesOf(typeof(EventTypes), nameof(EventTypes.Declared))] IReadOnlyList<string>? Events);

/// <summary>A registered webhook. Its secret is never shown again after it is created.</summary>
/// <param name="Id">The webhook's id.</param>
/// <param name="Url">Where deliveries are POSTed.</param>
/// <param name="Events">The event types it receives; null for every type.</param>
/// <param name="FailedAttempts">Failed attempts in a row at the event now being delivered; 0 when all is well.</param>
/// <param name="CreatedAt">When it was registered; it receives the events committed since.</param>
/// <param name="NextAttemptAt">When that event will be tried again; null when nothing is waiting on a backoff.</param>
public sealed record WebhookResponse(
    Guid Id,
    [property: MaxLength(2000), DataType(DataType.Url)] string Url,
    [property: ValuesOf(typeof(EventTypes), nameof(EventTypes.Declared))] IReadOnlyList<string>? Events,
    Instant CreatedAt,
    [property: Range(0, int.MaxValue)] int FailedAttempts,
    Instant? NextAttemptAt);

/// <summary>A webhook just registered, with the secret its deliveries are signed with.</summary>
/// <param name="Id">The webhook's id.</param>
/// <param name="Url">Where deliveries are POSTed.</param>
/// <param name="Events">The event types it receives; null for every type.</param>
/// <param name="CreatedAt">When it was registered; it receives the events committed from then on.</param>
/// <param name="Secret">
/// The Standard Webhooks signing secret, <c>whsec_</c> and base64. Shown only in this answer (and its replay to a
/// retry with the same Idempotency-Key): keep it. The API stores it encrypted.
/// </param>
public sealed record CreatedWebhookResponse(
    Guid Id,
    [property: MaxLength(2000), DataType(DataType.Url)] string Url,
    [property: ValuesOf(typeof(EventTypes), nameof(EventTypes.Declared))] IReadOnlyList<string>? Events,
    Instant CreatedAt,
    [property: MaxLength(100)] string Secret);

/// <summary>One attempt to deliver one event.</summary>
/// <param name="EventId">The change feed event, also sent as <c>webhook-id</c>.</param>
/// <param name="Attempt">1 for the first attempt at that event.</param>
/// <param name="AttemptedAt">When the attempt was made.</param>
/// <param name="StatusCode">The receiver's answer; null when it could not be reached.</param>
/// <param name="Error">Why the attempt failed; null when it succeeded.</param>
/// <param name="Succeeded">Whether the receiver answered 2xx.</param>
public sealed record WebhookAttemptResponse(
    [property: Range(typeof(long), "1", "9223372036854775807")] long EventId,
    [property: Range(1, int.MaxValue)] int Attempt,
    Instant AttemptedAt,
    [property: Range(100, 599)] int? StatusCode,
    string? Error,
    bool Succeeded);

/// <summary>Routes for webhooks: registration, listing, removal and the delivery log.</summary>
internal static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/webhooks").WithTags("Webhooks")
            .Audited("webhook")
            .AllowRoles(Roles.ClinicAdminAndIntegration);

        group.MapPost("/", CreateWebhook)
            .KeepsReplayEncrypted()
            .Describe("CreateWebhook", "Register a URL to receive the clinic's change events, signed per Standard Webhooks; returns the secret once");
        group.MapGet("/", ListWebhooks)
            .Describe("ListWebhooks", "List the clinic's webhooks, without their secrets");
        group.MapGet("/{webhookId:guid}", GetWebhook)
            .Describe("GetWebhook", "Get one webhook and how its delivery stands");
        group.MapDelete("/{webhookId:guid}", DeleteWebhook)
            .Describe("DeleteWebhook", "Remove a webhook; nothing more is delivered to it");
        group.MapGet("/{webhookId:guid}/deliveries", ListDeliveries)
            .Describe("ListWebhookDeliveries", "The webhook's delivery log, newest attempt first");
        return group;
    }

    private static async Task<Results<Created<CreatedWebhookResponse>, ValidationProblem>> CreateWebhook(
        Guid clinicId, CreateWebhookRequest request, WebhookUrlGuard guard, WebhookSecrets secrets, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation().Required("url", request.Url).MaxLength("url", request.Url, 2000);
        if (validation.IsValid && await guard.CheckAsync(request.Url, cancellationToken) is { } unsafeUrl)
        {
            validation.Add("url", unsafeUrl);
        }

        var events = request.Events?.Distinct(StringComparer.Ordinal).ToList();
        if (events is { Count: 0 })
        {
            validation.Add("events", "Name at least one event type, or leave events out to receive every type.");
        }

        foreach (var (type, i) in (events ?? []).Select((t, i) => (t, i)).Where(e => !EventTypes.All.Contains(e.t)))
        {
            validation.Add($"events[{i}]", $"'{type}' is not an event type. The types are: {string.Join(", ", EventTypes.All.Order(StringComparer.Ordinal))}.");
        }

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var id = Guid.CreateVersion7();
        var secret = WebhookSigner.NewSecret();
        var now = clock.GetCurrentInstant();
        await db.WriteAsync(async (connection, transaction) =>
        {
            await WebhookStore.InsertAsync(connection, transaction, clinicId, id, request.Url, events, secrets.Protect(secret), now);
            await AuditScope.RecordChangeAsync(connection, transaction, id, null, now);
            return id;
        }, cancellationToken);
        return TypedResults.Created($"/v1/clinics/{clinicId}/webhooks/{id}", new CreatedWebhookResponse(id, request.Url, events, now, secret));
    }

    private static async Task<Results<Ok<Page<WebhookResponse>>, ValidationProblem>> ListWebhooks(
        Guid clinicId, string? cursor, int? limit, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.CursorKey("cursor", cursor, Guid.Empty);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await WebhookStore.ListAsync(connection, clinicId, after, take + 1);
        return TypedResults.Ok(Cursor.Paginate(rows, take, w => w.Id.ToString(), w => w.ToResponse()));
    }

    private static async Task<Results<Ok<WebhookResponse>, NotFoundProblem>> GetWebhook(Guid clinicId, Guid webhookId, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await WebhookStore.FindAsync(connection, clinicId, webhookId) is { } webhook
            ? TypedResults.Ok(webhook.ToResponse())
            : NotFoundProblem.Of("webhook", webhookId);
    }

    private static async Task<Results<NoContent, NotFoundProblem>> DeleteWebhook(Guid clinicId, Guid webhookId, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<NoContent, NotFoundProblem>>(async (connection, transaction) =>
        {
            if (await WebhookStore.DeleteAsync(connection, transaction, clinicId, webhookId, now))
            {
                await AuditScope.RecordChangeAsync(connection, transaction, webhookId, null, now);
                return TypedResults.NoContent();
            }

            // Deleting twice is not an error: a retried DELETE finds the webhook already stopped.
            return await WebhookStore.WasRegisteredAsync(connection, clinicId, webhookId, transaction) ? TypedResults.NoContent() : NotFoundProblem.Of("webhook", webhookId);
        }, cancellationToken);
    }

    private static async Task<Results<Ok<Page<WebhookAttemptResponse>>, ValidationProblem, NotFoundProblem>> ListDeliveries(
        Guid clinicId, Guid webhookId, string? cursor, int? limit, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var before = validation.CursorKey("cursor", cursor, long.MaxValue);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        if (!await WebhookStore.WasRegisteredAsync(connection, clinicId, webhookId))
        {
            return NotFoundProblem.Of("webhook", webhookId);
        }

        var rows = await WebhookStore.AttemptsAsync(connection, webhookId, before, take + 1);
        return TypedResults.Ok(Cursor.Paginate(rows, take, a => a.Id.ToString(CultureInfo.InvariantCulture), a => a.ToResponse()));
    }
}
