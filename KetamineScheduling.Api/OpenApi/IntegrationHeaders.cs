using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Idempotency;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace KetamineScheduling.Api.OpenApi;

/// <summary>
/// Documents the headers integrations use, which handlers do not bind as ordinary parameters:
/// <c>Idempotency-Key</c> on every POST, with its 400, 409 and 422 answers; <c>If-Match</c> on changes, with their 412
/// and 428 answers; and <c>ETag</c> on responses that are one versioned resource.
/// </summary>
internal sealed class IntegrationHeaders : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (context.ApiDescription.HttpMethod == HttpMethods.Post && context.ApiDescription.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true)
        {
            AddHeader(operation, IdempotencyMiddleware.KeyHeader,
                "Optional. A unique key, such as a UUID, that makes the request safe to retry: a retry with the same key and body gets " +
                "the first response again, with Idempotent-Replayed: true. The same key with a different body gets 422; while the " +
                "first request is still running, 409. If the server stopped while running the first request, a retry after a minute " +
                "(Idempotency:AbandonAfterSeconds) runs it again when it had changed nothing, and gets 409 when its change was made but " +
                "its answer lost. Keys are kept for 24 hours (Idempotency:RetentionHours).");
            // A key that is not one visible-ASCII key of at most 255 characters is a 400 naming the header.
            AddProblem(operation, context, StatusCodes.Status400BadRequest, "Bad Request", typeof(HttpValidationProblemDetails));
            AddProblem(operation, context, StatusCodes.Status409Conflict, "Conflict");
            AddProblem(operation, context, StatusCodes.Status422UnprocessableEntity, "Unprocessable Content");
            if (metadata.OfType<EncryptedReplay>().Any())
            {
                operation.Description = $"{operation.Description} {EncryptedReplay.Description}".Trim();
            }
        }

        if (metadata.OfType<IfMatch.Accepted>().Any())
        {
            AddHeader(operation, "If-Match",
                "The ETag of the version this change was made against, such as \"3\", or * for any version. A stale one gets 412 " +
                "and changes nothing. When the API runs with Concurrency:RequireIfMatch=true a change without it gets 428.");
            AddProblem(operation, context, StatusCodes.Status400BadRequest, "Bad Request", typeof(HttpValidationProblemDetails));
        }

        if (metadata.OfType<Preconditions.SendsETag>().Any() && operation.Responses is { } responses)
        {
            foreach (var type in context.ApiDescription.SupportedResponseTypes.Where(t => t.Type is not null && typeof(IVersioned).IsAssignableFrom(t.Type)))
            {
                if (responses.TryGetValue(type.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) && response is OpenApiResponse concrete)
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    concrete.Headers["ETag"] = new OpenApiHeader
                    {
                        Description = "The resource's version as a strong entity tag, such as \"3\": send it back in If-Match.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
            }
        }
    }

    /// <summary>Adds a header parameter, or finds the one already there.</summary>
    internal static void AddHeader(OpenApiOperation operation, string name, string description)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.All(p => p.Name != name))
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Header,
                Required = false,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }

    /// <summary>Adds a problem response for <paramref name="status"/> unless the operation already declares one.</summary>
    internal static void AddProblem(OpenApiOperation operation, OperationFilterContext context, int status, string description, Type? problem = null)
    {
        operation.Responses ??= [];
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses.ContainsKey(key))
        {
            operation.Responses[key] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["application/problem+json"] = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(problem ?? typeof(ProblemDetails), context.SchemaRepository) },
                },
            };
        }
    }

    // Responses declared by parameters come first in endpoint metadata; readers expect them by status code.
    internal static void SortResponses(OpenApiOperation operation)
    {
        if (operation.Responses is not { } responses)
        {
            return;
        }

        var sorted = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (key, value) in sorted)
        {
            responses[key] = value;
        }
    }
}
