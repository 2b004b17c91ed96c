using KetamineScheduling.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace KetamineScheduling.Api.Access;

/// <summary>
/// Who may call what: API key authentication, the roles each route allows, and confining a key to its clinic.
/// </summary>
internal static class AccessSetup
{
    public static WebApplicationBuilder AddAccess(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);

        // Every route needs a key unless it says otherwise (health does); each /v1 route then names its roles.
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        builder.Services.AddHostedService<SeedKeysOnStart>();
        return builder;
    }

    public static WebApplication UseAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(HideOtherClinics);
        return app;
    }

    /// <summary>
    /// A route's <c>{clinicId}</c> that is not the key's clinic answers 404, exactly as an unknown clinic does: the
    /// clinic comes from the key, never from the caller. Platform admins belong to no clinic; the routes they may
    /// call name the clinic they act on.
    /// </summary>
    private static async Task HideOtherClinics(HttpContext context, RequestDelegate next)
    {
        if (context.GetRouteValue("clinicId") is string text && Guid.TryParse(text, out var clinicId) &&
            Caller.TryFrom(context.User) is { ClinicId: { } own } && own != clinicId)
        {
            await Problems.NotFound("clinic", clinicId).ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
