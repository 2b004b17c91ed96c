using System.Collections.Immutable;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Nursing;
using KetamineScheduling.Domain.Clinical;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Staff;

/// <summary>Routes for the clinic's staff registry: prescribers and nurses.</summary>
internal static class StaffApi
{
    public static RouteGroupBuilder MapStaff(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/staff").WithTags("Staff").Audited("staff");
        group.WithETags();

        group.MapPost("/", CreateStaff)
            .Describe("CreateStaff", "Register a prescriber or nurse")
            .AllowRoles(Roles.ClinicAdminAndIntegration);
        group.MapGet("/", ListStaff)
            .Describe("ListStaff", "List the clinic's staff, optionally of one kind")
            .AllowRoles(Roles.StaffAndClinician);
        group.MapGet("/{staffId:guid}", GetStaff)
            .Describe("GetStaff", "Get one member of staff")
            .AllowRoles(Roles.StaffAndClinician);
        group.MapPatch("/{staffId:guid}", UpdateStaff)
            .Describe("UpdateStaff", "Change a member of staff's name or kinds, or mark them inactive; a nurse who leaves or stops nursing is taken off their shifts not yet begun")
            .AllowRoles(Roles.ClinicAdminAndIntegration);
        return group;
    }

    private static async Task<Results<Created<StaffResponse>, ValidationProblem, NotFoundProblem>> CreateStaff(
        Guid clinicId, CreateStaffRequest request, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Required("name", request.Name).Name("name", request.Name, 200)
            .Name("licenceNumber", request.LicenceNumber, 50);
        var kinds = ReadKinds(validation, request.Kinds);
        if (request.Npi is not null && !Npi.IsValid(request.Npi))
        {
            validation.Add("npi", "Must be 10 digits with a valid NPI check digit (Luhn over the prefix 80840), for example 1234567893.");
        }

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var staff = new StaffMember(Guid.CreateVersion7(), request.Name.Trim(), kinds, request.Npi, request.LicenceNumber?.Trim(), Active: true, Version: 1);
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Created<StaffResponse>, ValidationProblem, NotFoundProblem>>(async (connection, transaction) =>
        {
            if (!await StaffStore.InsertAsync(connection, transaction, clinicId, staff, now))
            {
                return NotFoundProblem.Of("clinic", clinicId);
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "staff.created", "staff", staff.Id, null, 1, now));
            return TypedResults.Created($"/v1/clinics/{clinicId}/staff/{staff.Id}", staff.ToResponse());
        }, cancellationToken);
    }

    private static async Task<Results<Ok<Page<StaffResponse>>, ValidationProblem>> ListStaff(
        Guid clinicId, string? kind, string? cursor, int? limit, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.CursorKey("cursor", cursor, Guid.Empty);
        var only = validation.Code<StaffKind>("kind", kind);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        var staff = await StaffStore.ListAsync(connection, clinicId, only, after, take + 1);
        return TypedResults.Ok(Cursor.Paginate(staff, take, s => s.Id.ToString(), s => s.ToResponse()));
    }

    private static async Task<Results<Ok<StaffResponse>, NotFoundProblem>> GetStaff(Guid clinicId, Guid staffId, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await StaffStore.FindAsync(connection, clinicId, staffId) is { } staff
            ? TypedResults.Ok(staff.ToResponse())
            : NotFoundProblem.Of("member of staff", staffId);
    }

    private static async Task<Results<Ok<StaffResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, IfMatchProblem>> UpdateStaff(
        Guid clinicId, Guid staffId, UpdateStaffRequest request, IfMatch ifMatch, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        if (request.Name is not null)
        {
            validation.Required("name", request.Name).Name("name", request.Name, 200);
        }

        ImmutableArray<StaffKind>? kinds = request.Kinds is null ? null : ReadKinds(validation, request.Kinds);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<StaffResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, IfMatchProblem>>(async (connection, transaction) =>
        {
            if (await StaffStore.FindAsync(connection, clinicId, staffId, transaction) is not { } staff)
            {
                return NotFoundProblem.Of("member of staff", staffId);
            }

            if (ifMatch.Refusal(staff.Version) is { } refusal)
            {
                return refusal;
            }

            var changed = staff with
            {
                Name = request.Name?.Trim() ?? staff.Name,
                Kinds = kinds is { } k ? k : staff.Kinds,
                Active = request.Active ?? staff.Active,
                Version = staff.Version + 1,
            };
            // A nurse who stops working here, or stops nursing, would leave the sessions they set up and watch without a nurse.
            if (!IsActiveNurse(changed) &&
                await ShiftStore.NursesSessionsAsync(connection, transaction, clinicId, staffId, null, now) is { Count: > 0 } theirs)
            {
                return ConflictProblem.Of(
                    $"{theirs.Count} session(s) or reservation(s) still to come have this nurse. Move or cancel them, or put another nurse on shift and move them, first.",
                    new Dictionary<string, object?> { ["rule"] = "sessions-lose-nurse", ["sessions"] = theirs.Select(t => t.ToAffected()).ToList() });
            }

            if (!await StaffStore.UpdateAsync(connection, transaction, clinicId, changed, staff.Version, now))
            {
                throw new ConflictException("The member of staff changed while being updated; fetch them and try again.");
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "staff.updated", "staff", staffId, null, changed.Version, now));

            // Their rota goes with them: a shift they will not work would show the front desk a nurse who is not there.
            if (IsActiveNurse(staff) && !IsActiveNurse(changed))
            {
                var zone = (await ClinicStore.FindAsync(connection, clinicId, transaction))!.Zone;
                foreach (var shiftId in await ShiftStore.ShiftsToComeAsync(connection, transaction, clinicId, staffId, now.InZone(zone).LocalDateTime))
                {
                    await ShiftsApi.TakeOffAsync(connection, transaction, clinicId, shiftId, now);
                }
            }

            return TypedResults.Ok(changed.ToResponse());
        }, cancellationToken);
    }

    private static bool IsActiveNurse(StaffMember staff) => staff.Active && staff.Kinds.Contains(StaffKind.Nurse);

    private static ImmutableArray<StaffKind> ReadKinds(Validation validation, IReadOnlyList<string>? codes)
    {
        if (codes is not { Count: > 0 })
        {
            validation.Add("kinds", $"Must name at least one of {string.Join(", ", ClinicalCodes.StaffKinds)}.");
            return [];
        }

        return validation.Codes<StaffKind>("kinds", codes);
    }
}
