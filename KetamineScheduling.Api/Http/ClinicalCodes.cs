using System.Collections.Immutable;
using KetamineScheduling.Domain.Clinical;

namespace KetamineScheduling.Api.Http;

/// <summary>
/// The wire codes of the clinical enums, as lists the contract's <see cref="OpenApi.ValuesOfAttribute"/> reads, and
/// their reading from a request.
/// </summary>
internal static class ClinicalCodes
{
    public static readonly ImmutableArray<string> StaffKinds = WireCodes.All<StaffKind>();

    public static readonly ImmutableArray<string> Conditions = WireCodes.All<Condition>();

    public static readonly ImmutableArray<string> Instruments = WireCodes.All<Instrument>();

    public static readonly ImmutableArray<string> Contraindications = WireCodes.All<Contraindication>();

    public static readonly ImmutableArray<string> Severities = WireCodes.All<Severity>();

    public static readonly ImmutableArray<string> RiskFlags = WireCodes.All<RiskFlag>();

    public static readonly ImmutableArray<string> Timings = WireCodes.All<AssessmentTiming>();

    public static readonly ImmutableArray<string> CourseStatuses = WireCodes.All<CourseStatus>();

    public static readonly ImmutableArray<string> CourseActions = WireCodes.All<CourseAction>();

    public static readonly ImmutableArray<string> IntakeDecisions = ["approved", "declined"];

    public static readonly ImmutableArray<string> PregnancyTests = WireCodes.All<PregnancyTest>();

    public static readonly ImmutableArray<string> ReadinessChecks = WireCodes.All<ReadinessCheck>();

    public static readonly ImmutableArray<string> AdverseEvents = WireCodes.All<AdverseEvent>();

    /// <summary>Reads the wire code <paramref name="code"/>; an unknown one is noted under <paramref name="field"/>, listing the allowed values.</summary>
    public static TEnum? Code<TEnum>(this Validation validation, string field, string? code)
        where TEnum : struct, Enum
    {
        if (code is null)
        {
            return null;
        }

        if (WireCodes.TryParse<TEnum>(code, out var value))
        {
            return value;
        }

        validation.Add(field, $"Must be one of {string.Join(", ", WireCodes.All<TEnum>())}.");
        return null;
    }

    /// <summary>Reads a list of wire codes, each named by its index (<c>kinds[1]</c>), each value once.</summary>
    public static ImmutableArray<TEnum> Codes<TEnum>(this Validation validation, string field, IReadOnlyList<string>? codes)
        where TEnum : struct, Enum
    {
        var values = ImmutableArray.CreateBuilder<TEnum>();
        for (var i = 0; i < (codes?.Count ?? 0); i++)
        {
            if (validation.Code<TEnum>($"{field}[{i}]", codes![i] ?? "") is { } value && !values.Contains(value))
            {
                values.Add(value);
            }
        }

        return [.. values.Order()];
    }

    /// <summary>Adds every problem the domain found, under the field each names.</summary>
    public static Validation Add(this Validation validation, IEnumerable<FieldProblem> problems)
    {
        foreach (var problem in problems)
        {
            validation.Add(problem.Field, problem.Message);
        }

        return validation;
    }

    /// <summary>Comma-separated wire codes, as the database keeps a short list.</summary>
    public static string Join<TEnum>(IEnumerable<TEnum> values)
        where TEnum : struct, Enum => string.Join(',', values.Select(v => v.Code()));

    /// <summary>The values of comma-separated wire codes the database kept.</summary>
    public static ImmutableArray<TEnum> Split<TEnum>(string? stored)
        where TEnum : struct, Enum =>
        [.. (stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => WireCodes.TryParse<TEnum>(c, out var v) ? v : throw new InvalidOperationException($"'{c}' is not a {typeof(TEnum).Name}."))];
}
