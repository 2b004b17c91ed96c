using NodaTime;

namespace KetamineScheduling.Api.Audit;

/// <summary>
/// Records audit events for every request that changes something or reads a patient's data, refusals (401, 403,
/// 404, 429, ...) included.
/// </summary>
/// <remarks>
/// Two parts: <see cref="AuditMiddleware"/> wraps the whole pipeline, so it sees the final status whoever set it
/// (authorization, the exception handler, the route); the endpoint filter <see cref="Audited{TBuilder}"/> notes
/// what only the route knows, the patients in the request and the answer (<see cref="IPatientScoped"/>). A change
/// records its event in its own transaction (<see cref="AuditScope"/>); every other answer hands its events to the
/// <see cref="AuditWriter"/> as it goes out, and is not held for them.
/// </remarks>
internal static class AuditTrail
{
    /// <summary>The answer was a success (below 400).</summary>
    public const string Succeeded = "succeeded";

    /// <summary>No valid key (401), or the key's role may not do this (403).</summary>
    public const string Denied = "denied";

    /// <summary>Any other 4xx: not found (other clinics' ids included), invalid, or in conflict.</summary>
    public const string Refused = "refused";

    /// <summary>The server failed (5xx).</summary>
    public const string Failed = "failed";

    /// <summary>
    /// Audits the endpoints: every request that is not a GET, and GETs too when they read patient data.
    /// <paramref name="resourceType"/> names what they act on; the route value <paramref name="idRouteValue"/>
    /// (default <c>{resourceType}Id</c>) holds its id.
    /// </summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string resourceType, bool readsPatientData = false, string? idRouteValue = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .WithMetadata(new AuditedResource(resourceType, idRouteValue ?? resourceType + "Id", readsPatientData))
            .AddEndpointFilter(NoteAsync);

    /// <summary>Registers the writer of reads' and refusals' events.</summary>
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditWriter>());
        return builder;
    }

    public static WebApplication UseAudit(this WebApplication app)
    {
        app.UseMiddleware<AuditMiddleware>();
        return app;
    }

    public static string OutcomeOf(int status) => status switch
    {
        < 400 => Succeeded,
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => Denied,
        < 500 => Refused,
        _ => Failed,
    };

    private static async ValueTask<object?> NoteAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var scope = context.HttpContext.Features.Get<AuditScope>();

        // Noted before the route runs, so that a change records them, and a route that throws (a lost race is a
        // ConflictException) still leaves an event for the patient it concerned.
        if (scope is not null)
        {
            foreach (var argument in context.Arguments)
            {
                scope.Patients.UnionWith(PatientsIn(argument));
            }
        }

        var result = await next(context);
        scope?.Patients.UnionWith(PatientsIn(ValueOf(result)));
        if (scope is not null && ValueOf(result) is IAuditSubject subject)
        {
            scope.Subject = subject;
        }

        return result;
    }

    private static object? ValueOf(object? result) => result switch
    {
        INestedHttpResult nested => ValueOf(nested.Result),
        IValueHttpResult value => value.Value,
        _ => result,
    };

    private static IEnumerable<Guid> PatientsIn(object? value) => value is IPatientScoped scoped ? scoped.Patients : [];

    /// <summary>What <see cref="Audited{TBuilder}"/> says about an endpoint.</summary>
    internal sealed record AuditedResource(string Type, string IdRouteValue, bool ReadsPatientData)
    {
        public bool Covers(string method) => ReadsPatientData || !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method));
    }

    private sealed class AuditMiddleware(RequestDelegate next, AuditWriter writer, IClock clock)
    {
        public async Task InvokeAsync(HttpContext context)
        {
            var endpoint = context.GetEndpoint();
            if (endpoint?.Metadata.GetMetadata<AuditedResource>() is not { } resource || !resource.Covers(context.Request.Method))
            {
                await next(context);
                return;
            }

            var scope = AuditScope.Begin(context, endpoint, resource, clock)!;

            // Handed over as the first byte goes out, so that a client reading the trail next finds it; the answer
            // does not wait for the writer.
            var recorded = false;
            context.Response.OnStarting(() => recorded ? Task.CompletedTask : Record());
            await next(context);

            // An answer with no body starts after this; and a client that has gone may never see one start.
            if (!recorded)
            {
                await Record();
            }

            Task Record()
            {
                recorded = true;

                // A change that committed has its events already, in its own transaction.
                return scope.RecordedWithChange && context.Response.StatusCode < StatusCodes.Status400BadRequest
                    ? Task.CompletedTask
                    : writer.AppendAsync(scope.AnswerEvents()).AsTask();
            }
        }
    }
}
