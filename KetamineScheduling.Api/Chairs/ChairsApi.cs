using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Chairs;

/// <summary>A new infusion chair.</summary>
public sealed record CreateChairRequest([property: System.ComponentModel.DataAnnotations.MaxLength(100)] string Name);

/// <summary>An infusion chair.</summary>
public sealed record ChairResponse(Guid Id, [property: System.ComponentModel.DataAnnotations.MaxLength(100)] string Name);

/// <summary>Routes for a clinic's infusion chairs.</summary>
internal static class ChairsApi
{
    public static RouteGroupBuilder MapChairs(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/chairs").WithTags("Chairs").Audited("chair");

        group.MapPost("/", CreateChair)
            .Describe("CreateChair", "Add an infusion chair to the clinic", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .AllowRoles(Roles.ClinicAdmin);
        group.MapGet("/", ListChairs)
            .Describe("ListChairs", "List the clinic's chairs", StatusCodes.Status404NotFound)
            .AllowRoles(Roles.Staff);
        group.MapGet("/{chairId:guid}", GetChair)
            .Describe("GetChair", "Get one chair", StatusCodes.Status404NotFound)
            .AllowRoles(Roles.Staff);
        return group;
    }

    private static async Task<Results<Created<ChairResponse>, ValidationProblem, ProblemHttpResult>> CreateChair(
        Guid clinicId, CreateChairRequest request, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation().Required("name", request.Name).Name("name", request.Name, 100);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var chair = new ChairResponse(Guid.CreateVersion7(), request.Name.Trim());
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Created<ChairResponse>, ValidationProblem, ProblemHttpResult>>(async (connection, transaction) =>
        {
            if (!await ChairStore.InsertAsync(connection, transaction, clinicId, chair, now))
            {
                return Problems.NotFound("clinic", clinicId);
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "chair.created", "chair", chair.Id, null, 1, now));
            return TypedResults.Created($"/v1/clinics/{clinicId}/chairs/{chair.Id}", chair);
        }, cancellationToken);
    }

    private static async Task<Results<Ok<Page<ChairResponse>>, ProblemHttpResult>> ListChairs(Guid clinicId, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var chairs = await ChairStore.ListAsync(connection, clinicId);
        return TypedResults.Ok(new Page<ChairResponse>(chairs.Select(c => new ChairResponse(c.Id, c.Name)).ToList(), null));
    }

    private static async Task<Results<Ok<ChairResponse>, ProblemHttpResult>> GetChair(Guid clinicId, Guid chairId, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await ChairStore.FindAsync(connection, clinicId, chairId) is { } chair
            ? TypedResults.Ok(new ChairResponse(chair.Id, chair.Name))
            : Problems.NotFound("chair", chairId);
    }
}
