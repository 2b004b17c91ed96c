using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.OpenApi;
using KetamineScheduling.Api.Patients;
using KetamineScheduling.Api.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Access;

/// <summary>A new API key for the clinic.</summary>
public sealed record CreateApiKeyRequest : IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => PatientId is { } id ? [id] : [];

    /// <summary>What the key is for, e.g. "Front desk tablet".</summary>
    [MaxLength(200)]
    public required string Name { get; init; }

    /// <summary>clinic-admin, integration, scheduler, clinician or patient-app. Only a clinic admin issues clinician keys.</summary>
    [ValuesOf(typeof(Roles), nameof(Roles.ClinicRoles))]
    public required string Role { get; init; }

    /// <summary>The one patient a patient-app key may see; required for patient-app keys and refused for others.</summary>
    public Guid? PatientId { get; init; }

    /// <summary>The member of staff a clinician key acts for; optional for clinician keys and refused for others.</summary>
    public Guid? StaffId { get; init; }

    /// <summary>When the key stops working; null for never.</summary>
    public Instant? ExpiresAt { get; init; }
}

/// <summary>An API key, without its secret.</summary>
/// <param name="Id">The key's id: the actor in the audit trail.</param>
/// <param name="Name">What the key is for.</param>
/// <param name="Role">clinic-admin, integration, scheduler, clinician or patient-app.</param>
/// <param name="PatientId">The one patient a patient-app key may see; null for other roles.</param>
/// <param name="KeyPrefix">The first characters of the secret, to tell keys apart.</param>
/// <param name="CreatedAt">When the key was issued.</param>
/// <param name="ExpiresAt">When the key stops working; null for never.</param>
/// <param name="RevokedAt">When the key was revoked; null while it works.</param>
/// <param name="StaffId">The member of staff a clinician key acts for; null when it names none, and for other roles.</param>
public sealed record ApiKeyResponse(
    Guid Id,
    [property: MaxLength(200)] string Name,
    [property: ValuesOf(typeof(Roles), nameof(Roles.ClinicRoles))] string Role,
    Guid? PatientId,
    [property: MaxLength(10)] string KeyPrefix,
    Instant CreatedAt,
    Instant? ExpiresAt,
    Instant? RevokedAt,
    Guid? StaffId = null);

/// <summary>A new API key and its secret. The secret is shown only here: only its hash is kept.</summary>
/// <param name="Id">The key's id: the actor in the audit trail, and what revoking it takes.</param>
/// <param name="Key">The secret, sent as <c>Authorization: Bearer &lt;key&gt;</c>.</param>
/// <param name="Name">What the key is for.</param>
/// <param name="Role">clinic-admin, integration, scheduler, clinician or patient-app.</param>
/// <param name="PatientId">The one patient a patient-app key may see; null for other roles.</param>
/// <param name="KeyPrefix">The first characters of the secret, as key lists show it.</param>
/// <param name="CreatedAt">When the key was issued.</param>
/// <param name="ExpiresAt">When the key stops working; null for never.</param>
/// <param name="StaffId">The member of staff a clinician key acts for; null when it names none, and for other roles.</param>
public sealed record CreatedApiKeyResponse(
    Guid Id,
    [property: MaxLength(100)] string Key,
    [property: MaxLength(200)] string Name,
    [property: ValuesOf(typeof(Roles), nameof(Roles.ClinicRoles))] string Role,
    Guid? PatientId,
    [property: MaxLength(10)] string KeyPrefix,
    Instant CreatedAt,
    Instant? ExpiresAt,
    Guid? StaffId = null) : IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => PatientId is { } id ? [id] : [];
}

