using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace KetamineScheduling.Api.Http;

/// <summary>
/// A problem answer whose status is its type. A handler returning
/// <c>Results&lt;Ok&lt;T&gt;, NotFoundProblem, ConflictProblem&gt;</c> declares its 404 and 409 by its signature, so
/// the OpenAPI document lists the outcomes the handler really has and no list kept beside it can drift.
/// </summary>
/// <remarks>
/// The <see cref="ProblemHttpResult"/> inside writes the answer, through <see cref="IProblemDetailsService"/> as
/// application/problem+json with its traceId, exactly as before. The built-in <c>NotFound&lt;ProblemDetails&gt;</c>
/// would write it as application/json, which no error of this API is. An arm of <see cref="StatusProblem"/> itself
/// declares nothing: it is for the rare handler with more kinds of answer than <c>Results&lt;&gt;</c> holds, whose
/// other declarations (the route's roles, its <see cref="IfMatch"/>) already cover the statuses that arm carries.
/// </remarks>
internal abstract class StatusProblem : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ProblemDetails>, IContentTypeHttpResult
{
    private protected const string ProblemJson = "application/problem+json";

    private readonly ProblemHttpResult problem;

    private protected StatusProblem(ProblemHttpResult problem, params ReadOnlySpan<int> statuses)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (!statuses.Contains(problem.StatusCode))
        {
            throw new ArgumentException($"A {GetType().Name} does not answer {problem.StatusCode}.", nameof(problem));
        }

        this.problem = problem;
    }

    public ProblemDetails ProblemDetails => problem.ProblemDetails;

    public int StatusCode => problem.StatusCode;

    int? IStatusCodeHttpResult.StatusCode => problem.StatusCode;

    object? IValueHttpResult.Value => problem.ProblemDetails;

    ProblemDetails? IValueHttpResult<ProblemDetails>.Value => problem.ProblemDetails;

    string? IContentTypeHttpResult.ContentType => problem.ContentType;

    public Task ExecuteAsync(HttpContext httpContext) => problem.ExecuteAsync(httpContext);

    /// <summary>
    /// A refusal by a named rule a client branches on: the problem's <c>type</c> is <see cref="Problems.RuleTypeBase"/>
    /// and <paramref name="rule"/>, and its <c>rule</c> extension is <paramref name="rule"/>, as other refusals name theirs.
    /// </summary>
    private protected static ProblemHttpResult ByRule(int status, string rule, string title, string detail, IDictionary<string, object?>? extensions) =>
        TypedResults.Problem(
            statusCode: status, type: Problems.RuleTypeBase + rule, title: title, detail: detail,
            extensions: new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["rule"] = rule });

    /// <summary>Declares <paramref name="status"/> as a problem, as <c>ProducesProblem</c> does.</summary>
    private protected static void Declare(EndpointBuilder builder, int status, Type? schema = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, schema ?? typeof(ProblemDetails), [ProblemJson]));
    }
}

/// <summary>A 403: the caller's key may not do this.</summary>
internal sealed class ForbiddenProblem : StatusProblem, IEndpointMetadataProvider
{
    private ForbiddenProblem(ProblemHttpResult problem) : base(problem, StatusCodes.Status403Forbidden)
    {
    }

    public static ForbiddenProblem Of(string detail) =>
        new(TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail));

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status403Forbidden);
}

/// <summary>A 404: what the path or the body names is not in this clinic, or not the caller's to see.</summary>
internal sealed class NotFoundProblem : StatusProblem, IEndpointMetadataProvider
{
    private NotFoundProblem(ProblemHttpResult problem) : base(problem, StatusCodes.Status404NotFound)
    {
    }

    /// <summary>A 404 for <paramref name="what"/> by <paramref name="id"/>: a clinic, or something inside the clinic in the path.</summary>
    public static NotFoundProblem Of(string what, object id) =>
        Detailed(what == "clinic" ? $"There is no clinic '{id}'." : $"There is no {what} '{id}' in this clinic.");

