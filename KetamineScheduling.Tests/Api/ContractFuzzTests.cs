using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// Walks every operation of the served OpenAPI document and sends it what a careless or hostile client would:
/// wrong JSON types, nulls, missing properties, the ends of the calendar, huge numbers, bodies of the wrong kind,
/// unknown charsets and repeated query parameters. Whatever it is sent, the API answers below 500, with
/// problem+json for every error, with a status the operation documents, and names no .NET type. A fixed seed makes every run send the same requests.
/// </summary>
public sealed partial class ContractFuzzTests : IDisposable
{
    /// <summary>The most requests sent to one operation beyond the body kinds every body operation gets.</summary>
    private const int SampledPerOperation = 36;

    private static readonly string[] WholeBodies = ["null", "[]", "\"s\"", "123", "{}", "{", "", "{\"unknown\":1}"];

    private static readonly string[] IfMatchValues = ["garbage", "W/\"1\"", "\"999999999999\"", "*"];

    private readonly ApiFactory server = ApiFactory.With(settings: new Dictionary<string, string?>
    {
        // The fuzzer is one key sending as fast as it can; the limiter is not what it tests.
        ["RateLimiting:PermitsPerSecond"] = "1000000",
        ["RateLimiting:Burst"] = "1000000",
    });

    private readonly Random random = new(20270104);

    private readonly List<string> failures = [];

    private int sent;

    [Fact]
    public async Task No_operation_answers_a_5xx_a_dotnet_name_or_a_status_it_does_not_document_whatever_it_is_sent()
    {
        var admin = server.NewClient();
        var document = JsonNode.Parse(await admin.GetStringAsync("/swagger/v1/swagger.json"))!;
        var clinic = await ClinicAsync(admin);

        foreach (var (route, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var client = clinic.ClientFor((string?)operation!["description"] ?? "");
                var documented = operation["responses"]!.AsObject().Select(r => r.Key).ToHashSet();
                foreach (var request in Requests(route, method.ToUpperInvariant(), operation.AsObject(), document, clinic))
                {
                    await SendAsync(client, request, documented);
                }
            }
        }

        Assert.True(sent > 500, $"Only {sent} requests were sent; the document has too few operations to walk.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} answers broke the contract:\n{string.Join("\n", failures.Take(40))}");
    }

    public void Dispose() => server.Dispose();

    /// <summary>The requests for one operation: the body kinds every time, and a fixed-seed sample of the rest.</summary>
    private IEnumerable<Probe> Requests(string route, string method, JsonObject operation, JsonNode document, Fixture clinic)
    {
        var parameters = operation["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
        var pathParameters = parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!).ToList();
        var queryParameters = parameters.Where(p => (string?)p["in"] == "query").ToList();
        var takesIfMatch = parameters.Any(p => (string?)p["name"] == "If-Match");
        var bodySchema = operation["requestBody"]?["content"]?["application/json"];
        var baseBody = bodySchema is null ? null : Resolve(bodySchema["example"]?.DeepClone() ?? Sample(bodySchema["schema"], document, 0), clinic);
        var baseQuery = queryParameters.Select(p => (string)p["name"]!).Where(clinic.QueryValues.ContainsKey).ToDictionary(n => n, n => clinic.QueryValues[n]);

        string PathWith(IReadOnlyDictionary<string, string>? ids = null) =>
            pathParameters.Aggregate(route, (path, name) => path.Replace($"{{{name}}}", ids?.GetValueOrDefault(name) ?? clinic.Ids.GetValueOrDefault(name, Guid.NewGuid().ToString()), StringComparison.Ordinal));

        Probe Make(string? path = null, IEnumerable<KeyValuePair<string, string>>? query = null, string? body = null, string? contentType = "application/json", (string, string)? header = null) =>
            new(method, (path ?? PathWith()) + QueryString(query ?? baseQuery), body ?? baseBody?.ToJsonString(), contentType, header);

        var every = new List<Probe> { Make() };
        if (baseBody is not null)
        {
            every.AddRange(WholeBodies.Select(b => Make(body: b)));
            every.Add(Make(contentType: "application/json; charset=bogus"));
        }

        var sampled = new List<Probe>();
        foreach (var name in pathParameters)
        {
            foreach (var value in PathValues(name))
            {
                sampled.Add(Make(path: PathWith(new Dictionary<string, string> { [name] = value })));
            }
        }

        foreach (var parameter in queryParameters)
        {
            var name = (string)parameter["name"]!;
            foreach (var value in QueryValues(name, parameter["schema"]))
            {
                sampled.Add(Make(query: baseQuery.Where(q => q.Key != name).Append(new(name, value))));
            }

            sampled.Add(Make(query: baseQuery.Where(q => q.Key != name).Append(new(name, "1")).Append(new(name, "2"))));
        }

        if (baseBody is not null)
        {
            sampled.Add(Make(contentType: "text/plain"));
            foreach (var (path, value) in Leaves(baseBody, []))
            {
                foreach (var mutant in Mutations(value))
                {
                    var body = baseBody.DeepClone();
                    Replace(body, path, mutant);
                    sampled.Add(Make(body: body.ToJsonString()));
                }
            }
        }

        if (takesIfMatch)
        {
            sampled.AddRange(IfMatchValues.Select(v => Make(header: ("If-Match", v))));
        }

        if (method == "POST")
        {
            sampled.Add(Make(header: ("Idempotency-Key", new string('k', 5000))));
        }

        return every.Concat(sampled.OrderBy(_ => random.Next()).Take(SampledPerOperation));
    }

