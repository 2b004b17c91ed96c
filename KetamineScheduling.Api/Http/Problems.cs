using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace KetamineScheduling.Api.Http;

/// <summary>
/// Where failures become RFC 9457 problem responses outside a handler's signature: the answers of middleware and
/// of If-Match, and the exception handler for what binding and the server throw. A handler's own refusals are the
/// typed answers beside this (<see cref="NotFoundProblem"/> and its siblings), whose statuses the OpenAPI document
/// reads from the handler's signature.
/// </summary>
internal static class Problems
{
    /// <summary>Where the problem types of named rules begin; a rule's type ends in its name, such as <c>urn:ketamine-scheduling:problem:not-ready</c>.</summary>
    public const string RuleTypeBase = "urn:ketamine-scheduling:problem:";

    /// <summary>The problem type of a booking refused because the plan has no approved intake.</summary>
    public const string IntakeRequiredType = RuleTypeBase + "intake-required";

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
        app.Use(RefuseUnknownCharsets);
        app.Use(RefuseUnknownEnumValues);
        return app;
    }

    /// <summary>A 400 for an enum query value the binder would read as flags or a number (see <see cref="RequestErrors.OfEnumQuery"/>).</summary>
    private static Task RefuseUnknownEnumValues(HttpContext context, RequestDelegate next) =>
        RequestErrors.OfEnumQuery(context) is { } errors ? AnswerAsync(context, Invalid(errors)) : next(context);

    /// <summary>Answers from middleware, before the endpoint runs, as the exception handler would.</summary>
    private static Task AnswerAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status!.Value;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
    }

    /// <summary>
    /// A 415 for a body whose charset names no encoding, such as <c>application/json; charset=bogus</c>: the JSON
    /// reader would otherwise fail on it deep inside binding, as a 500.
    /// </summary>
    private static Task RefuseUnknownCharsets(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentType is not { } contentType ||
            !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media) ||
            !media.Charset.HasValue || IsKnownEncoding(media.Charset.Value!))
        {
            return next(context);
        }

        return AnswerAsync(context, UnsupportedMediaType(
            $"'{media.Charset.Value}' is not a character set this API reads. Send JSON as UTF-8: Content-Type: application/json; charset=utf-8, or no charset."));
    }

    private static bool IsKnownEncoding(string charset)
    {
        try
        {
            _ = System.Text.Encoding.GetEncoding(charset.Trim('"'));
            return true;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    private static ProblemDetails UnsupportedMediaType(string detail = "Send the body as JSON, with Content-Type: application/json.") => new()
    {
        Status = StatusCodes.Status415UnsupportedMediaType,
        Title = "The request body must be application/json",
        Detail = detail,
    };

    /// <summary>A 400 naming each field; the detail repeats the errors for clients that show only the detail.</summary>
    private static HttpValidationProblemDetails Invalid(Dictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request is not valid",
        Detail = string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
    };

    /// <summary>Turns what model binding throws into 400 or 413 problems that name the offending field.</summary>
    private sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is ConflictException conflict)
            {
                httpContext.Response.StatusCode = StatusCodes.Status409Conflict;
                var details = new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = conflict.Message };
                foreach (var (key, value) in conflict.Extensions)
                {
                    details.Extensions[key] = value;
                }

                return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details });
            }

            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }

            var status = bad.StatusCode;
            var problem = status switch
            {
                StatusCodes.Status413PayloadTooLarge => new ProblemDetails
                {
                    Status = status, Title = "The request body is too large", Detail = $"Request bodies are limited to {MaxBodyBytes} bytes.",
                },
                StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType(),
                StatusCodes.Status400BadRequest => Invalid(RequestErrors.Of(bad, httpContext)),
                _ => new ProblemDetails { Status = status, Title = "The request could not be read" },
            };

            httpContext.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
        }
    }
}
