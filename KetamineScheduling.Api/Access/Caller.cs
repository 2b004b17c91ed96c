using System.Security.Claims;

namespace KetamineScheduling.Api.Access;

/// <summary>Who is calling: the API key a request was authenticated with, as its claims say.</summary>
/// <param name="KeyId">The key's id.</param>
/// <param name="Role">One of <see cref="Roles"/>.</param>
/// <param name="ClinicId">The clinic the key belongs to; null for a platform admin.</param>
/// <param name="PatientId">The one patient a patient-app key may see; null for every other role.</param>
/// <param name="StaffId">The member of staff a clinician key acts for; null when it names none, and for every other role.</param>
internal sealed record Caller(Guid KeyId, string Role, Guid? ClinicId, Guid? PatientId, Guid? StaffId = null)
{
    // Other features read these claim names; keep them exactly.
    public const string KeyIdClaim = "key_id";
    public const string RoleClaim = "role";
    public const string ClinicIdClaim = "clinic_id";
    public const string PatientIdClaim = "patient_id";
    public const string StaffIdClaim = "staff_id";

    /// <summary>The caller of an authenticated request; every /v1 route but those allowing anonymous callers has one.</summary>
    public static Caller From(ClaimsPrincipal user) =>
        TryFrom(user) ?? throw new InvalidOperationException("The request carries no API key; the route is missing its authorization.");

    /// <summary>The caller, or null when the request carries no valid key.</summary>
    public static Caller? TryFrom(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity is CallerIdentity { Caller: var caller })
        {
            // Asked several times a request (rate limit, clinic scope, route, audit): no need to parse claims each time.
            return caller;
        }

        return Guid.TryParse(user.FindFirstValue(KeyIdClaim), out var keyId) && user.FindFirstValue(RoleClaim) is { } role
            ? new Caller(keyId, role, GuidClaim(user, ClinicIdClaim), GuidClaim(user, PatientIdClaim), GuidClaim(user, StaffIdClaim))
            : null;
    }

    /// <summary>The name of this caller's token bucket: its key's.</summary>
    public string RateLimitPartition { get; } = $"key:{KeyId}";

    /// <summary>Whether this caller may see <paramref name="patientId"/>'s data: any caller in the clinic but another patient's app.</summary>
    public bool MaySee(Guid patientId) => PatientId is null || PatientId == patientId;

    public ClaimsPrincipal ToPrincipal(string authenticationType)
    {
        var claims = new List<Claim> { new(KeyIdClaim, KeyId.ToString()), new(RoleClaim, Role) };
        if (ClinicId is { } clinicId)
        {
            claims.Add(new Claim(ClinicIdClaim, clinicId.ToString()));
        }

        if (PatientId is { } patientId)
        {
            claims.Add(new Claim(PatientIdClaim, patientId.ToString()));
        }

        if (StaffId is { } staffId)
        {
            claims.Add(new Claim(StaffIdClaim, staffId.ToString()));
        }

        return new ClaimsPrincipal(new CallerIdentity(this, claims, authenticationType));
    }

    /// <summary>The claims of <see cref="Caller"/>, with the caller they were made from.</summary>
    private sealed class CallerIdentity(Caller caller, IEnumerable<Claim> claims, string authenticationType)
        : ClaimsIdentity(claims, authenticationType, KeyIdClaim, RoleClaim)
    {
        public Caller Caller => caller;
    }

    private static Guid? GuidClaim(ClaimsPrincipal user, string type) =>
        Guid.TryParse(user.FindFirstValue(type), out var id) ? id : null;
}
