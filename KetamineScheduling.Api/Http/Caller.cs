namespace KetamineScheduling.Api.Http;

/// <summary>
/// Who is calling and for which clinic, as far as the integration features need to know: the one place that
/// reads the caller's identity, so authentication can change what it reads without touching its users.
/// </summary>
internal static class Caller
{
    /// <summary>The id of the API key the request was made with; empty while the API has no authentication.</summary>
    public static string KeyId(HttpContext context) => context.User.FindFirst("key_id")?.Value ?? "";

    /// <summary>
    /// The clinic a request acts in, from the route's <c>{clinicId}</c> in lowercase "D" form; empty for routes
    /// outside any clinic (creating a clinic, say).
    /// </summary>
    public static string ClinicScope(HttpContext context) =>
        context.GetRouteValue("clinicId") is string id ? (Guid.TryParse(id, out var guid) ? guid.ToString("D") : id) : "";
}
