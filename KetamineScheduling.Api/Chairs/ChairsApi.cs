using System.Text.Json.Serialization;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Api.Waitlist;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Chairs;

/// <summary>A new infusion chair.</summary>
public sealed record CreateChairRequest([property: System.ComponentModel.DataAnnotations.MaxLength(100)] string Name);

/// <summary>Changes to a chair, in the manner of a JSON merge patch: a property left out (or null) keeps its value.</summary>
/// <param name="Name">A new name, unique in the clinic.</param>
/// <param name="InService">False takes the chair out of service: it takes no new bookings, and keeps the ones it has until they are moved.</param>
public sealed record UpdateChairRequest(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? InService = null);

/// <summary>An infusion chair.</summary>
/// <param name="Id">The chair's id.</param>
/// <param name="Name">Its name, unique in the clinic.</param>
/// <param name="InService">Whether it takes new bookings.</param>
/// <param name="Version">Changes with every update; sent as the ETag.</param>
public sealed record ChairResponse(Guid Id, [property: System.ComponentModel.DataAnnotations.MaxLength(100)] string Name, bool InService = true, [property: System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)] int Version = 1) : IVersioned;

/// <summary>The chair as changed, and its sessions still to come: the ones to move when it goes out of service.</summary>
public sealed record UpdateChairResponse(ChairResponse Chair, IReadOnlyList<AffectedSession> FutureSessions) : IVersioned
{
    int IVersioned.Version => Chair.Version;
}

/// <summary>Routes for a clinic's infusion chairs.</summary>
internal static class ChairsApi
{
    public static RouteGroupBuilder MapChairs(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/chairs").WithTags("Chairs").Audited("chair");
        group.WithETags();

        group.MapPost("/", CreateChair)
            .Describe("CreateChair", "Add an infusion chair to the clinic")
            .AllowRoles(Roles.ClinicAdmin)
            .OffersFreedTime();
        group.MapGet("/", ListChairs)
            .Describe("ListChairs", "List the clinic's chairs")
            .AllowRoles(Roles.Staff);
        group.MapGet("/{chairId:guid}", GetChair)
            .Describe("GetChair", "Get one chair")
            .AllowRoles(Roles.Staff);
        group.MapPatch("/{chairId:guid}", UpdateChair)
            .Describe("UpdateChair", "Rename a chair or take it in or out of service; lists its sessions still to come")
            .AllowRoles(Roles.ClinicAdmin)
            .OffersFreedTime();
        return group;
    }

    private static async Task<Results<Created<ChairResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> CreateChair(
        Guid clinicId, CreateChairRequest request, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = ValidateName(request.Name);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var chair = new ChairResponse(Guid.CreateVersion7(), request.Name.Trim());
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Created<ChairResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>>(async (connection, transaction) =>
        {
            switch (await ChairStore.InsertAsync(connection, transaction, clinicId, chair, now))
            {
                case RowWritten.NoRow:
                    return NotFoundProblem.Of("clinic", clinicId);
                case RowWritten.Duplicate:
                    return DuplicateName(chair.Name);
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "chair.created", "chair", chair.Id, null, 1, now));
            return TypedResults.Created($"/v1/clinics/{clinicId}/chairs/{chair.Id}", chair);
        }, cancellationToken);
    }

    private static async Task<Ok<Page<ChairResponse>>> ListChairs(Guid clinicId, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return TypedResults.Ok(new Page<ChairResponse>(await ChairStore.ListAsync(connection, clinicId), null));
    }

    private static async Task<Results<Ok<ChairResponse>, NotFoundProblem>> GetChair(Guid clinicId, Guid chairId, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await ChairStore.FindAsync(connection, clinicId, chairId) is { } chair
            ? TypedResults.Ok(chair)
            : NotFoundProblem.Of("chair", chairId);
    }

    /// <summary>
    /// Renames a chair or takes it in or out of service. A chair out of service takes no new bookings; the answer
    /// lists its sessions still to come, so the clinic can move them to other chairs.
    /// </summary>
    private static async Task<Results<Ok<UpdateChairResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, IfMatchProblem>> UpdateChair(
        Guid clinicId, Guid chairId, UpdateChairRequest request, IfMatch ifMatch, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = request.Name is null ? new Validation() : ValidateName(request.Name);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<UpdateChairResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, IfMatchProblem>>(async (connection, transaction) =>
        {
            if (await ChairStore.FindAsync(connection, clinicId, chairId, transaction) is not { } chair)
            {
                return NotFoundProblem.Of("chair", chairId);
            }

            if (ifMatch.Refusal(chair.Version) is { } refusal)
            {
                return refusal;
            }

            var changed = chair with { Name = request.Name?.Trim() ?? chair.Name, InService = request.InService ?? chair.InService, Version = chair.Version + 1 };
            switch (await ChairStore.UpdateAsync(connection, transaction, clinicId, changed, chair.Version))
            {
                case RowWritten.NoRow:
                    throw new ConflictException("The chair changed while it was being updated; fetch it and try again.");
                case RowWritten.Duplicate:
                    return DuplicateName(changed.Name);
            }

            var future = (await SessionStore.StillToComeAsync(connection, transaction, clinicId, now, chairId))
                .Select(r => new AffectedSession(r.Id, r.ChairId, r.ToSession().Start.ToOffsetDateTime()))
                .ToList();
            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "chair.updated", "chair", chairId, null, changed.Version, now));
            return TypedResults.Ok(new UpdateChairResponse(changed, future));
        }, cancellationToken);
    }

    private static Validation ValidateName(string? name) => new Validation().Required("name", name).Name("name", name, 100);

    private static ConflictProblem DuplicateName(string name) =>
        ConflictProblem.Of($"The clinic already has a chair named '{name}'; chair names are unique in a clinic (ignoring case).");
}
