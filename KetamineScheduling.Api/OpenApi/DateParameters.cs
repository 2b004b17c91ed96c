using KetamineScheduling.Api.Http;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace KetamineScheduling.Api.OpenApi;

/// <summary>
/// Says what the date parameters read as text take, and the range of <see cref="Dates"/>: their schema is a plain
/// string, because the handler parses them to name the parameter in its 400.
/// </summary>
internal sealed class DateParameters : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Schema is not OpenApiSchema { Type: JsonSchemaType.String } || !string.IsNullOrEmpty(parameter.Description))
            {
                continue;
            }

            parameter.Description = parameter.Name switch
            {
                "date" => $"A date as yyyy-MM-dd, {Dates.Range}.",
                "from" or "to" => $"An RFC 3339 date and time with an offset, such as 2027-01-04T09:00:00Z, {Dates.Range}.",
                _ => parameter.Description,
            };
        }
    }
}
