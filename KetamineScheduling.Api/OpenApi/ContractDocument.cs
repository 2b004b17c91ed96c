using System.Globalization;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace KetamineScheduling.Api.OpenApi;

/// <summary>
/// Rules over the whole document, so that what other routes add later follows them too:
/// <list type="bullet">
/// <item>every property of a schema that only answers carry is required, since the API writes every member,
/// nulls included;</item>
/// <item>every 2xx and 4xx answer of a /v1 route declares the RateLimit header fields, and every 429 also
/// <c>Retry-After</c>;</item>
/// <item>every string, integer and list has a limit: the one its type or field declares, otherwise the one its
/// format implies, otherwise a documented default;</item>
/// <item>every tag has a description.</item>
/// </list>
/// </summary>
internal sealed class ContractDocument : IDocumentFilter
{
    /// <summary>The longest string a field without its own limit takes or gives.</summary>
    public const int DefaultMaxLength = 1000;

    /// <summary>The longest list a field without its own limit takes or gives.</summary>
    public const int DefaultMaxItems = 1000;

    private const string Json = "application/json";

    /// <summary>What each tag groups, for readers of the document.</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["API keys"] = "A clinic's API keys: issue one per role and device, list them without their secrets, and revoke them. The secret is shown once, when the key is issued.",
        ["Audit"] = "Who read or changed what and when, patient by patient: every keyed request, including those refused, kept for the clinic's admins.",
        ["Chairs"] = "Infusion chairs, the capacity sessions are booked into.",
        ["Clinics"] = "A clinic's time zone, opening hours and closed dates: the calendar every rule works in.",
        ["Events"] = "The change feed: one event per committed change, in commit order, for integrations that keep their own copy.",
        ["Health"] = "Liveness and readiness for load balancers and orchestrators; no key needed.",
        ["Me"] = "What a patient's app key sees of its own patient: that patient's upcoming sessions.",
        ["Patients"] = "Patients, known to the clinic's EHR by their external id.",
        ["Sessions"] = "Booked infusions: the day view, moves, status changes, availability and a patient's upcoming sessions.",
        ["Treatment plans"] = "Induction and maintenance cycles planned on the clinic's calendar and booked all at once.",
        ["Webhooks"] = "Change events pushed to an EHR, signed per Standard Webhooks, delivered at least once and in order.",
        ["Prices"] = "A clinic's price list, packages and payment plans; a plan's estimate and the quotes that freeze it.",
        ["Reports"] = "For the practice manager: chair utilisation per chair and date (JSON, CSV or an SVG heat map) and how the plans that started in a range went.",
        ["Staff"] = "The clinic's prescribers and nurses: who approves an intake, and whom a clinician key acts for.",
        ["Treatment course"] = "A plan's clinical course: the prescriber's intake decision, the course of its outcome measure, and maintenance planned by response.",
        ["Outcome measures"] = "A patient's scored questionnaires (PHQ-9, GAD-7, PCL-5, pain rating), with severity bands and risk flags; retracted, never edited.",
        ["Reservations"] = "Short holds on a chair and a patient's time while someone decides, booked with POST /sessions and their reservationId; they stop blocking at expiresAt, to the second.",
        ["Waitlist"] = "Patients waiting for chair time: freed time is offered to the first entry whose window fits, as a reservation it may accept.",
        ["Calendar feeds"] = "A patient's sessions as a private iCalendar subscription for the phone's own calendar, fetched by a secret URL with no key.",
    };

    public void Apply(Microsoft.OpenApi.OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        RequireEveryAnswerProperty(document, schemas);
        NameAuditedVocabulary(schemas, context);
        DeclareRateLimits(document);
        foreach (var schema in AllSchemas(document).Distinct())
        {
            Limit(schema);
        }

        var used = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []).SelectMany(o => o.Tags?.AsEnumerable() ?? []).Select(t => t.Name ?? "").Distinct().Order();
        document.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag { Name = name, Description = TagDescriptions.GetValueOrDefault(name, name) }));
    }

    /// <summary>
    /// Marks every property required on each schema that JSON answers reach and request bodies do not, but for a
    /// nullable reference to another schema: OpenAPI 3.0's <c>nullable</c> does not reach through a <c>$ref</c>, so
    /// such a member, null, can only be described as left out (and examples leave it out, see <see cref="Examples.Write"/>).
    /// </summary>
    private static void RequireEveryAnswerProperty(Microsoft.OpenApi.OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas)
    {
        var operations = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []).ToList();
        var answers = Reachable(operations.SelectMany(o => o.Responses?.Values.AsEnumerable() ?? []).SelectMany(r => r.Content?.Where(c => c.Key == Json).Select(c => c.Value.Schema) ?? []), schemas);
        var requests = Reachable(operations.SelectMany(o => o.RequestBody?.Content?.Values.Select(c => c.Schema) ?? []), schemas);
        foreach (var name in answers.Except(requests))
        {
            if (schemas[name] is OpenApiSchema { Properties: { Count: > 0 } properties } schema)
            {
                schema.Required = new SortedSet<string>(properties.Where(p => !IsNullableReference(p.Value)).Select(p => p.Key), StringComparer.Ordinal);
            }
        }
    }

    private static bool IsNullableReference(IOpenApiSchema schema) =>
        schema is OpenApiSchema { OneOf: [OpenApiSchemaReference], Type: { } type } && type.HasFlag(JsonSchemaType.Null);

    /// <summary>
    /// An audit event's <c>action</c> is the name of an audited operation and its <c>resourceType</c> what that
    /// operation's <c>Audited(...)</c> names: both sets come from the routes themselves.
    /// </summary>
    private static void NameAuditedVocabulary(IDictionary<string, IOpenApiSchema> schemas, DocumentFilterContext context)
    {
        if (!schemas.TryGetValue(nameof(AuditEventResponse), out var audit) || audit is not OpenApiSchema { Properties: { } properties })
        {
            return;
        }

        var audited = context.ApiDescriptions
            .Select(d => d.ActionDescriptor.EndpointMetadata)
            .Select(m => (Resource: m.OfType<AuditTrail.AuditedResource>().FirstOrDefault(), Name: m.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName))
            .Where(a => a.Resource is not null)
            .ToList();
        SetEnum(properties, "resourceType", audited.Select(a => a.Resource!.Type));
        SetEnum(properties, "action", audited.Select(a => a.Name).OfType<string>());
    }

    private static void SetEnum(IDictionary<string, IOpenApiSchema> properties, string name, IEnumerable<string> values)
    {
        if (properties.TryGetValue(name, out var property) && property is OpenApiSchema schema)
        {
            schema.Enum = [.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v))];
            schema.MaxLength = null;
        }
    }

    /// <summary>The names of the component schemas <paramref name="roots"/> refer to, directly or through others.</summary>
    private static HashSet<string> Reachable(IEnumerable<IOpenApiSchema?> roots, IDictionary<string, IOpenApiSchema> schemas)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<IOpenApiSchema>(roots.OfType<IOpenApiSchema>());
        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference { Reference.Id: { } id })
            {
                if (found.Add(id) && schemas.TryGetValue(id, out var target))
                {
                    pending.Push(target);
                }

                continue;
            }

            foreach (var child in Children(schema))
            {
                pending.Push(child);
            }
        }

        return found;
    }

    private static IEnumerable<IOpenApiSchema> Children(IOpenApiSchema schema) =>
        schema is not OpenApiSchema concrete
            ? []
            : (concrete.Properties?.Values ?? Enumerable.Empty<IOpenApiSchema>())
                .Concat(concrete.AllOf ?? []).Concat(concrete.OneOf ?? []).Concat(concrete.AnyOf ?? [])
                .Append(concrete.Items).Append(concrete.AdditionalProperties).Append(concrete.Not)
                .OfType<IOpenApiSchema>();

    /// <summary>Every inline schema in the document: components, parameters, bodies, answers and headers.</summary>
    private static IEnumerable<OpenApiSchema> AllSchemas(Microsoft.OpenApi.OpenApiDocument document)
    {
        var roots = new List<IOpenApiSchema?>();
        roots.AddRange(document.Components?.Schemas?.Values ?? []);
        roots.AddRange(document.Components?.Headers?.Values.Select(h => h.Schema) ?? []);
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            roots.AddRange(operation.Parameters?.Select(p => p.Schema) ?? []);
            roots.AddRange(operation.RequestBody?.Content?.Values.Select(c => c.Schema) ?? []);
            foreach (var response in (IEnumerable<IOpenApiResponse>?)operation.Responses?.Values ?? [])
            {
                roots.AddRange(response.Content?.Values.Select(c => c.Schema) ?? []);
                roots.AddRange(response.Headers?.Values.Select(h => h.Schema) ?? []);
            }
        }

        var pending = new Stack<IOpenApiSchema>(roots.OfType<IOpenApiSchema>());
        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchema concrete)
            {
                yield return concrete;
                foreach (var child in Children(concrete))
                {
                    pending.Push(child);
                }
            }
        }
    }

    /// <summary>Gives a string, integer or list the limit its format implies, or the default, when it declares none.</summary>
    private static void Limit(OpenApiSchema schema)
    {
        var type = schema.Type ?? 0;
        if (type.HasFlag(JsonSchemaType.String) && schema.MaxLength is null && schema.Enum is not { Count: > 0 } && schema.Const is null)
        {
            schema.MaxLength = schema.Format switch
            {
                "uuid" => 36,
                "date" => 10,
                "partial-time" => 8,
                // RFC 3339 with nanoseconds and an offset: 2027-01-11T10:00:00.123456789+05:30.
                "date-time" => 35,
                // A local date and time with seconds: 2027-05-03T10:00:00.
                _ when schema.Pattern?.Contains('T', StringComparison.Ordinal) == true => 19,
                _ => DefaultMaxLength,
            };
        }

        if (type.HasFlag(JsonSchemaType.Integer) && schema.Enum is { Count: > 0 } allowed)
        {
            var numbers = allowed.Select(v => v!.GetValue<long>()).ToList();
            schema.Minimum ??= numbers.Min().ToString(CultureInfo.InvariantCulture);
            schema.Maximum ??= numbers.Max().ToString(CultureInfo.InvariantCulture);
        }
        else if (type.HasFlag(JsonSchemaType.Integer))
        {
            var wide = schema.Format == "int64";
            schema.Format ??= "int32";
            schema.Minimum ??= (wide ? long.MinValue : int.MinValue).ToString(CultureInfo.InvariantCulture);
            schema.Maximum ??= (wide ? long.MaxValue : int.MaxValue).ToString(CultureInfo.InvariantCulture);
        }

        if (type.HasFlag(JsonSchemaType.Array))
        {
            schema.MaxItems ??= DefaultMaxItems;
        }
    }

    /// <summary>Declares the rate limit fields once, and refers to them from every 2xx and 4xx answer of a /v1 route.</summary>
    private static void DeclareRateLimits(Microsoft.OpenApi.OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        var headers = document.Components.Headers;
        headers[RateLimitHeaders.Limit] = Header("The most requests this key may make at once: its token bucket's size (RateLimiting:Burst).", 0);
        headers[RateLimitHeaders.Remaining] = Header("The requests this key may still make at once.", 0);
        headers[RateLimitHeaders.Reset] = Header("Seconds until this key's bucket is full again; 0 when it is full.", 0);
        headers["Retry-After"] = Header("Seconds to wait before the next request will be let through.", 1);

        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/v1/", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (status, response) in item.Operations?.Values.SelectMany(o => o.Responses ?? []) ?? [])
            {
                if (response is not OpenApiResponse concrete || status[0] is not ('2' or '4'))
                {
                    continue;
                }

                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                foreach (var name in status == "429" ? [RateLimitHeaders.Limit, RateLimitHeaders.Remaining, RateLimitHeaders.Reset, "Retry-After"] : new[] { RateLimitHeaders.Limit, RateLimitHeaders.Remaining, RateLimitHeaders.Reset })
                {
                    concrete.Headers[name] = new OpenApiHeaderReference(name, document);
                }
            }
        }
    }

    private static OpenApiHeader Header(string description, int minimum) => new()
    {
        Description = description,
        Required = true,
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = minimum.ToString(CultureInfo.InvariantCulture),
            Maximum = int.MaxValue.ToString(CultureInfo.InvariantCulture),
        },
    };
}
