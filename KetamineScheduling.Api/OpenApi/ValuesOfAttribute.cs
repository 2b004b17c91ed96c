using System.Collections;
using System.Reflection;

namespace KetamineScheduling.Api.OpenApi;

/// <summary>
/// Declares that a property, or each item of a list property, is one of a fixed set kept in code, such as
/// <see cref="Events.EventTypes.Declared"/>: the OpenAPI document lists the set as an <c>enum</c>, so it can never fall
/// behind the code. <see cref="System.ComponentModel.DataAnnotations.AllowedValuesAttribute"/> does the same for
/// values that are constants.
/// </summary>
/// <param name="owner">The type that holds the set.</param>
/// <param name="member">The name of its static field or property: any sequence of strings or numbers.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class ValuesOfAttribute(Type owner, string member) : Attribute
{
    public Type Owner { get; } = owner;

    public string Member { get; } = member;

    /// <summary>The values, in the order the set gives them.</summary>
    public IEnumerable<object> Values()
    {
        const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        var value = Owner.GetField(Member, Static)?.GetValue(null) ?? Owner.GetProperty(Member, Static)?.GetValue(null)
            ?? throw new InvalidOperationException($"{Owner.Name}.{Member} is not a static field or property.");
        return ((IEnumerable)value).Cast<object>();
    }
}