/// <summary>Routes for a clinic's API keys: issuing, listing and revoking.</summary>
internal static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/api-keys")
            .WithTags("API keys")
            .AllowRoles(Roles.PlatformAdmin, Roles.ClinicAdmin)
            .Audited("api_key", idRouteValue: "keyId");

        group.MapPost("/", CreateApiKey)
            .Describe("CreateApiKey", "Issue an API key for the clinic; the answer holds its secret, shown this once");
        group.MapGet("/", ListApiKeys)
            .Describe("ListApiKeys", "List the clinic's API keys, revoked ones included, without their secrets");
        group.MapDelete("/{keyId:guid}", RevokeApiKey)
            .Describe("RevokeApiKey", "Revoke an API key; it stops working at once");
        return group;
    }

    private static async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem, ForbiddenProblem, NotFoundProblem>> CreateApiKey(
        Guid clinicId, CreateApiKeyRequest request, ClaimsPrincipal user, Database db, IClock clock, CancellationToken cancellationToken)
    {
        if (request.Role == Roles.Clinician && Caller.From(user).Role != Roles.ClinicAdmin)
        {
            return ForbiddenProblem.Of("Only a clinic admin issues clinician keys.");
        }

        var now = clock.GetCurrentInstant();
        var validation = new Validation().Required("name", request.Name).Name("name", request.Name, 200);
        if (!Roles.ClinicRoles.Contains(request.Role))
        {
            validation.Add("role", $"Must be one of {string.Join(", ", Roles.ClinicRoles)}.");
        }

        if (request.Role == Roles.PatientApp && request.PatientId is null)
        {
            validation.Add("patientId", "Is required for a patient-app key.");
        }
        else if (request.Role != Roles.PatientApp && request.PatientId is not null)
        {
            validation.Add("patientId", "Is only for patient-app keys.");
        }

        if (request.StaffId is not null && request.Role != Roles.Clinician)
        {
            validation.Add("staffId", "Is only for clinician keys.");
        }

        if (request.ExpiresAt <= now)
        {
            validation.Add("expiresAt", "Must be in the future.");
        }

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var secret = ApiKeyStore.NewSecret();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            ClinicId = clinicId,
            PatientId = request.PatientId,
            StaffId = request.StaffId,
            Name = request.Name.Trim(),
            Role = request.Role,
            KeyPrefix = ApiKeyStore.PrefixOf(secret),
            CreatedAt = now,
            ExpiresAt = request.ExpiresAt,
        };
        return await db.WriteAsync<Results<Created<CreatedApiKeyResponse>, ValidationProblem, ForbiddenProblem, NotFoundProblem>>(async (connection, transaction) =>
        {
            if (key.PatientId is { } patientId && await PatientStore.FindAsync(connection, clinicId, patientId, transaction) is null)
            {
                return NotFoundProblem.Reference("patientId", "patient", patientId);
            }

            if (key.StaffId is { } staffId && await StaffStore.FindAsync(connection, clinicId, staffId, transaction) is null)
            {
                return NotFoundProblem.Reference("staffId", "member of staff", staffId);
            }

            if (!await ApiKeyStore.InsertAsync(connection, transaction, key, secret))
            {
                return NotFoundProblem.Of("clinic", clinicId);
            }

            await AuditScope.RecordChangeAsync(connection, transaction, key.Id, key.PatientId, now);

            // No Location: a key is never read back on its own.
            return TypedResults.Created((string?)null, new CreatedApiKeyResponse(
                key.Id, secret, key.Name, key.Role, key.PatientId, key.KeyPrefix, key.CreatedAt, key.ExpiresAt, key.StaffId));
        }, cancellationToken);
    }

    private static async Task<Results<Ok<Page<ApiKeyResponse>>, ValidationProblem>> ListApiKeys(
        Guid clinicId, string? cursor, int? limit, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.CursorKey("cursor", cursor, Guid.Empty);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        var keys = await ApiKeyStore.ListAsync(connection, clinicId, after, take + 1);
        return TypedResults.Ok(Cursor.Paginate(keys, take, k => k.Id.ToString(), ToResponse));
    }

    private static async Task<Results<NoContent, NotFoundProblem>> RevokeApiKey(
        Guid clinicId, Guid keyId, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<NoContent, NotFoundProblem>>(async (connection, transaction) =>
        {
            if (!await ApiKeyStore.RevokeAsync(connection, transaction, clinicId, keyId, now))
            {
                return NotFoundProblem.Of("API key", keyId);
            }

            await AuditScope.RecordChangeAsync(connection, transaction, keyId, null, now);
            return TypedResults.NoContent();
        }, cancellationToken);
    }

    private static ApiKeyResponse ToResponse(ApiKey key) =>
        new(key.Id, key.Name, key.Role, key.PatientId, key.KeyPrefix, key.CreatedAt, key.ExpiresAt, key.RevokedAt, key.StaffId);
}
