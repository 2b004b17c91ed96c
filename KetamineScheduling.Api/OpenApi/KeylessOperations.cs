using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace KetamineScheduling.Api.OpenApi;

/// <summary>
/// Documents what an operation that takes no key does instead: it requires no security scheme (the document's
/// default is a bearer key), and when it can answer 304, it takes If-None-Match and sends an ETag. A calendar feed
/// fetched by a phone is the one such operation.
/// </summary>
internal sealed class KeylessOperations : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
        {
            return;
        }

        // An empty list, not none: none would inherit the document's bearer requirement.
        operation.Security = [];
        if (operation.Responses is not { } responses || !responses.ContainsKey("304"))
        {
            return;
        }

        IntegrationHeaders.AddHeader(operation, "If-None-Match", "The ETag of the copy the caller holds: an unchanged resource answers 304 with no body.");
        foreach (var status in new[] { "200", "304" })
        {
            if (responses.TryGetValue(status, out var response) && response is OpenApiResponse concrete)
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers["ETag"] = new OpenApiHeader
                {
                    Description = "A strong entity tag of the content: send it back in If-None-Match.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
        }
    }
}
