using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace KetamineScheduling.Tests.Api;

/// <summary>What an operator reads for each request: one entry naming the route, never the data it carried.</summary>
public sealed class RequestLoggingTests
{
    private const string Category = "Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware";

    [Fact]
    public async Task A_request_is_one_log_entry_with_its_route_template_status_duration_request_id_and_key_id_and_none_of_its_data()
    {
        // The default log levels: the entry must be on without anyone asking for it.
        using var factory = ApiFactory.With();
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();

        using var created = await clinic.Client.PostAsJsonAsync(
            $"{clinic.Base}/patients?source=Quillfeather", new { externalId = "MRN-ZQ9", displayName = "Zebulon Quixwhistle" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var patient = (string)(await ClinicDriver.ReadAsync(created, HttpStatusCode.Created))["id"]!;
        await clinic.GetAsync($"{clinic.Base}/patients?externalId=MRN-ZQ9");
        var audit = await clinic.GetAsync($"{clinic.Base}/audit-events?patientId={patient}");

        var requestLines = factory.Logs.Where(line => line.Contains(Category, StringComparison.Ordinal)).ToList();
        var creation = Assert.Single(requestLines, line => line.Contains("Method: POST", StringComparison.Ordinal) && Regex.IsMatch(line, "(?m)^Route: /v1/clinics/{clinicId:guid}/patients$"));
        Assert.Contains("StatusCode: 201", creation, StringComparison.Ordinal);
        Assert.Matches(@"Duration: \d+(\.\d+)?", creation);
        Assert.Contains($"KeyId: {clinic.KeyId}", creation, StringComparison.Ordinal);
        var requestId = (string)audit["items"]!.AsArray().Single(e => (string)e!["action"]! is var action && action.Contains("create", StringComparison.OrdinalIgnoreCase))!["requestId"]!;
        Assert.Contains($"RequestId: {requestId}", creation, StringComparison.Ordinal);
        Assert.Single(requestLines, line => line.Contains($"RequestId: {requestId}", StringComparison.Ordinal));

        // Neither the name in the body nor any value from a query, nor the path's ids, in any entry of any category.
        var leaks = factory.Logs.Where(line => new[] { "Zebulon", "Quixwhistle", "Quillfeather", "MRN-ZQ9", clinic.ClinicId, patient }
            .Any(secret => line.Contains(secret, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    [Fact]
    public async Task A_request_without_a_key_is_logged_with_no_key_id()
    {
        using var factory = ApiFactory.With();

        using var response = await factory.NewClient(key: null).GetAsync("/v1/clinics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var line = Assert.Single(factory.Logs, line => line.Contains(Category, StringComparison.Ordinal) && line.Contains("StatusCode: 401", StringComparison.Ordinal));
        Assert.Matches("(?m)^Route: /v1/clinics$", line);
        Assert.Contains("KeyId: (none)", line, StringComparison.Ordinal);
    }
}
