using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Reflection;

namespace KetamineScheduling.Domain.Clinical;

/// <summary>
/// The code a value is written as on the wire, for example <c>"moderately-severe"</c> for
/// <see cref="Severity.ModeratelySevere"/>. The code is part of the API's contract, so it is written out beside
/// the member rather than derived from the member's name: renaming a member never changes what clients see.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class WireCodeAttribute(string code) : Attribute
{
    public string Code { get; } = code;
}

/// <summary>
/// Turns the clinical enums into their wire codes and back. Every member of an enum read here carries a
/// <see cref="WireCodeAttribute"/>; codes are lower-case, hyphenated and matched exactly (case matters).
/// </summary>
public static class WireCodes
{
    /// <summary>The wire code of <paramref name="value"/>, for example <c>"pain-nrs"</c>.</summary>
    public static string Code<TEnum>(this TEnum value)
        where TEnum : struct, Enum =>
        Table<TEnum>.ToCode.TryGetValue(value, out var code)
            ? code
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TEnum).Name} has no member {value}.");

    /// <summary>
    /// Reads a wire code; <see langword="false"/> for <see langword="null"/>, an unknown code or a code in another
    /// case.
    /// </summary>
    public static bool TryParse<TEnum>(string? code, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        return code is not null && Table<TEnum>.FromCode.TryGetValue(code, out value);
    }

    /// <summary>Every code of <typeparamref name="TEnum"/> in declaration order: the allowed values an error lists.</summary>
    public static ImmutableArray<string> All<TEnum>()
        where TEnum : struct, Enum => Table<TEnum>.Codes;

    private static class Table<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly ImmutableArray<(TEnum Value, string Code)> Members = [.. typeof(TEnum)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => ((TEnum)f.GetValue(null)!, f.GetCustomAttribute<WireCodeAttribute>()?.Code
                ?? throw new InvalidOperationException($"{typeof(TEnum).Name}.{f.Name} has no wire code.")))
            .OrderBy(m => m.Item1)];

        public static readonly ImmutableArray<string> Codes = [.. Members.Select(m => m.Code)];

        public static readonly FrozenDictionary<TEnum, string> ToCode = Members.ToFrozenDictionary(m => m.Value, m => m.Code);

        public static readonly FrozenDictionary<string, TEnum> FromCode = Members.ToFrozenDictionary(m => m.Code, m => m.Value, StringComparer.Ordinal);
    }
}
