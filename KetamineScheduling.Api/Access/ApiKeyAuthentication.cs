using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using NodaTime;

namespace KetamineScheduling.Api.Access;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> by the key's hash, and issues the <see cref="Caller"/>
/// claims. A revoked key stops working at once on every instance: <see cref="KnownKeys"/> answers with what was
/// committed before the request arrived.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Database db, IClock clock, KnownKeys known, IHostEnvironment environment)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private const string Challenge = "Bearer realm=\"KetamineScheduling\"";

    private const string InvalidKey = "The API key is unknown, revoked or expired.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization.ToString(), out var header) ||
            !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) ||
            string.IsNullOrWhiteSpace(header.Parameter))
        {
            return AuthenticateResult.NoResult();
        }

        // The demo secrets are published in the README: outside Development they open nothing, whatever the database holds.
        if (!environment.IsDevelopment() && DemoClinic.IsDemoSecret(header.Parameter))
        {
            return AuthenticateResult.Fail(InvalidKey);
        }

        var hash = ApiKeyStore.Hash(header.Parameter);
        if (await known.GetOrLoadAsync(hash, () => ReadAsync(hash), Context.RequestAborted) is not { } key || !key.Key.IsValidAt(clock.GetCurrentInstant()))
        {
            return AuthenticateResult.Fail(InvalidKey);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(key.Principal, SchemeName));
    }

    private async Task<ApiKey?> ReadAsync(string hash)
    {
        await using var connection = await db.OpenAsync(Context.RequestAborted);
        return await ApiKeyStore.FindByHashAsync(connection, hash);
    }

    /// <summary>401 with <c>WWW-Authenticate</c> (RFC 6750) and a problem body.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var invalid = (await HandleAuthenticateOnceSafeAsync()).Failure is not null;
        Response.Headers.WWWAuthenticate = invalid ? $"{Challenge}, error=\"invalid_token\", error_description=\"{InvalidKey}\"" : Challenge;
        await TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: invalid ? InvalidKey : "Send an API key as 'Authorization: Bearer <key>'.").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ForbiddenProblem.Of($"A key with the role '{Caller.TryFrom(Context.User)?.Role}' may not do this.").ExecuteAsync(Context);
}
