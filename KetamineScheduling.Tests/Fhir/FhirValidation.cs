using System.Text.Json;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Fhir;

/// <summary>
/// Firely's validator against base FHIR R4, from the specification shipped offline in Hl7.Fhir.Specification.Data.R4.
/// One per test collection: the first validation compiles the core profiles (about 17 s), later ones take
/// milliseconds; the validator is not thread-safe, so each call takes a lock.
/// </summary>
public sealed class FhirValidation
{
    private static readonly JsonSerializerOptions Strict = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    private readonly Lock gate = new();
    private readonly Validator validator;

    public FhirValidation()
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        validator = new Validator(resolver, LocalTerminologyService.CreateDefaultForCore(resolver));
    }

    /// <summary>The resource in <paramref name="json"/>, parsed strictly as FHIR R4 JSON (a parse failure throws, naming what is wrong).</summary>
    public static Resource Parse(string json) => JsonSerializer.Deserialize<Resource>(json, Strict)!;

    /// <summary>The errors and fatal issues the validator finds in <paramref name="json"/>, each with where it is.</summary>
    public IReadOnlyList<string> Errors(string json)
    {
        var resource = Parse(json);
        OperationOutcome outcome;
        lock (gate)
        {
            outcome = validator.Validate(resource);
        }

        return [.. outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{resource.TypeName}/{resource.Id} {string.Join(",", i.Expression)}: {i.Details?.Text ?? i.Diagnostics}")];
    }
}

/// <summary>The FHIR tests: a server of their own, and one validator shared by every test in it.</summary>
[CollectionDefinition(Name)]
public sealed class FhirCollection : ICollectionFixture<ApiFactory>, ICollectionFixture<FhirValidation>
{
    public const string Name = "FHIR over HTTP";
}
