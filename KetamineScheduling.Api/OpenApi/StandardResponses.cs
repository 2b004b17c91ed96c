using System.Globalization;
using System.Text.Json.Nodes;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Idempotency;
using KetamineScheduling.Domain.Plans;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace KetamineScheduling.Api.OpenApi;

/// <summary>
/// What every operation shares, applied to each one so that routes added later get it too: the 401 and 429 every
/// keyed route may answer (a keyless one only the 429), the 404 every route under a clinic may answer, the 500 any route may answer, an example on every problem, and the limits, formats and
/// examples of the query and path parameters the API uses under the same name everywhere.
/// </summary>
/// <remarks>
/// "from" and "to" are instants wherever they appear, but where an operation carries a <see cref="LocalDateParameter"/>
/// of that name, which a report over local dates does, the parameter is that local date instead.
/// </remarks>
internal sealed class StandardResponses : IOperationFilter
{
    /// <summary>What a parameter of this name is, wherever it appears: the handlers parse and check it the same way.</summary>
    private static readonly Dictionary<string, Action<OpenApiParameter, OpenApiSchema>> Parameters = new(StringComparer.Ordinal)
    {
        ["limit"] = (_, s) => Integer(s, 1, Cursor.MaxLimit, Cursor.DefaultLimit),
        ["cursor"] = (_, s) => CursorText(s),
        ["after"] = (_, s) => CursorText(s),
        // The day view and availability need a date; a closed date's path is one.
        ["date"] = (p, s) => { Text(s, "date", 10); p.Required = true; p.Example = JsonValue.Create("2027-05-03"); },
        ["from"] = (p, s) => { Text(s, "date-time", 35); p.Example = JsonValue.Create("2027-01-01T00:00:00Z"); },
        ["to"] = (p, s) => { Text(s, "date-time", 35); p.Example = JsonValue.Create("2027-02-01T00:00:00Z"); },
        ["externalId"] = (p, s) => { s.MaxLength = 100; p.Example = JsonValue.Create(DemoClinic.Patient.ExternalId); },
        ["infusionMinutes"] = (p, s) => { Integer(s, Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes); p.Required = p.In == ParameterLocation.Query; p.Example = JsonValue.Create(40); },
        ["observationMinutes"] = (_, s) => Integer(s, 0, Protocol.MaxObservationMinutes),
        ["clinicId"] = (p, _) => p.Example = JsonValue.Create(DemoClinic.ClinicId.ToString()),
        ["patientId"] = (p, _) => p.Example = JsonValue.Create(DemoClinic.PatientId.ToString()),
        ["chairId"] = (p, _) => p.Example = JsonValue.Create(DemoClinic.Chairs[0].Id.ToString()),
        [IdempotencyMiddleware.KeyHeader] = (p, s) => { s.MaxLength = IdempotencyMiddleware.MaxKeyLength; s.Pattern = "^[ -~]+$"; p.Example = JsonValue.Create("5f0c6f0e-8a47-4b8e-9a43-2f1d6c9e7b21"); },
        ["If-Match"] = (p, s) => { s.MaxLength = 1000; p.Example = JsonValue.Create("\"1\""); },
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true)
        {
            // An operation that takes no key (a calendar feed) is never refused for the want of one, but is limited all the same.
            if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
            {
                IntegrationHeaders.AddProblem(operation, context, StatusCodes.Status429TooManyRequests, "Too Many Requests: this resource's rate limit is spent; retry after Retry-After seconds");
            }
            else
            {
                IntegrationHeaders.AddProblem(operation, context, StatusCodes.Status401Unauthorized, "Unauthorized: no API key, or one that is unknown, revoked or expired");
                IntegrationHeaders.AddProblem(operation, context, StatusCodes.Status429TooManyRequests, "Too Many Requests: the key's rate limit is spent; retry after Retry-After seconds");
            }
        }

        // Access answers 404 for a {clinicId} that is not the key's clinic before any handler runs (ScopeToClinic),
        // so every operation under a clinic may answer it, whatever its handler returns.
        if (context.ApiDescription.ParameterDescriptions.Any(p => p.Name == "clinicId" && p.Source.Id == "Path"))
        {
            IntegrationHeaders.AddProblem(operation, context, StatusCodes.Status404NotFound, "Not Found");
        }

