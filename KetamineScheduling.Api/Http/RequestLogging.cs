using KetamineScheduling.Api.Access;
using Microsoft.AspNetCore.HttpLogging;

namespace KetamineScheduling.Api.Http;

/// <summary>
/// One log entry per request, from ASP.NET Core's HTTP logging: method, route template, key id, request id, status
/// and duration (ms), in category <c>Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware</c> at Information.
/// Nothing a client wrote is logged: paths and queries carry ids and search values (an external id, a date), and
/// bodies and headers carry names, notes and keys, so the entry names the route's template instead of its path.
/// The request id is the one the audit trail records, so an audit event leads to its log entry.
/// </summary>
internal static class RequestLogging
{
    public static WebApplicationBuilder AddRequestLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpLogging(options =>
        {
            options.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            options.CombineLogs = true;
        });
        builder.Services.AddHttpLoggingInterceptor<RouteAndCaller>();
        return builder;
    }

    /// <summary>First in the pipeline, so that the duration covers everything the API does, the audit included.</summary>
    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        app.UseHttpLogging();
        return app;
    }

    /// <summary>Adds what identifies the request without its data: the route template, the request id and the key id.</summary>
    private sealed class RouteAndCaller : IHttpLoggingInterceptor
    {
        private const HttpLoggingFields ClientData =
            HttpLoggingFields.RequestPath | HttpLoggingFields.RequestQuery | HttpLoggingFields.RequestHeaders | HttpLoggingFields.RequestBody |
            HttpLoggingFields.ResponseHeaders | HttpLoggingFields.ResponseBody;

        public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logContext)
        {
            // Not chosen in the options; disabled here too, so that no endpoint's [HttpLogging] can turn them on.
            logContext.Disable(ClientData);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logContext)
        {
            // Here rather than on the request: the key is known only once authentication has run.
            var context = logContext.HttpContext;
            logContext.AddParameter("Route", context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route } ? Template(route) : "(none)");
            logContext.AddParameter("KeyId", Caller.TryFrom(context.User)?.KeyId.ToString() ?? "(none)");
            logContext.AddParameter("RequestId", context.TraceIdentifier);
            return ValueTask.CompletedTask;
        }

        /// <summary>A group's route with its own empty pattern ends in "/": <c>/v1/clinics</c> is easier to search for.</summary>
        private static string Template(string route) => route.Length > 1 ? route.TrimEnd('/') : route;
    }
}