    private async Task SendAsync(HttpClient client, Probe probe, HashSet<string> documented)
    {
        using var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.PathAndQuery);
        if (probe.Body is not null && probe.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(probe.Body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", probe.ContentType);
        }

        if (probe.Header is var (name, value))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        sent++;
        var status = (int)response.StatusCode;
        var what = $"{probe.Method} {Shorten(probe.PathAndQuery)} {probe.ContentType} {probe.Header} body {Shorten(probe.Body)} -> {status}: {Shorten(text)}";
        if (status >= 500)
        {
            failures.Add($"5xx: {what}");
        }

        if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            failures.Add($"not problem+json: {what}");
        }

        // 413 and 415 are the server's for any body it cannot read, and are not listed per operation.
        if (status is not (413 or 415) && !documented.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            failures.Add($"undocumented {status}: {what}");
        }

        if (DotNetName().IsMatch(text))
        {
            failures.Add($".NET name: {what}");
        }

        if (status == 400 && (Parse(text)?["errors"] is not JsonObject errors || errors.Count == 0))
        {
            failures.Add($"400 without errors: {what}");
        }
    }

    /// <summary>Every value in a body with its path, objects and arrays included, to two levels of nesting.</summary>
    private static IEnumerable<(object[] Path, JsonNode? Value)> Leaves(JsonNode? node, object[] path)
    {
        if (path.Length > 0)
        {
            yield return (path, node);
        }

        if (path.Length > 2)
        {
            yield break;
        }

        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    foreach (var leaf in Leaves(value, [.. path, key]))
                    {
                        yield return leaf;
                    }
                }

                yield return ([.. path, "unknownField"], null);
                break;
            case JsonArray { Count: > 0 } a:
                foreach (var leaf in Leaves(a[0], [.. path, 0]))
                {
                    yield return leaf;
                }

                break;
        }
    }

    /// <summary>What to put in place of <paramref name="value"/>; <see cref="Missing"/> removes it.</summary>
    private static IEnumerable<JsonNode?> Mutations(JsonNode? value)
    {
        yield return null;
        yield return Missing;
        switch (value)
        {
            case JsonValue v when v.TryGetValue<string>(out var s):
                yield return 12345;
                yield return new JsonArray();
                yield return "";
                yield return "a\u0000b";
                yield return "evil\u202eexe";
                yield return new string('x', 5000);
                foreach (var extreme in Extremes(s))
                {
                    yield return extreme;
                }

                break;
            case JsonValue v when v.TryGetValue<bool>(out _):
                yield return "yes";
                yield return 1;
                break;
            case JsonValue:
                yield return "forty";
                yield return 0;
                yield return -1;
                yield return 2147483647;
                yield return JsonNode.Parse("2147483648");
                yield return JsonNode.Parse("-2147483649");
                yield return JsonNode.Parse("1e400");
                yield return 1.5;
                yield return JsonNode.Parse("99999999999999999999999999");
                yield return true;
                break;
            case JsonArray a:
                yield return new JsonObject();
                yield return new JsonArray();
                yield return new JsonArray((JsonNode?)null);
                yield return new JsonArray(new JsonObject());
                yield return "list";
                yield return new JsonArray([.. Enumerable.Range(0, 2000).Select(_ => a.Count > 0 ? a[0]?.DeepClone() : null)]);
                break;
            case JsonObject:
                yield return new JsonArray();
                yield return "object";
                yield return new JsonObject();
                break;
            default:
                yield return "surprise";
                yield return 7;
                break;
        }
    }

    /// <summary>The ends of the calendar and impossible values, in the form of <paramref name="example"/>.</summary>
    private static IEnumerable<string> Extremes(string example) => example switch
    {
        _ when LocalDateTimeText().IsMatch(example) => ["0001-01-01T00:00", "9999-12-31T23:59", "9999-12-31T23:59:59", "2200-12-31T23:59", "1900-01-01T00:00", "2027-01-04T24:00", "2027-01-04T23:59", "2027-02-30T10:00"],
        _ when DateText().IsMatch(example) => ["0001-01-01", "9999-12-31", "2027-02-30", "1900-01-01", "2200-12-31"],
        _ when InstantText().IsMatch(example) => ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-14:00", "2200-12-31T23:59:59Z", "2027-01-04T25:00:00Z"],
        _ when TimeText().IsMatch(example) => ["00:00", "23:59", "24:00", "25:00", "23:60"],
        _ when Guid.TryParse(example, out _) => [Guid.NewGuid().ToString(), "not-a-uuid", Guid.Empty.ToString()],
        _ => ["Funday", "0"],
    };

    private static IEnumerable<string> PathValues(string name) => name == "date"
        ? ["9999-12-31", "0001-01-01", "2027-02-30", "x", "2027-08-30"]
        : [Guid.NewGuid().ToString(), Guid.Empty.ToString()];

    private static IEnumerable<string> QueryValues(string name, JsonNode? schema)
    {
        var type = schema?["type"] is JsonArray types ? (string?)types.FirstOrDefault(t => (string?)t != "null") : (string?)schema?["type"];
        var format = (string?)schema?["format"];
        return (name, type, format) switch
        {
            ("date", _, _) => ["9999-12-31", "0001-01-01", "2027-02-30", "x", ""],
            ("from" or "to", _, _) => ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-14:00", "x"],
            ("cursor" or "after", _, _) => ["!!!", "AAAA", "MTIzfGFiYw", "OTk5OS0xMi0zMVQyMzo1OTo1OXw" + "x"],
            (_, "integer", _) => ["abc", "1.5", "-1", "0", "99999999999999999999", "2147483648"],
            (_, _, "uuid") => ["nope", Guid.NewGuid().ToString(), Guid.Empty.ToString()],
            (_, "boolean", _) => ["maybe", "1"],
            _ when schema?["enum"] is not null => ["Nope", "99", "1"],
            _ => ["Nope", "99", "a\u0000b", new string('q', 3000)],
        };
    }

    private static readonly JsonNode Missing = JsonValue.Create("\u0001missing")!;

    private static void Replace(JsonNode body, object[] path, JsonNode? value)
    {
        var parent = path[..^1].Aggregate(body, (node, step) => step is int i ? node[i]! : node[(string)step]!);
        switch (parent, path[^1])
        {
            case (JsonObject o, string key) when ReferenceEquals(value, Missing):
                o.Remove(key);
                break;
            case (JsonObject o, string key):
                o[key] = value?.DeepClone();
                break;
            case (JsonArray a, int index) when ReferenceEquals(value, Missing):
                a.RemoveAt(index);
                break;
            case (JsonArray a, int index):
                a[index] = value?.DeepClone();
                break;
        }
    }

    /// <summary>A body made from the schema, for an operation the document gives no example for.</summary>
    private static JsonNode? Sample(JsonNode? schema, JsonNode document, int depth)
    {
        if (schema?["$ref"] is { } reference)
        {
            schema = document["components"]!["schemas"]![((string)reference!).Split('/')[^1]];
        }

        if (schema is null || depth > 4)
        {
            return null;
        }

        var type = schema["type"] is JsonArray types ? (string?)types.FirstOrDefault(t => (string?)t != "null") : (string?)schema["type"];
        return type switch
        {
            "object" => new JsonObject(schema["properties"]?.AsObject().Select(p => KeyValuePair.Create(p.Key, Sample(p.Value, document, depth + 1))) ?? []),
            "array" => new JsonArray(Sample(schema["items"], document, depth + 1)),
            "integer" or "number" => 40,
            "boolean" => false,
            "string" => schema["examples"]?[0]?.DeepClone() ?? schema["enum"]?[0]?.DeepClone() ?? ((string?)schema["format"] switch
            {
                "uuid" => Guid.NewGuid().ToString(),
                "date" => "2027-05-03",
                "date-time" => "2027-05-03T10:00:00Z",
                _ => "text",
            }),
            _ => null,
        };
    }

    /// <summary>Puts the fixture's real ids in place of the example's, so requests get past the 404s.</summary>
    private static JsonNode? Resolve(JsonNode? body, Fixture clinic)
    {
        if (body is JsonObject o)
        {
            foreach (var key in o.Select(p => p.Key).ToList())
            {
                o[key] = clinic.Ids.TryGetValue(key, out var id) && o[key] is JsonValue ? id : Resolve(o[key], clinic);
            }
        }

        return body;
    }

    private static string QueryString(IEnumerable<KeyValuePair<string, string>> query)
    {
        var pairs = query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}").ToList();
        return pairs.Count == 0 ? "" : "?" + string.Join("&", pairs);
    }

    private static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>A clinic with one of everything, the keys to reach each operation, and the ids to put in paths.</summary>
    private async Task<Fixture> ClinicAsync(HttpClient admin)
    {
        var driver = await new ClinicDriver(admin).CreateClinicAsync();
        var chair = await driver.AddChairAsync();
        var patient = await driver.AddPatientAsync();
        var plan = (string)(await driver.AddPlanAsync(patient))["id"]!;
        var session = (string)(await driver.PostAsync($"{driver.Base}/sessions", new { patientId = patient, chairId = chair, start = "2027-05-03T10:00", infusionMinutes = 40 }, HttpStatusCode.Created))["id"]!;
        await driver.PostAsync($"{driver.Base}/closed-dates", new { date = "2027-08-30", reason = "Bank holiday" }, HttpStatusCode.Created);
        var (spareKey, _) = await driver.IssueKeyAsync("scheduler");
        var (_, patientKey) = await driver.IssueKeyAsync("patient-app", patient);
        return new Fixture(
            server.NewClient(),
            driver.Client,
            ClinicDriver.NewClient(driver.Client.BaseAddress!, patientKey),
            new Dictionary<string, string>
            {
                ["clinicId"] = driver.ClinicId,
                ["chairId"] = chair,
                ["patientId"] = patient,
                ["planId"] = plan,
                ["sessionId"] = session,
                ["keyId"] = spareKey,
                ["date"] = "2027-08-30",
            },
            new Dictionary<string, string> { ["date"] = "2027-05-03", ["infusionMinutes"] = "40" });
    }

    private sealed record Probe(string Method, string PathAndQuery, string? Body, string? ContentType, (string Name, string Value)? Header);

    /// <param name="Admin">The platform admin.</param>
    /// <param name="ClinicAdmin">The clinic's admin.</param>
    /// <param name="PatientApp">The app of the clinic's patient.</param>
    /// <param name="Ids">Real ids by the name paths and bodies give them.</param>
    /// <param name="QueryValues">Values for query parameters an operation cannot do without.</param>
    private sealed record Fixture(HttpClient Admin, HttpClient ClinicAdmin, HttpClient PatientApp, IReadOnlyDictionary<string, string> Ids, IReadOnlyDictionary<string, string> QueryValues)
    {
        /// <summary>A key the operation's "Roles: ..." description allows: the clinic's admin where it may, else the platform's or the patient's app.</summary>
        public HttpClient ClientFor(string description) =>
            description.Contains("clinic-admin", StringComparison.Ordinal) ? ClinicAdmin
            : description.Contains("platform-admin", StringComparison.Ordinal) ? Admin
            : description.Contains("patient-app", StringComparison.Ordinal) ? PatientApp
            : ClinicAdmin;
    }

    [GeneratedRegex(@"System\.|KetamineScheduling\.|NodaTime\.|Nullable<|`1\[|Microsoft\.")]
    private static partial Regex DotNetName();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")]
    private static partial Regex LocalDateTimeText();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateText();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex InstantText();

    [GeneratedRegex(@"^\d{2}:\d{2}(:\d{2})?$")]
    private static partial Regex TimeText();
}
