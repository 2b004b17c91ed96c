using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Patients;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Api.Sessions;
using Microsoft.AspNetCore.Http.Features;
using NodaTime;

namespace KetamineScheduling.Api.Audit;

/// <summary>
/// Records one audit event for every request that changes something or reads a patient's data, once its answer
/// is known: refusals (401, 403, 404, 429, ...) included.
/// </summary>
/// <remarks>
/// Two parts: <see cref="AuditMiddleware"/> wraps the whole pipeline, so it sees the final status whoever set it
/// (authorization, the exception handler, the route); the endpoint filter <see cref="Audited{TBuilder}"/> adds
/// notes what only the route knows: the patients in the request and the answer, and the id of what it created.
/// </remarks>
internal static class AuditTrail
{
    /// <summary>The answer was a success (below 400).</summary>
    public const string Succeeded = "succeeded";

    /// <summary>No valid key (401), or the key's role may not do this (403).</summary>
    public const string Denied = "denied";

    /// <summary>Any other 4xx: not found (other clinics' ids included), invalid, or in conflict.</summary>
    public const string Refused = "refused";

    /// <summary>The server failed (5xx).</summary>
    public const string Failed = "failed";

    /// <summary>
    /// Audits the endpoints: every request that is not a GET, and GETs too when they read patient data.
    /// <paramref name="resourceType"/> names what they act on; the route value <paramref name="idRouteValue"/>
    /// (default <c>{resourceType}Id</c>) holds its id.
    /// </summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string resourceType, bool readsPatientData = false, string? idRouteValue = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .WithMetadata(new AuditedResource(resourceType, idRouteValue ?? resourceType + "Id", readsPatientData))
            .AddEndpointFilter(NoteAsync);

