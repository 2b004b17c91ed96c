using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using KetamineScheduling.Api.Http;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace KetamineScheduling.Api.OpenApi;

/// <summary>
/// Makes each object schema say what the C# contract type says, so that a client generated from the document reads
/// every answer and sends what the API expects:
/// <list type="bullet">
/// <item>a nullable property that refers to another schema (a plan session not yet booked, an ad-hoc session's
/// phase) is declared nullable; OpenAPI 3.0 ignores <c>nullable</c> beside <c>$ref</c>, so the reference is wrapped
/// in a one-item <c>oneOf</c>, the shape NSwag itself writes and reads as "this type or null";</item>
/// <item>a property is required when the JSON must carry it: a <c>required</c> member, or a constructor parameter
/// with no default that cannot be null (responses are all required by <see cref="ContractDocument"/>);</item>
/// <item>an optional property with a server default (<c>slotMinutes = 15</c>) carries that <c>default</c>, so a
/// typed client starts from it instead of 0 or false;</item>
/// <item><see cref="AllowedValuesAttribute"/> and <see cref="ValuesOfAttribute"/> become <c>enum</c>s;</item>
/// <item>a type with an example in <see cref="Examples.Responses"/> shows it.</item>
/// </list>
/// </summary>
internal sealed class ContractSchemas : ISchemaFilter
{
    private static readonly JsonSerializerOptions Json = ClinicJson.Configure(new JsonSerializerOptions());

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete || context.MemberInfo is not null || context.ParameterInfo is not null)
        {
            return;
        }

        if (Examples.For(context.Type) is { } example)
        {
            concrete.Examples = [Examples.Write(example, context.Type)!];
        }

        if (concrete.Properties is not { Count: > 0 } properties)
        {
            return;
        }

        // Every problem the API writes has a status and a title; the other members are left out when empty.
        if (typeof(Microsoft.AspNetCore.Mvc.ProblemDetails).IsAssignableFrom(context.Type))
        {
            concrete.Required = new SortedSet<string>(["status", "title"], StringComparer.Ordinal);
            if (properties.TryGetValue("status", out var status) && status is OpenApiSchema code)
            {
                code.Minimum = "400";
                code.Maximum = "599";
            }

            foreach (var extra in properties.Keys.Where(k => k is not ("type" or "title" or "status" or "detail" or "instance" or "errors")))
            {
                concrete.Required.Add(extra);
            }

            return;
        }

        var parameters = context.Type.GetConstructors()
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault()?.GetParameters()
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, StringComparer.OrdinalIgnoreCase) ?? [];
        var defaults = DefaultsOf(context.Type);
        var nullability = new NullabilityInfoContext();

        // Swashbuckle requires every non-nullable member; a member with a default is optional, so the set starts empty.
        concrete.Required = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!properties.TryGetValue(name, out var propertySchema))
            {
                continue;
            }

            var parameter = parameters.GetValueOrDefault(property.Name);
            var nullable = nullability.Create(property).ReadState == NullabilityState.Nullable;
            if (nullable && propertySchema is OpenApiSchemaReference reference)
            {
                // OpenAPI 3.0 wants the type beside nullable: an enum is a string as long as its longest name, anything
                // else referred to is an object.
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                properties[name] = propertySchema = type.IsEnum
                    ? new OpenApiSchema { OneOf = [reference], Type = JsonSchemaType.String | JsonSchemaType.Null, MaxLength = Enum.GetNames(type).Max(n => n.Length) }
                    : new OpenApiSchema { OneOf = [reference], Type = JsonSchemaType.Object | JsonSchemaType.Null };
            }

            var required = property.GetCustomAttribute<RequiredMemberAttribute>() is not null ||
                (parameter is { HasDefaultValue: false } && !nullable && defaults?.ContainsKey(property.Name) != true);
            if (required)
            {
                concrete.Required.Add(name);
            }
            else if (propertySchema is OpenApiSchema inline && !nullable && property.PropertyType.IsValueType &&
                (parameter is { HasDefaultValue: true } ? parameter.DefaultValue : defaults?.GetValueOrDefault(property.Name)) is { } value)
            {
                inline.Default = JsonSerializer.SerializeToNode(value, property.PropertyType, Json);
            }

            if (propertySchema is OpenApiSchema target)
            {
                ApplyValueSets(target, property, parameter);
            }
        }
    }

    /// <summary>The values a type's properties start with when a request leaves them out, for types that can be made empty.</summary>
    private static Dictionary<string, object?>? DefaultsOf(Type type)
    {
        if (type.GetConstructor(Type.EmptyTypes) is not { } constructor)
        {
            return null;
        }

        var instance = constructor.Invoke(null);
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<RequiredMemberAttribute>() is null && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, p => p.GetValue(instance));
    }

    private static void ApplyValueSets(OpenApiSchema schema, PropertyInfo property, ParameterInfo? parameter)
    {
        var attributes = property.GetCustomAttributes().Concat(parameter?.GetCustomAttributes() ?? []).ToList();
        var values = attributes.OfType<ValuesOfAttribute>().FirstOrDefault()?.Values().Select(v => JsonSerializer.SerializeToNode(v, Json))
            ?? attributes.OfType<AllowedValuesAttribute>().FirstOrDefault()?.Values.Select(v => JsonSerializer.SerializeToNode(v, Json));
        if (values is null)
        {
            return;
        }

        // A list's set applies to each of its items; the items schema may be shared, so it gets its own copy.
        var target = schema;
        if (schema.Type?.HasFlag(JsonSchemaType.Array) == true && schema.Items is OpenApiSchema items)
        {
            schema.Items = target = new OpenApiSchema { Type = items.Type, Format = items.Format, Description = items.Description };
        }

        target.Enum = [.. values.OfType<JsonNode>()];
        target.MaxLength = null;
    }
}
