using FsCheck;
using FsCheck.Fluent;

namespace KetamineScheduling.Tests.Domain.Properties;

/// <summary>Runs a property over generated cases and fails the test with the first case that breaks it.</summary>
internal static class Checks
{
    /// <summary>Checks <paramref name="property"/> (which asserts) for <paramref name="runs"/> cases from <paramref name="cases"/>.</summary>
    public static void ForAll<T>(Gen<T> cases, Action<T> property, int runs = 200) =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(runs), Prop.ForAll(cases.ToArbitrary(), property));
}
