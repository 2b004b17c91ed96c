using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace KetamineScheduling.Api.OpenApi;

/// <summary>
/// A 200 answer's media type that is text rather than JSON (CSV, SVG): the OpenAPI document shows it as a string
/// with this description, instead of the JSON schema of the answer it may also be.
/// </summary>
/// <param name="MediaType">The media type, such as text/csv.</param>
/// <param name="Description">What the text holds.</param>
/// <param name="MaxLength">The longest the text can be, in characters.</param>
/// <param name="Example">A short example of the text.</param>
internal sealed record TextResponse(string MediaType, string Description, int MaxLength, string Example)
{
    /// <summary>
    /// The longest a report's text is said to be: 32 MiB, well above 92 days of a clinic with a thousand chairs.
    /// </summary>
    public const int MaxReportLength = 32 * 1024 * 1024;
}

/// <summary>Documents each <see cref="TextResponse"/> of an operation as a string schema under its media type.</summary>
internal sealed class TextResponses : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var texts = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<TextResponse>().ToList();
        if (texts.Count == 0 || operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse response)
        {
            return;
        }

        response.Content ??= new Dictionary<string, IOpenApiMediaType>();
        foreach (var text in texts)
        {
            response.Content[text.MediaType] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = text.Description, MaxLength = text.MaxLength },
                Example = System.Text.Json.Nodes.JsonValue.Create(text.Example),
            };
        }
    }
}
