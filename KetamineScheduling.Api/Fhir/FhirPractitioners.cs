using System.Security.Claims;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KetamineScheduling.Api.Fhir;

/// <summary>The clinic's staff, prescribers and nurses, as Practitioners: read by id, searched by id, NPI and whether they still work here.</summary>
internal static partial class FhirApi
{
    private static readonly Dictionary<string, bool> ActiveTokens = new(StringComparer.Ordinal) { ["true"] = true, ["false"] = false };

    private static async Task<Results<FhirResult, NotFoundProblem>> ReadPractitioner(Guid staffId, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var (rows, _) = await FhirStore.StaffAsync(connection, ClinicOf(Caller.From(user)), new StaffSearch(staffId, null, null, Guid.Empty), 1);
        return rows is [var staff] ? new FhirResult(FhirMapping.Practitioner(staff), []) : NotFoundProblem.Of("staff member", staffId);
    }

    private static async Task<Results<FhirResult, ValidationProblem>> SearchPractitioners(HttpRequest request, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        var search = new FhirSearch(request.Query, "_id", "identifier", "active");
        var take = search.Count();
        var idText = search.Single("_id");
        var identifier = search.Single("identifier");
        var active = search.Tokens("active", ActiveTokens);
        var cursor = search.Cursor();
        var after = cursor.Length == 0 ? Guid.Empty : Guid.TryParse(cursor, out var key) ? key : Invalid(search, Guid.Empty);
        if (!search.Validation.IsValid)
        {
            return search.Validation.Problem();
        }

        // An id that is no id of ours, or an identifier of another system, matches nothing.
        var id = idText is null ? null : Guid.TryParse(idText, out var given) ? given : (Guid?)null;
        var npi = identifier is null ? null : FhirSearch.IdentifierValue(identifier, FhirMapping.NpiSystem);
        var none = (idText is not null && id is null) || (identifier is not null && npi is null);
        await using var connection = await db.OpenAsync(cancellationToken);
        var (rows, total) = none
            ? ([], 0)
            : await FhirStore.StaffAsync(connection, ClinicOf(Caller.From(user)), new StaffSearch(id, npi, active is [var one] ? one : null, after), take + 1);
        return new FhirResult(FhirBundles.Page(request, search, rows, take, total, r => r.Id.ToString(), FhirMapping.Practitioner), []);
    }
}
