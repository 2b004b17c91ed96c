using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Staff;
using KetamineScheduling.Api.Waitlist;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Nursing;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Nursing;

/// <summary>
/// Routes for nurses' shifts: the hours each nurse is on duty, which decide, where the clinic counts nurses, when a
/// session can be booked and who sets it up and watches it.
/// </summary>
internal static class ShiftsApi
{
    public static IEndpointRouteBuilder MapShifts(this IEndpointRouteBuilder routes)
    {
        var nurse = routes.MapGroup("/v1/clinics/{clinicId:guid}/staff/{staffId:guid}/shifts").WithTags("Staff").Audited("shift");
        nurse.MapPost("/", CreateShift)
            .Describe("CreateShift", "Put a nurse on shift on a date")
            .AllowRoles(Roles.Staff)
            .OffersFreedTime();
        nurse.MapDelete("/{shiftId:guid}", DeleteShift)
            .Describe("DeleteShift", "Take a nurse off a shift, unless booked sessions would lose their nurse; again, it changes nothing")
            .AllowRoles(Roles.Staff);
        routes.MapGet("/v1/clinics/{clinicId:guid}/shifts", ListShifts)
            .WithTags("Staff").Audited("shift")
            .Describe("ListShifts", "List the nurses' shifts on a date")
            .AllowRoles(Roles.StaffAndClinician);
        return routes;
    }

    private static async Task<Results<Created<ShiftResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> CreateShift(
        Guid clinicId, Guid staffId, CreateShiftRequest request, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        if (!new NurseShift(staffId, request.Date, request.Starts, request.Ends).IsValid)
        {
            validation.Add("ends", $"Must be at least {NurseShift.MinMinutes} minutes after starts, on the same date.");
        }

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        var shift = new ShiftResponse(Guid.CreateVersion7(), staffId, request.Date, request.Starts, request.Ends, now);
        return await db.WriteAsync<Results<Created<ShiftResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>>(async (connection, transaction) =>
        {
            if (!await ClinicStore.ExistsAsync(connection, clinicId, transaction))
            {
                return NotFoundProblem.Of("clinic", clinicId);
            }

            if (await StaffStore.FindAsync(connection, clinicId, staffId, transaction) is not { } staff)
            {
                return NotFoundProblem.Of("member of staff", staffId);
            }

            if (!staff.Active || !staff.Kinds.Contains(StaffKind.Nurse))
            {
                return UnprocessableProblem.Of($"Only an active nurse is put on shift; '{staff.Name}' is {(staff.Active ? "not a nurse" : "inactive")}.");
            }

            if (await ShiftStore.OverlappingAsync(connection, transaction, clinicId, shift) is [var other, ..])
            {
                return ConflictProblem.Of(
                    $"The nurse is already on shift from {other.Starts:HH:mm} to {other.Ends:HH:mm} that date; change that shift instead.",
                    new Dictionary<string, object?> { ["shiftId"] = other.Id });
            }

            await ShiftStore.InsertAsync(connection, transaction, clinicId, shift);
            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "shift.created", "shift", shift.Id, null, 1, now));
            return TypedResults.Created($"/v1/clinics/{clinicId}/staff/{staffId}/shifts/{shift.Id}", shift);
        }, cancellationToken);
    }

    private static async Task<Results<Ok<ShiftList>, ValidationProblem, NotFoundProblem>> ListShifts(
        Guid clinicId, string? date, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var day = validation.Date("date", date);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        if (!await ClinicStore.ExistsAsync(connection, clinicId))
        {
            return NotFoundProblem.Of("clinic", clinicId);
        }

        return TypedResults.Ok(new ShiftList(day!.Value, await ShiftStore.OnDateAsync(connection, clinicId, day.Value)));
    }

    private static async Task<Results<NoContent, NotFoundProblem, ConflictProblem>> DeleteShift(
        Guid clinicId, Guid staffId, Guid shiftId, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<NoContent, NotFoundProblem, ConflictProblem>>(async (connection, transaction) =>
        {
            if (await ShiftStore.FindAsync(connection, transaction, clinicId, staffId, shiftId) is not var (shift, deleted))
            {
                return NotFoundProblem.Of("shift", shiftId);
            }

            if (deleted)
            {
                return TypedResults.NoContent();
            }

            var calendar = (await ClinicStore.FindAsync(connection, clinicId, transaction))!.Calendar;
            var onDuty = new Interval(calendar.AtBoundary(shift.Date + shift.Starts), calendar.AtBoundary(shift.Date + shift.Ends));
            var dependents = (await ShiftStore.NursesSessionsAsync(connection, transaction, clinicId, staffId, shift.Date, now))
                .Where(r => r.StartUtc < onDuty.End && onDuty.Start < r.EndUtc).Select(r => r.ToAffected()).ToList();
            if (dependents.Count > 0)
            {
                return ConflictProblem.Of(
                    $"{dependents.Count} booked session(s) or held reservation(s) would lose their nurse. Move or cancel them, or put another nurse on shift and move them, before taking the nurse off this shift.",
                    new Dictionary<string, object?> { ["rule"] = "sessions-lose-nurse", ["sessions"] = dependents });
            }

            await TakeOffAsync(connection, transaction, clinicId, shiftId, now);
            return TypedResults.NoContent();
        }, cancellationToken);
    }

    /// <summary>Takes a nurse off a shift, inside the caller's transaction, once nothing depends on it.</summary>
    internal static async Task TakeOffAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Guid shiftId, Instant now)
    {
        await ShiftStore.DeleteAsync(connection, transaction, shiftId, now);
        await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "shift.deleted", "shift", shiftId, null, 2, now));
    }
}
