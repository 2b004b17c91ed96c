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
