using System.Text.Json;
using System.Text.Json.Nodes;
using KetamineScheduling.Api.Http;
using Microsoft.OpenApi;
using NodaTime;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace KetamineScheduling.Api.OpenApi;

/// <summary>
/// The OpenAPI document (checked in as openapi/openapi.json) and Swagger UI at /swagger.
/// </summary>
internal static class OpenApiDocument
{
    /// <summary>Where the served document lives.</summary>
    public const string Route = "/swagger/v1/swagger.json";

    /// <summary>Whether Swagger UI is served at /swagger; default true in Development only.</summary>
    public const string ServeUiSetting = "OpenApi:ServeUi";

    /// <summary>The security scheme every /v1 operation requires: an API key as a bearer token.</summary>
    private const string BearerScheme = "Bearer";

    public static WebApplicationBuilder AddOpenApiDocument(this WebApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "KetamineScheduling API",
                Version = "v1",
                Description = "Plan and book ketamine IV infusion treatment: clinics, chairs, patients, treatment plans and sessions. " +
                    "Local times are in the clinic's IANA time zone; session times are RFC 3339 with the offset on that date. " +
                    "Instants are written in UTC with Z and read with any RFC 3339 offset. Every member of an answer is present, " +
                    "null when it has no value. A string field without its own limit holds at most " +
                    $"{ContractDocument.DefaultMaxLength} characters, and a list without one at most {ContractDocument.DefaultMaxItems} items.",
                License = new OpenApiLicense { Name = "MIT", Url = new Uri("https://opensource.org/licenses/MIT") },
                Contact = new OpenApiContact { Name = "KetamineScheduling maintainers" },
            });
            options.AddServer(new OpenApiServer
            {
                Url = "/",
                Description = "The server this document was fetched from: local, staging or production alike.",
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(JsonValue.Create(false)) },
            });
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                // Swagger UI renders descriptions as HTML, so the key is described in words, never as <key>.
                Description = "An API key sent as a bearer token: the header `Authorization: Bearer ` followed by the whole key, " +
                    "which starts with `ks_`. Each operation's description names the roles it allows.",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
            options.MapType<LocalDate>(() => Text("date", "2027-01-11", $"A calendar date in the clinic's calendar, {Dates.Range}."));
            // JSON Schema's "time" is RFC 3339 full-time, which carries an offset; a clinic's local time has none,
            // so it is RFC 3339's partial-time.
            options.MapType<LocalTime>(() => Text("partial-time", "10:00", "A local time of day in the clinic's zone, HH:mm or HH:mm:ss, without an offset.", @"^\d{2}:\d{2}(:\d{2})?$"));
            options.MapType<LocalDateTime>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Pattern = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$",
                Examples = [JsonValue.Create("2027-05-03T10:00")],
                Description = $"A local date and time in the clinic's zone, without an offset; its date {Dates.Range}.",
            });
            options.MapType<OffsetDateTime>(() => Text("date-time", "2027-10-31T10:00:00+00:00", $"RFC 3339: the clinic's local time with its UTC offset on that date, {Dates.Range}."));
            options.MapType<Instant>(() => Text("date-time", "2027-01-11T10:00:00Z", $"An instant, in UTC, {Dates.Range}."));
            options.MapType<IsoDayOfWeek>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. Enum.GetNames<IsoDayOfWeek>().Where(d => d != nameof(IsoDayOfWeek.None)).Select(d => (JsonNode)JsonValue.Create(d)!)],
                Examples = [JsonValue.Create("Monday")],
            });
            // A route that also answers HEAD (the calendar feed) says so in its GET: one operation, one operationId.
            options.DocInclusionPredicate((document, api) =>
                !HttpMethods.IsHead(api.HttpMethod ?? "") && (api.GroupName is null || api.GroupName == document));
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
            options.IncludeXmlComments(typeof(OpenApiDocument).Assembly);
            options.SchemaFilter<ContractSchemas>();
            options.OperationFilter<RequestExamples>();
            options.OperationFilter<IntegrationHeaders>();
            options.OperationFilter<DateParameters>();
            options.OperationFilter<StandardResponses>();
            options.OperationFilter<KeylessOperations>();
            options.OperationFilter<TextResponses>();
            options.DocumentFilter<ContractDocument>();
        });
        return builder;
    }

    public static WebApplication MapOpenApiDocument(this WebApplication app)
    {
        // Integrators fetch the document in every environment; the UI, which invites anyone to try requests, is on
        // only where OpenApi:ServeUi says so, by default in Development alone.
        var serveUi = app.Configuration.GetValue(ServeUiSetting, app.Environment.IsDevelopment());

        // Both are middleware that look at every request's path; only requests under /swagger need to pass them.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase), swagger =>
        {
            swagger.UseSwagger();
            if (serveUi)
            {
                swagger.UseSwaggerUI(ui => ui.SwaggerEndpoint(Route, "KetamineScheduling API v1"));
            }
        });
        return app;
    }

    private static OpenApiSchema Text(string format, string example, string description, string? pattern = null) => new()
    {
        Type = JsonSchemaType.String,
        Format = format,
        Pattern = pattern,
        Examples = [JsonValue.Create(example)],
        Description = description,
    };

    /// <summary>Puts an example body on every operation that takes one, written with the API's own JSON rules.</summary>
    private sealed class RequestExamples : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var body = context.ApiDescription.ParameterDescriptions.FirstOrDefault(p => p.Source.Id == "Body");
            if (body is null || operation.RequestBody?.Content is not { } content || !Examples.Requests.TryGetValue(body.Type, out var example))
            {
                return;
            }

            foreach (var media in content.Values.OfType<OpenApiMediaType>())
            {
                media.Example = Examples.Write(example, body.Type);
            }
        }
    }
}