    /// <summary>A 404 saying <paramref name="detail"/>, for what an id does not name (a token, say).</summary>
    public static NotFoundProblem Detailed(string detail) =>
        new(TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail));

    /// <summary>
    /// A 404 for an id in the body that is not in this clinic, naming the field: another clinic's id answers exactly
    /// as one that does not exist.
    /// </summary>
    public static NotFoundProblem Reference(string field, string what, object id) =>
        new(TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [$"There is no {what} '{id}' in this clinic."] })
        {
            Status = StatusCodes.Status404NotFound,
            Title = "A referenced resource does not exist",
            Detail = $"{field} does not name a {what} in this clinic.",
        }));

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status404NotFound);
}

/// <summary>A 409: the resource is not in a state that allows this, or another one holds what it asks for.</summary>
internal sealed class ConflictProblem : StatusProblem, IEndpointMetadataProvider
{
    private ConflictProblem(ProblemHttpResult problem) : base(problem, StatusCodes.Status409Conflict)
    {
    }

    public static ConflictProblem Of(string detail, IDictionary<string, object?>? extensions = null) =>
        new(TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail, extensions: extensions));

    /// <summary>A 409 by a named rule a client branches on: see <see cref="StatusProblem.ByRule"/>.</summary>
    public static ConflictProblem Rule(string rule, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        new(ByRule(StatusCodes.Status409Conflict, rule, title, detail, extensions));

    /// <summary>
    /// A 409 naming each field of the request that says otherwise than the resource, as a validation problem names
    /// its fields: a booking that does not match its reservation, say.
    /// </summary>
    public static ConflictProblem Fields(string title, string detail, IDictionary<string, string[]> errors) =>
        new(TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status409Conflict, Title = title, Detail = detail }));

    /// <summary>A 409: the clinic requires an approved intake before a plan is booked, and this plan has none.</summary>
    public static ConflictProblem IntakeRequired(string detail) =>
        new(TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "An approved intake is required", detail: detail, type: Problems.IntakeRequiredType));

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status409Conflict);
}

/// <summary>A 410: what the request names existed, but has run out or been given up for good.</summary>
internal sealed class GoneProblem : StatusProblem, IEndpointMetadataProvider
{
    private GoneProblem(ProblemHttpResult problem) : base(problem, StatusCodes.Status410Gone)
    {
    }

    public static GoneProblem Of(string detail, IDictionary<string, object?>? extensions = null) =>
        new(TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Gone", detail: detail, extensions: extensions));

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status410Gone);
}

/// <summary>A 422: the request is well formed, but the calendar or a clinical rule cannot satisfy it.</summary>
internal sealed class UnprocessableProblem : StatusProblem, IEndpointMetadataProvider
{
    private UnprocessableProblem(ProblemHttpResult problem) : base(problem, StatusCodes.Status422UnprocessableEntity)
    {
    }

    public static UnprocessableProblem Of(string detail, IDictionary<string, object?>? extensions = null) =>
        new(TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The calendar cannot satisfy this request", detail: detail, extensions: extensions));

    /// <summary>A 422 by a named rule a client branches on: see <see cref="StatusProblem.ByRule"/>.</summary>
    public static UnprocessableProblem Rule(string rule, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        new(ByRule(StatusCodes.Status422UnprocessableEntity, rule, title, detail, extensions));

    /// <summary>A 422: a clinical rule refuses the request; each refusal names its field.</summary>
    public static UnprocessableProblem ClinicallyRefused(string detail, IReadOnlyDictionary<string, string[]> refusals) =>
        new(TypedResults.Problem(new HttpValidationProblemDetails(refusals.ToDictionary())
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "A clinical rule refuses this",
            Detail = detail,
        }));

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status422UnprocessableEntity);
}

/// <summary>
/// Why a change's <c>If-Match</c> stops it: 400 for a malformed header, 412 for a stale version, 428 for none where
/// one is required. It declares nothing itself: the <see cref="IfMatch"/> parameter that produces it declares all three.
/// </summary>
internal sealed class IfMatchProblem : StatusProblem
{
    internal IfMatchProblem(ProblemHttpResult problem)
        : base(problem, StatusCodes.Status400BadRequest, StatusCodes.Status412PreconditionFailed, StatusCodes.Status428PreconditionRequired)
    {
    }
}
