using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using KetamineScheduling.Api.Audit;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Task = System.Threading.Tasks.Task;

namespace KetamineScheduling.Api.Fhir;

/// <summary>
/// How the FHIR API speaks: FHIR JSON written by the Firely SDK's own converters (never the API's JSON options),
/// the media type <c>application/fhir+json; fhirVersion=4.0</c>, and every failure as an OperationOutcome.
/// </summary>
internal static class FhirWire
{
    /// <summary>Where the FHIR R4 API lives; every path under it answers FHIR.</summary>
    public const string Base = "/fhir/r4";

    /// <summary>The media type of every FHIR answer (FHIR R4 §3.1.0.1.8, the fhirVersion parameter).</summary>
    public const string MediaType = "application/fhir+json; fhirVersion=4.0";

    /// <summary>The Firely SDK's serializer for the R4 model, apart from the API's own JSON options.</summary>
    public static JsonSerializerOptions Options { get; } = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    /// <summary>Whether <paramref name="path"/> is under the FHIR API.</summary>
    public static bool Covers(PathString path) => path.StartsWithSegments(Base);

    /// <summary>The base URL clients resolve references against: <c>https://host/fhir/r4</c>.</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{Base}";

    /// <summary>Registers the OperationOutcome writer ahead of the default problem writer, so that it answers for every FHIR path.</summary>
    public static WebApplicationBuilder AddFhir(this WebApplicationBuilder builder)
    {
        // The problem details service asks its writers in order and takes the first that can write: this one must
        // come before the default JSON writer, whatever order the features register in.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, OperationOutcomeWriter>());
        return builder;
    }

    /// <summary>
    /// A 406 unless the caller accepts FHIR JSON: <c>_format</c> (json, application/json or application/fhir+json)
    /// wins over <c>Accept</c>, as FHIR R4 §3.1.0.1.10 says. XML is not served.
    /// </summary>
    public static async ValueTask<object?> NegotiateAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var format = request.Query["_format"].ToString();
        var accepted = format.Length > 0
            ? IsJson(format)
            : !request.Headers.Accept.Any(a => !string.IsNullOrEmpty(a)) ||
              (MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var types) && types.Any(t => t.MediaType.Value is { } m && IsJson(m)));
        return accepted
            ? await next(context)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status406NotAcceptable,
                title: "Not acceptable",
                detail: "This server answers FHIR JSON only: send _format=json or Accept: application/fhir+json.");
    }

    private static bool IsJson(string mediaType) =>
        mediaType.Split(';')[0].Trim().ToLowerInvariant() is "json" or "application/json" or "application/fhir+json" or "*/*" or "application/*";

    /// <summary>Writes <paramref name="resource"/> as FHIR JSON with <paramref name="status"/>.</summary>
    public static async Task WriteAsync(HttpContext context, Resource resource, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = MediaType;
        await JsonSerializer.SerializeAsync(context.Response.Body, resource, resource.GetType(), Options, context.RequestAborted);
    }

    /// <summary>Reads a FHIR resource of type <typeparamref name="T"/> from the body; null when it is not one.</summary>
    public static async Task<(T? Resource, string? Error)> ReadAsync<T>(HttpRequest request)
        where T : Resource
    {
        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted), null);
        }
        catch (DeserializationFailedException e)
        {
            return (null, e.Message);
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>An OperationOutcome of one error issue.</summary>
    public static OperationOutcome Outcome(OperationOutcome.IssueType code, string diagnostics, string? expression = null) => new()
    {
        Issue =
        [
            new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = code,
                Diagnostics = diagnostics,
                Expression = expression is null ? [] : [expression],
            },
        ],
    };

    /// <summary>The issue type an HTTP status stands for, from the FHIR issue-type code system.</summary>
    public static OperationOutcome.IssueType IssueTypeOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => OperationOutcome.IssueType.Invalid,
        StatusCodes.Status401Unauthorized => OperationOutcome.IssueType.Login,
        StatusCodes.Status403Forbidden => OperationOutcome.IssueType.Forbidden,
        StatusCodes.Status404NotFound => OperationOutcome.IssueType.NotFound,
        StatusCodes.Status405MethodNotAllowed or StatusCodes.Status406NotAcceptable or StatusCodes.Status415UnsupportedMediaType => OperationOutcome.IssueType.NotSupported,
        StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed => OperationOutcome.IssueType.Conflict,
        StatusCodes.Status410Gone => OperationOutcome.IssueType.Deleted,
        StatusCodes.Status413PayloadTooLarge => OperationOutcome.IssueType.TooLong,
        StatusCodes.Status429TooManyRequests => OperationOutcome.IssueType.Throttled,
        >= 500 => OperationOutcome.IssueType.Exception,
        _ => OperationOutcome.IssueType.Processing,
    };

    /// <summary>
    /// Every problem answered under <see cref="Base"/>, whoever raised it (authentication, the rate limiter, the
    /// clinic scope, binding, a handler, the exception handler), as an OperationOutcome with the same status and
    /// headers: one issue naming each invalid field, or one carrying the problem's detail.
    /// </summary>
    private sealed class OperationOutcomeWriter : IProblemDetailsWriter
    {
        public bool CanWrite(ProblemDetailsContext context) => Covers(context.HttpContext.Request.Path);

        public ValueTask WriteAsync(ProblemDetailsContext context)
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            var code = IssueTypeOf(status);
            var outcome = problem is HttpValidationProblemDetails { Errors.Count: > 0 } invalid
                ? new OperationOutcome
                {
                    Issue = [.. invalid.Errors.SelectMany(e => e.Value.Select(message => new OperationOutcome.IssueComponent
                    {
                        Severity = OperationOutcome.IssueSeverity.Error,
                        Code = code,
                        Diagnostics = $"{e.Key}: {message}",
                        Expression = [e.Key],
                    }))],
                }
                : Outcome(code, problem.Detail ?? problem.Title ?? Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status));
            return new ValueTask(FhirWire.WriteAsync(context.HttpContext, outcome, status));
        }
    }
}

/// <summary>
/// A FHIR answer: a resource or a Bundle, written as FHIR JSON. A resource with a version sends it as a weak ETag,
/// <c>W/"3"</c>, as FHIR R4 §3.1.0.1.9 says. The audit trail learns the patients it concerns through
/// <see cref="IPatientScoped"/>.
/// </summary>
internal sealed class FhirResult(Resource resource, IReadOnlyCollection<Guid> patients, int status = StatusCodes.Status200OK)
    : IResult, IStatusCodeHttpResult, IValueHttpResult, IContentTypeHttpResult, IPatientScoped, IEndpointMetadataProvider
{
    public Resource Resource => resource;

    int? IStatusCodeHttpResult.StatusCode => status;

    object? IValueHttpResult.Value => this;

    string IContentTypeHttpResult.ContentType => FhirWire.MediaType;

    IEnumerable<Guid> IPatientScoped.Patients => patients;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (resource is not Bundle && resource.Meta?.VersionId is { } version)
        {
            httpContext.Response.Headers.ETag = $"W/\"{version}\"";
        }

        return FhirWire.WriteAsync(httpContext, resource, status);
    }

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Resource), ["application/fhir+json"]));
    }
}
