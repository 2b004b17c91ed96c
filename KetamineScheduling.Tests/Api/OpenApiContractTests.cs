using System.Text.Json.Nodes;

namespace KetamineScheduling.Tests.Api;

/// <summary>openapi/openapi.json is the contract clients are written against; the served document must match it.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiContractTests(ApiFactory factory)
{
    /// <summary>Set to 1 to rewrite openapi/openapi.json from the served document.</summary>
    private const string UpdateVariable = "KETAMINE_UPDATE_OPENAPI";

    private const string RegenerateCommand = $"{UpdateVariable}=1 dotnet test --filter FullyQualifiedName~OpenApiContractTests";

    [Fact]
    public async Task The_served_OpenAPI_document_matches_the_checked_in_contract()
    {
        var served = JsonNode.Parse(await factory.NewClient().GetStringAsync("/swagger/v1/swagger.json"))!;
        var path = Path.Combine(RepositoryRoot(), "openapi", "openapi.json");
        var text = served.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, text);
        }

        Assert.True(File.Exists(path), $"openapi/openapi.json is missing. Regenerate it with: {RegenerateCommand}");
        var contract = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.True(JsonNode.DeepEquals(served, contract), $"The served OpenAPI document differs from openapi/openapi.json. Regenerate it with: {RegenerateCommand}");
    }

    [Fact]
    public async Task Every_operation_has_a_summary_an_error_response_and_a_name()
    {
        var document = JsonNode.Parse(await factory.NewClient().GetStringAsync("/swagger/v1/swagger.json"))!;

        foreach (var (route, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                Assert.False(string.IsNullOrWhiteSpace((string?)operation!["summary"]), $"{method} {route} has no summary");
                Assert.False(string.IsNullOrWhiteSpace((string?)operation["operationId"]), $"{method} {route} has no operationId");
                Assert.Contains(operation["responses"]!.AsObject(), r => r.Key.StartsWith('4'));
                if (operation["requestBody"] is { } body)
                {
                    Assert.NotNull(body["content"]!["application/json"]!["example"]);
                }
            }
        }
    }

    [Fact]
    public async Task NodaTime_values_are_strings_with_their_formats()
    {
        var document = JsonNode.Parse(await factory.NewClient().GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemas = document["components"]!["schemas"]!;

        Assert.Equal("date", (string?)schemas["CreatePlanRequest"]!["properties"]!["startDate"]!["format"]);
        Assert.Equal("partial-time", (string?)schemas["CreatePlanRequest"]!["properties"]!["preferredStartTime"]!["format"]);
        Assert.Equal("date-time", (string?)schemas["SessionResponse"]!["properties"]!["start"]!["format"]);
        Assert.Equal("string", (string?)schemas["BookSessionRequest"]!["properties"]!["start"]!["type"]);
    }

    [Fact]
    public async Task What_can_be_null_is_declared_nullable_so_clients_read_unbooked_and_ad_hoc_sessions()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;

        Assert.True(Nullable(schemas["PlannedSessionResponse"]!["properties"]!["session"]!));
        Assert.Equal("#/components/schemas/SessionResponse", (string?)schemas["PlannedSessionResponse"]!["properties"]!["session"]!["oneOf"]![0]!["$ref"]);
        foreach (var member in new[] { "phase", "sequence", "planId", "cancelReason" })
        {
            Assert.True(Nullable(schemas["SessionResponse"]!["properties"]![member]!), $"SessionResponse.{member} is not nullable");
        }

        Assert.False(Nullable(schemas["SessionResponse"]!["properties"]!["status"]!));
        Assert.False(Nullable(schemas["PlannedSessionResponse"]!["properties"]!["phase"]!));
    }

    [Fact]
    public async Task Every_member_of_an_answer_is_required_but_a_nullable_object_and_optional_settings_carry_their_defaults()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;

        // OpenAPI 3.0's nullable does not reach through a $ref: a nullable object can only be described as left out.
        Assert.DoesNotContain("discharge", Names(schemas["SessionResponse"]!["required"]));
        foreach (var name in new[] { "SessionResponse", "PlanResponse", "PlannedSessionResponse", "ClinicResponse", "EventPage", "SessionResponsePage", "AuditEventResponse" })
        {
            var properties = schemas[name]!["properties"]!.AsObject()
                .Where(p => !(p.Value!["oneOf"] is not null && p.Value!["nullable"] is { } nullable && (bool)nullable!))
                .Select(p => p.Key).Order(StringComparer.Ordinal);
            Assert.Equal(properties, Names(schemas[name]!["required"]).Order(StringComparer.Ordinal));
        }

        var clinic = schemas["CreateClinicRequest"]!;
        Assert.Equal(["name", "openingHours", "timeZone"], Names(clinic["required"]).Order(StringComparer.Ordinal));
        Assert.Equal(15, (int)clinic["properties"]!["slotMinutes"]!["default"]!);
        Assert.Equal([5, 10, 15, 20, 30, 60], clinic["properties"]!["slotMinutes"]!["enum"]!.AsArray().Select(v => (int)v!));
        Assert.Equal(15, (int)clinic["properties"]!["turnoverMinutes"]!["default"]!);
        Assert.Equal(30, (int)clinic["properties"]!["observationMinutes"]!["default"]!);
        Assert.False((bool)clinic["properties"]!["patientsMayCancel"]!["default"]!);
        Assert.Equal(40, (int)schemas["CreatePlanRequest"]!["properties"]!["infusionMinutes"]!["default"]!);
        Assert.DoesNotContain("infusionMinutes", Names(schemas["CreatePlanRequest"]!["required"]));
        Assert.Equal(["start"], Names(schemas["RescheduleSessionRequest"]!["required"]));
        Assert.Equal("40", schemas["BookSessionRequest"]!["properties"]!["infusionMinutes"]!["minimum"]!.ToString());
        Assert.Equal("60", schemas["BookSessionRequest"]!["properties"]!["infusionMinutes"]!["maximum"]!.ToString());
    }

    [Fact]
    public async Task Fixed_value_lists_are_enums_and_the_412_declares_the_current_version()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;

        Assert.Equal(["clinic-admin", "integration", "scheduler", "clinician", "patient-app"], Names(schemas["CreateApiKeyRequest"]!["properties"]!["role"]!["enum"]));
        Assert.Contains("session.booked", Names(schemas["EventResponse"]!["properties"]!["type"]!["enum"]));
        Assert.Contains("session.booked", Names(schemas["CreateWebhookRequest"]!["properties"]!["events"]!["items"]!["enum"]));
        Assert.Subset(Names(schemas["EventResponse"]!["properties"]!["resourceType"]!["enum"]).ToHashSet(), new HashSet<string> { "chair", "clinic", "patient", "plan", "session" });
        Assert.Equal(["succeeded", "denied", "refused", "failed"], Names(schemas["AuditEventResponse"]!["properties"]!["outcome"]!["enum"]));
        Assert.Contains("api_key", Names(schemas["AuditEventResponse"]!["properties"]!["resourceType"]!["enum"]));
        Assert.Contains("BookSession", Names(schemas["AuditEventResponse"]!["properties"]!["action"]!["enum"]));
        Assert.Contains("currentVersion", Names(schemas["PreconditionFailedProblem"]!["required"]));
        Assert.Contains("etag", Names(schemas["PreconditionFailedProblem"]!["required"]));
    }

    [Fact]
    public async Task Parameters_say_which_are_required_their_formats_and_their_limits()
    {
        var paths = (await DocumentAsync())["paths"]!;

        foreach (var route in new[] { "/v1/clinics/{clinicId}/availability", "/v1/clinics/{clinicId}/sessions" })
        {
            var date = Parameter(paths[route]!["get"]!, "date");
            Assert.True((bool)date["required"]!, $"date is optional on {route}");
            Assert.Equal("date", (string?)date["schema"]!["format"]);
        }

        Assert.Equal("date", (string?)Parameter(paths["/v1/clinics/{clinicId}/closed-dates/{date}"]!["delete"]!, "date")["schema"]!["format"]);
        Assert.Equal("date-time", (string?)Parameter(paths["/v1/clinics/{clinicId}/audit-events"]!["get"]!, "from")["schema"]!["format"]);
        Assert.Equal("date-time", (string?)Parameter(paths["/v1/clinics/{clinicId}/audit-events"]!["get"]!, "to")["schema"]!["format"]);
        var limit = Parameter(paths["/v1/clinics/{clinicId}/events"]!["get"]!, "limit")["schema"]!;
        Assert.Equal(("1", "200"), (limit["minimum"]!.ToString(), limit["maximum"]!.ToString()));
    }

    [Fact]
    public async Task Every_string_integer_and_list_in_the_document_has_a_limit()
    {
        var document = await DocumentAsync();
        var unlimited = new List<string>();
        Walk(document, "$", unlimited);
        Assert.Empty(unlimited);
    }

    [Fact]
    public async Task Every_operation_documents_500_and_429_and_every_answer_the_rate_limit_fields()
    {
        var document = await DocumentAsync();
        Assert.NotNull(document["components"]!["headers"]!["RateLimit-Remaining"]);

        foreach (var (route, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var responses = operation!["responses"]!.AsObject();
                Assert.True(responses.ContainsKey("500"), $"{method} {route} has no 500");
                Assert.NotNull(responses["429"]?["headers"]?["Retry-After"]);
                Assert.All(responses.Where(r => r.Key[0] is '2' or '4'), r => Assert.NotNull(r.Value!["headers"]?["RateLimit-Limit"]));
                Assert.All(responses.Where(r => r.Value!["content"]?["application/problem+json"] is not null), r => Assert.NotNull(r.Value!["content"]!["application/problem+json"]!["example"]));
            }
        }
    }

    [Fact]
    public async Task Tags_describe_themselves_and_examples_use_the_demo_clinic()
    {
        var document = await DocumentAsync();

        Assert.All(document["tags"]!.AsArray(), tag => Assert.NotEqual((string?)tag!["name"], (string?)tag["description"]));
        Assert.DoesNotContain("<", (string?)document["components"]!["securitySchemes"]!["Bearer"]!["description"], StringComparison.Ordinal);
        var booking = document["paths"]!["/v1/clinics/{clinicId}/sessions"]!["post"]!;
        Assert.Equal("de000000-0000-4000-8000-000000000001", (string?)Parameter(booking, "clinicId")["example"]);
        Assert.Equal("de000000-0000-4000-8000-000000000002", (string?)booking["requestBody"]!["content"]!["application/json"]!["example"]!["patientId"]);
        Assert.Equal("Europe/London", (string?)document["components"]!["schemas"]!["ClinicResponse"]!["example"]!["timeZone"]);
    }

    private async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await factory.NewClient().GetStringAsync("/swagger/v1/swagger.json"))!;

    private static bool Nullable(JsonNode schema) => (bool?)schema["nullable"] == true;

    private static string[] Names(JsonNode? list) => [.. list?.AsArray().Select(n => (string)n!) ?? []];

    private static JsonNode Parameter(JsonNode operation, string name) => operation["parameters"]!.AsArray().Single(p => (string?)p!["name"] == name)!;

    // OWASP API4: a string needs maxLength (or enum), an integer minimum and maximum, a list maxItems.
    private static void Walk(JsonNode? node, string path, List<string> unlimited)
    {
        if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Walk(array[i], $"{path}[{i}]", unlimited);
            }
        }

        if (node is not JsonObject schema)
        {
            return;
        }

        var type = schema["type"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        var limited = type switch
        {
            "string" => schema.ContainsKey("maxLength") || schema.ContainsKey("enum"),
            "integer" => schema.ContainsKey("minimum") && schema.ContainsKey("maximum"),
            "array" => schema.ContainsKey("maxItems"),
            _ => true,
        };
        if (!limited && !path.Contains(".example", StringComparison.Ordinal))
        {
            unlimited.Add(path);
        }

        foreach (var (key, child) in schema)
        {
            Walk(child, $"{path}.{key}", unlimited);
        }
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "KetamineScheduling.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (KetamineScheduling.sln) above the test binaries.");
    }
}