        IntegrationHeaders.AddProblem(operation, context, StatusCodes.Status500InternalServerError, "Internal Server Error: nothing was changed that the answer does not say");

        var localDates = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<LocalDateParameter>().ToDictionary(d => d.Name);
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Name is { } local && localDates.TryGetValue(local, out var date))
            {
                Text(parameter.Schema as OpenApiSchema ?? new OpenApiSchema(), "date", 10);
                parameter.Required = true;
                parameter.Description = $"{date.Description} A local date in the clinic's calendar, yyyy-MM-dd, {Dates.Range}.";
                parameter.Example = JsonValue.Create(date.Example);
            }
            else if (parameter.Name is { } name && Parameters.TryGetValue(name, out var rule))
            {
                rule(parameter, parameter.Schema as OpenApiSchema ?? new OpenApiSchema());
            }
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is OpenApiResponse { Content: { } content } && content.TryGetValue("application/problem+json", out var media) && media is OpenApiMediaType { Example: null } concrete)
            {
                concrete.Example = ProblemExample(int.Parse(status, CultureInfo.InvariantCulture));
            }
        }

        IntegrationHeaders.SortResponses(operation);
    }

    private static void Integer(OpenApiSchema schema, int minimum, int maximum, int? fallback = null)
    {
        schema.Minimum = minimum.ToString(CultureInfo.InvariantCulture);
        schema.Maximum = maximum.ToString(CultureInfo.InvariantCulture);
        schema.Default = fallback is { } value ? JsonValue.Create(value) : schema.Default;
    }

    private static void Text(OpenApiSchema schema, string format, int maxLength)
    {
        schema.Format = format;
        schema.MaxLength = maxLength;
    }

    // Cursors are base64url, as the API writes them.
    private static void CursorText(OpenApiSchema schema)
    {
        schema.MaxLength = 500;
        schema.Pattern = "^[A-Za-z0-9_-]*$";
    }

    /// <summary>The RFC 9110 sections ASP.NET Core names as a problem's type; 428 and 429 have none.</summary>
    private static readonly Dictionary<int, string> ProblemTypes = new()
    {
        [400] = "15.5.1", [401] = "15.5.2", [403] = "15.5.4", [404] = "15.5.5", [409] = "15.5.10", [412] = "15.5.13", [422] = "15.5.21", [500] = "15.6.1",
    };

    /// <summary>A problem as the API writes it for <paramref name="status"/>.</summary>
    private static JsonObject ProblemExample(int status)
    {
        var (title, detail) = status switch
        {
            400 => ("The request is not valid", "See errors: each field named, and what it must be."),
            401 => ("Unauthorized", "Send an API key as Authorization: Bearer followed by the key."),
            403 => ("Forbidden", "This key's role may not do this."),
            404 => ("Not Found", $"There is no session '{Guid.Parse("0194f3a2-6b1d-7a01-9c3e-5f7a9b1c3d5e")}' in this clinic."),
            409 => ("Conflict", "Chair 1 is taken at 2027-05-03T10:00."),
            412 => ("Precondition Failed", "The resource has changed since that version was read: it is now at version 3."),
            422 => ("Unprocessable Content", "The session cannot start at 2027-05-03T07:00: the clinic opens at 08:00."),
            428 => ("Precondition Required", "This server requires If-Match on every change."),
            429 => ("Too many requests", "A key may make 200 requests a second, in bursts of up to 400. Retry after 1 s."),
            _ => ("An error occurred while processing your request.", null),
        };
        var problem = new JsonObject();
        if (ProblemTypes.TryGetValue(status, out var section))
        {
            problem["type"] = $"https://tools.ietf.org/html/rfc9110#section-{section}";
        }

        problem["title"] = title;
        problem["status"] = status;
        if (detail is not null)
        {
            problem["detail"] = detail;
        }

        if (status == 400)
        {
            problem["errors"] = new JsonObject { ["infusionMinutes"] = new JsonArray("Must be from 40 to 60; it was 90.") };
        }

        if (status == 412)
        {
            problem["currentVersion"] = 3;
            problem["etag"] = Preconditions.ETag(3);
        }

        problem["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
        return problem;
    }
}

/// <summary>A query parameter that is a required local date (yyyy-MM-dd) on this operation, whatever its name means elsewhere.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Description">What the date is, as a sentence.</param>
/// <param name="Example">An example date.</param>
internal sealed record LocalDateParameter(string Name, string Description, string Example);
