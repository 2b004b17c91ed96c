using System.Data.Common;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Events;
using Microsoft.AspNetCore.Http.Metadata;
using NodaTime;

namespace KetamineScheduling.Api.Audit;

/// <summary>
/// What the audit trail knows about the request being answered, and the one place its events are made.
/// </summary>
/// <remarks>
/// A change records its events in its own transaction, where it appends to the change feed
/// (<see cref="RecordChangeAsync(DbConnection, DbTransaction, IEnumerable{Change})"/>): a committed change always
/// has its event, and a change rolled back has none. Every other answer, a read or a refusal, hands its events to the
/// <see cref="AuditWriter"/> as its first byte goes out.
/// </remarks>
internal sealed class AuditScope
{
    private static readonly AsyncLocal<AuditScope?> Current = new();

    private readonly HttpContext context;
    private readonly Endpoint endpoint;
    private readonly AuditTrail.AuditedResource resource;
    private readonly RouteValueDictionary routeValues;
    private readonly IClock clock;
    private readonly HashSet<Guid> recordedPatients = [];
    private bool recordedWithoutPatient;

    private AuditScope(HttpContext context, Endpoint endpoint, AuditTrail.AuditedResource resource, IClock clock)
    {
        this.context = context;
        this.endpoint = endpoint;
        this.resource = resource;
        this.clock = clock;

        // The exception handler clears the route values before it writes its answer, so keep them now.
        routeValues = new RouteValueDictionary(context.Request.RouteValues);
        Patients.UnionWith(new[] { AsGuid(routeValues.GetValueOrDefault("patientId")), AsGuid(context.Request.Query["patientId"]) }.OfType<Guid>());
    }

    /// <summary>The patients the request and its answer concern, as the route learns them.</summary>
    public HashSet<Guid> Patients { get; } = [];

    /// <summary>The clinic and resource the answer names, when the route's values name neither.</summary>
    public IAuditSubject? Subject { get; set; }

    /// <summary>Whether the request's change committed its events; a later refusal still leaves one of its own.</summary>
    public bool RecordedWithChange { get; private set; }

    /// <summary>The scope of the request this flow is answering, once the audit middleware has begun one.</summary>
    public static AuditScope? Begin(HttpContext context, Endpoint endpoint, AuditTrail.AuditedResource resource, IClock clock)
    {
        var scope = new AuditScope(context, endpoint, resource, clock);
        Current.Value = scope;
        context.Features.Set(scope);
        return scope;
    }

    /// <summary>
    /// Records, inside the change's own <paramref name="transaction"/>, the request's event for every patient of
    /// <paramref name="changes"/> and of the request that no earlier change of it has recorded. Outside an audited
    /// request (start-up seeding, background work) it records nothing.
    /// </summary>
    public static Task RecordChangeAsync(DbConnection connection, DbTransaction transaction, IEnumerable<Change> changes)
    {
        if (Current.Value is not { } scope)
        {
            return Task.CompletedTask;
        }

        var list = changes as IReadOnlyCollection<Change> ?? changes.ToList();
        var created = list.FirstOrDefault(c => c.ResourceType == scope.resource.Type)?.ResourceId;
        return scope.RecordAsync(connection, transaction, list.Select(c => c.PatientId).OfType<Guid>(), created, list.Select(c => c.OccurredAt).DefaultIfEmpty(scope.clock.GetCurrentInstant()).First());
    }

    /// <summary>As the change feed's overload, for a change that appends to no feed (an API key, a webhook).</summary>
    public static Task RecordChangeAsync(DbConnection connection, DbTransaction transaction, Guid resourceId, Guid? patientId, Instant at) =>
        Current.Value is { } scope
            ? scope.RecordAsync(connection, transaction, patientId is { } id ? [id] : [], resourceId, at)
            : Task.CompletedTask;

    private async Task RecordAsync(DbConnection connection, DbTransaction transaction, IEnumerable<Guid> changedPatients, Guid? createdId, Instant at)
    {
        var patients = Concerned(changedPatients).Where(p => !recordedPatients.Contains(p)).ToList();
        if (patients.Count == 0 && (recordedWithoutPatient || recordedPatients.Count > 0))
        {
            return;
        }

        var events = Events(SuccessStatus(), at, createdId?.ToString(), patients);
        await AuditStore.AppendAsync(connection, transaction, events);
        recordedPatients.UnionWith(patients);
        recordedWithoutPatient |= patients.Count == 0;
        CreatedId ??= createdId?.ToString();
        RecordedWithChange = true;
    }

    /// <summary>The id of what the request created, learnt from its change.</summary>
    private string? CreatedId { get; set; }

    /// <summary>The events of the answer as it goes out: one per patient it concerned, or one without a patient.</summary>
    public IReadOnlyList<AuditEvent> AnswerEvents() =>
        Events(context.Response.StatusCode, clock.GetCurrentInstant(), CreatedId, [.. Concerned([])]);

    /// <summary>The request's patients, those of <paramref name="more"/>, and a patient app's own patient.</summary>
    private IEnumerable<Guid> Concerned(IEnumerable<Guid> more) =>
        Patients.Concat(more).Concat(Caller.TryFrom(context.User)?.PatientId is { } own ? [own] : []).Distinct();

    private List<AuditEvent> Events(int status, Instant at, string? createdId, List<Guid> patients)
    {
        var caller = Caller.TryFrom(context.User);
        var resourceId = routeValues.GetValueOrDefault(resource.IdRouteValue)?.ToString() ?? createdId ?? Subject?.ResourceId.ToString();
        var template = new AuditEvent
        {
            // The key's clinic; for platform admins and callers without a key, the clinic the route names or creates.
            ClinicId = caller?.ClinicId ?? AsGuid(routeValues.GetValueOrDefault("clinicId")) ?? Subject?.ClinicId ?? (resource.Type == "clinic" ? AsGuid(resourceId) : null),
            ActorKeyId = caller?.KeyId,
            ActorRole = caller?.Role,
            Action = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint.DisplayName ?? "",
            ResourceType = resource.Type,
            ResourceId = resourceId,
            Outcome = AuditTrail.OutcomeOf(status),
            StatusCode = status,
            RequestId = context.TraceIdentifier,
            OccurredAt = at,
        };
        return patients.Count == 0 ? [template] : [.. patients.Select(p => template with { PatientId = p })];
    }

    /// <summary>
    /// The status a committed change answers with: the route's own success status (201 for a creation, 204 for a
    /// removal), read from what it declares, since the answer is not written until after the commit.
    /// </summary>
    private int SuccessStatus() =>
        endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).Where(s => s is >= 200 and < 300).DefaultIfEmpty(StatusCodes.Status200OK).Min();

    private static Guid? AsGuid(object? value) => Guid.TryParse(value?.ToString(), out var id) ? id : null;
}
