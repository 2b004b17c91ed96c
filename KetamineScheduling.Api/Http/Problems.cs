using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KetamineScheduling.Api.Http;

/// <summary>
/// The one place failures become RFC 9457 problem responses: the shapes handlers return, and the exception
/// handler for what binding and the server throw.
/// </summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string what, object id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no {what} '{id}' in this clinic.");

    /// <summary>A 403: the caller's key may not do this.</summary>
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static ProblemHttpResult Conflict(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail, extensions: extensions);

    public static ProblemHttpResult Unprocessable(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The calendar cannot satisfy this request", detail: detail, extensions: extensions);

    /// <summary>
    /// A 404 for an id in the body that is not in this clinic, naming the field: another clinic's id answers exactly
    /// as one that does not exist.
    /// </summary>
    public static ProblemHttpResult UnknownReference(string field, string what, object id) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [$"There is no {what} '{id}' in this clinic."] })
        {
            Status = StatusCodes.Status404NotFound,
            Title = "A referenced resource does not exist",
            Detail = $"{field} does not name a {what} in this clinic.",
        });

    /// <summary>A 400 for a request header that cannot be read, naming the header.</summary>
    public static ProblemHttpResult BadHeader(string header, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [header] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid",
            Detail = $"The {header} header is not valid.",
        });

    /// <summary>A 412: the client's If-Match names a version that is no longer current. Nothing was changed.</summary>
    public static ProblemHttpResult PreconditionFailed(int currentVersion) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "The resource has changed",
            detail: $"If-Match does not match the current version, {currentVersion}. Nothing was changed; fetch the resource, check the change still applies and send it again with the new ETag.",
            extensions: new Dictionary<string, object?> { ["currentVersion"] = currentVersion, ["etag"] = Preconditions.ETag(currentVersion) });

    /// <summary>A 428: this API is configured to require If-Match on every change.</summary>
    public static ProblemHttpResult PreconditionRequired() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status428PreconditionRequired,
            title: "If-Match is required",
            detail: "Send If-Match with the ETag of the version you last read, so the change cannot overwrite one you have not seen.");

    /// <summary>A 409: the first request with this Idempotency-Key is still running.</summary>
    public static ProblemHttpResult IdempotencyKeyInUse() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "A request with this Idempotency-Key is still being processed",
            detail: "Retry after it has finished; the retry will receive its response.");

    /// <summary>A 409: the first request with this Idempotency-Key made its change, but its answer was lost with the server that ran it.</summary>
    public static ProblemHttpResult IdempotencyAnswerLost() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "The first request with this Idempotency-Key made its change, but its answer was lost",
            detail: "The server stopped after the change was committed and before its answer was kept. Read the resource to see the result; do not retry.");

    /// <summary>A 422: the Idempotency-Key was first used with another request (method, path or body).</summary>
    public static ProblemHttpResult IdempotencyKeyReused() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "This Idempotency-Key was used for a different request",
            detail: "A key may only be retried with the same method, path and body. Use a new key for a new request.");

    /// <summary>Registers problem details and the exception handler that maps binding failures to 400 and 413.</summary>
    public static WebApplicationBuilder AddProblems(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestHandler>();

        // Binding failures must reach the handler everywhere, not only in Development, so they can name the field.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        return builder;
    }

    /// <summary>The largest request body the API reads: 1 MB.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public static WebApplication UseProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Turns what model binding throws into 400 or 413 problems that name the offending field.</summary>
    private sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is ConflictException conflict)
            {
                httpContext.Response.StatusCode = StatusCodes.Status409Conflict;
                return await problems.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = httpContext,
                    ProblemDetails = { Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = conflict.Message },
                });
            }

            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }

            var status = bad.StatusCode;
            var problem = new HttpValidationProblemDetails
            {
                Status = status,
                Title = status switch
                {
                    StatusCodes.Status413PayloadTooLarge => "The request body is too large",
                    StatusCodes.Status415UnsupportedMediaType => "The request body must be application/json",
                    _ => "The request is malformed",
                },
                Detail = status == StatusCodes.Status413PayloadTooLarge ? $"Request bodies are limited to {MaxBodyBytes} bytes." : Describe(bad),
            };
            if (bad.InnerException is JsonException { Path: { } path } json)
            {
                foreach (var field in MissingFields(json.Message) is { Length: > 0 } missing ? missing : [FieldName(path)])
                {
                    problem.Errors[field] = [Describe(json)];
                }
            }

            httpContext.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
        }

        private static string Describe(BadHttpRequestException bad) => bad.InnerException switch
        {
            JsonException json => Describe(json),
            _ => bad.Message,
        };

        // JsonException messages name .NET types; clients need the field and what was wrong with it.
        private static string Describe(JsonException json)
        {
            var message = json.InnerException?.Message ?? json.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            return cut > 0 ? message[..cut] : message;
        }

        // "... was missing required properties including: 'start', 'infusionMinutes'."
        private static string[] MissingFields(string message)
        {
            var at = message.IndexOf("missing required properties including:", StringComparison.Ordinal);
            return at < 0 ? [] : message[at..].Split('\'').Where((_, i) => i % 2 == 1).ToArray();
        }

        private static string FieldName(string path) =>
            path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }
}
