namespace KetamineScheduling.Api.Http;

/// <summary>How the hosting environment is chosen when nobody names one.</summary>
internal static class HostingDefaults
{
    /// <summary>What <c>dotnet run</c>'s launch profile (Properties/launchSettings.json) suggests.</summary>
    public const string LaunchEnvironmentVariable = "KETAMINE_LAUNCH_ENVIRONMENT";

    /// <summary>
    /// The launch profile's environment, used only when the operator named none: no <c>ASPNETCORE_ENVIRONMENT</c>
    /// or <c>DOTNET_ENVIRONMENT</c> in the shell and no <c>--environment</c> argument; otherwise null, and the host
    /// reads the environment as it always does (Production when nothing says otherwise).
    /// </summary>
    /// <remarks>
    /// A launch profile's own <c>ASPNETCORE_ENVIRONMENT</c> overrides the shell's, so
    /// <c>ASPNETCORE_ENVIRONMENT=Production dotnet run</c> started Development, demo keys and all. The profile sets
    /// this variable instead, which gives way to anything the operator says.
    /// </remarks>
    public static string? LaunchEnvironment(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var named = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 }
            || Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 }
            || args.Any(a => a.StartsWith("--environment", StringComparison.OrdinalIgnoreCase));
        return named ? null : Environment.GetEnvironmentVariable(LaunchEnvironmentVariable) is { Length: > 0 } suggested ? suggested : null;
    }
}