    /// <summary>Registers the group-commit writer every audited request waits on.</summary>
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditWriter>());
        return builder;
    }

    public static WebApplication UseAudit(this WebApplication app)
    {
        app.UseMiddleware<AuditMiddleware>();
        return app;
    }

    public static string OutcomeOf(int status) => status switch
    {
        < 400 => Succeeded,
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => Denied,
        < 500 => Refused,
        _ => Failed,
    };

    private static async ValueTask<object?> NoteAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var notes = context.HttpContext.Features.Get<AuditNotes>();

        // Noted before the route runs, so that a route that throws (a lost race is a ConflictException) still
        // leaves an event for the patient it concerned.
        if (notes is not null)
        {
            foreach (var argument in context.Arguments)
            {
                notes.Patients.UnionWith(PatientsIn(argument));
            }
        }

        var result = await next(context);
        if (notes is not null)
        {
            var value = ValueOf(result);
            notes.Patients.UnionWith(PatientsIn(value));
            notes.CreatedId = IdOf(value);
        }

        return result;
    }

    private static object? ValueOf(object? result) => result switch
    {
        INestedHttpResult nested => ValueOf(nested.Result),
        IValueHttpResult value => value.Value,
        _ => result,
    };

    /// <summary>The patients whose data a request or answer holds. A new request or response type that carries patients belongs here.</summary>
    private static IEnumerable<Guid> PatientsIn(object? value) => value switch
    {
        PatientResponse p => [p.Id],
        PlanResponse p => [p.PatientId],
        SessionResponse s => [s.PatientId],
        RescheduleResponse r => [r.Session.PatientId, .. r.Shifted.Select(s => s.PatientId)],
        Page<PatientResponse> page => page.Items.Select(p => p.Id),
        Page<PlanResponse> page => page.Items.Select(p => p.PatientId),
        Page<SessionResponse> page => page.Items.Select(s => s.PatientId),
        CreatePlanRequest c => [c.PatientId],
        BookSessionRequest b => [b.PatientId],
        CreateApiKeyRequest { PatientId: { } id } => [id],
        CreatedApiKeyResponse { PatientId: { } id } => [id],
        _ => [],
    };

    /// <summary>The id of what a route created, read from its answer.</summary>
    private static string? IdOf(object? value) => value switch
    {
        ClinicResponse c => c.Id.ToString(),
        ChairResponse c => c.Id.ToString(),
        PatientResponse p => p.Id.ToString(),
        PlanResponse p => p.Id.ToString(),
        SessionResponse s => s.Id.ToString(),
        CreatedApiKeyResponse k => k.Id.ToString(),
        _ => null,
    };

    /// <summary>What <see cref="Audited{TBuilder}"/> says about an endpoint.</summary>
    internal sealed record AuditedResource(string Type, string IdRouteValue, bool ReadsPatientData)
    {
        public bool Covers(string method) => ReadsPatientData || !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method));
    }

    /// <summary>What the route learnt while it ran, for the middleware to record.</summary>
    private sealed class AuditNotes
    {
        public HashSet<Guid> Patients { get; } = [];

        public string? CreatedId { get; set; }
    }

    private sealed class AuditMiddleware(RequestDelegate next, AuditWriter writer, IClock clock)
    {
        public async Task InvokeAsync(HttpContext context)
        {
            var endpoint = context.GetEndpoint();
            if (endpoint?.Metadata.GetMetadata<AuditedResource>() is not { } resource || !resource.Covers(context.Request.Method))
            {
                await next(context);
                return;
            }

            // The exception handler clears the route values before it writes its answer, so keep them now.
            var routeValues = new RouteValueDictionary(context.Request.RouteValues);
            var notes = new AuditNotes();
            context.Features.Set(notes);

            // The events are made durable before the answer's first byte goes out, so that no client holds data
            // whose reading left no trace, even if the process dies in between; on a SQLite file that is a copy
            // into the audit journal, and costs the answer nothing.
            var recorded = false;
            context.Response.OnStarting(() => recorded ? Task.CompletedTask : Record());
            await next(context);

            // An answer with no body starts after this; and a client that has gone may never see one start.
            if (!recorded)
            {
                await Record();
            }

            // Not async: Kestrel takes the quick path when a callback returns the completed task itself. When the
            // events cannot be made durable the callback fails, and Kestrel answers 500 without the route's body.
            Task Record()
            {
                recorded = true;
                return writer.AppendAsync(Events(context, endpoint, resource, routeValues, notes));
            }
        }

        /// <summary>One event per patient the request concerned (one without a patient if none), all else alike.</summary>
        private IReadOnlyList<AuditEvent> Events(HttpContext context, Endpoint endpoint, AuditedResource resource, RouteValueDictionary routeValues, AuditNotes notes)
        {
            var caller = Caller.TryFrom(context.User);
            var resourceId = routeValues.GetValueOrDefault(resource.IdRouteValue)?.ToString() ?? notes.CreatedId;
            var patients = notes.Patients;
            patients.UnionWith(new[] { AsGuid(routeValues.GetValueOrDefault("patientId")), AsGuid(context.Request.Query["patientId"]), caller?.PatientId }.OfType<Guid>());
            var status = context.Response.StatusCode;
            var template = new AuditEvent
            {
                // The key's clinic; for platform admins and callers without a key, the clinic the route names or creates.
                ClinicId = caller?.ClinicId ?? AsGuid(routeValues.GetValueOrDefault("clinicId")) ?? (resource.Type == "clinic" ? AsGuid(resourceId) : null),
                ActorKeyId = caller?.KeyId,
                ActorRole = caller?.Role,
                Action = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint.DisplayName ?? "",
                ResourceType = resource.Type,
                ResourceId = resourceId,
                Outcome = OutcomeOf(status),
                StatusCode = status,
                RequestId = context.TraceIdentifier,
                OccurredAt = clock.GetCurrentInstant(),
            };
            return patients.Count == 0 ? [template] : [.. patients.Select(p => template with { PatientId = p })];
        }

        private static Guid? AsGuid(object? value) => Guid.TryParse(value?.ToString(), out var id) ? id : null;
    }
}
