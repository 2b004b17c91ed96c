using KetamineScheduling.Api.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KetamineScheduling.Api.Health;

public static class HealthEndpoints
{
    /// <summary>Checks with this tag must pass before the instance takes traffic.</summary>
    internal const string ReadyTag = "ready";

    /// <summary>
    /// <c>/health/live</c> answers 200 whenever the process runs; <c>/health/ready</c> answers 200 when every
    /// readiness check passes (the database is reachable and migrated) and 503 otherwise. Both need no key.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return app;
    }
}

internal sealed class DatabaseReadyCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        await database.IsReadyAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, "The database is unreachable or has migrations to apply.");
}
