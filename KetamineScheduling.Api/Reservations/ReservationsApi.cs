using System.Security.Claims;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Api.Waitlist;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Reservations;

/// <summary>
/// Routes for reservations: short holds on a chair and a patient's time while someone decides. Booking one is
/// <c>POST /sessions</c> with its <c>reservationId</c>.
/// </summary>
internal static class ReservationsApi
{
    public static RouteGroupBuilder MapReservations(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/reservations").WithTags("Reservations").Audited("reservation", readsPatientData: true);
        group.WithETags();

        group.MapPost("/", CreateReservation)
            .Describe("CreateReservation", "Hold a chair and a patient's time for a few minutes; book it with POST /sessions and its reservationId")
            .AllowRoles(Roles.Staff);
        group.MapGet("/{reservationId:guid}", GetReservation)
            .Describe("GetReservation", "Get one reservation, with its status as of now")
            .AllowRoles(Roles.StaffAndPatientApp);
        group.MapDelete("/{reservationId:guid}", ReleaseReservation)
            .Describe("ReleaseReservation", "Release a reservation, freeing its time at once")
            .AllowRoles(Roles.Staff)
            .OffersFreedTime();
        return group;
    }

    private static async Task<Results<Created<ReservationResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> CreateReservation(
        Guid clinicId, CreateReservationRequest request, Database db, ClinicCache clinics, IClock clock, CancellationToken cancellationToken)
    {
        var validation = SessionsApi.Validate(request).Range("ttlSeconds", request.TtlSeconds, Reservation.MinSeconds, Reservation.MaxSeconds);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        await using var connection = await db.OpenAsync(cancellationToken);
        var (clinic, session, refused) = await SessionsApi.PrepareAsync(connection, clinics, clinicId, Guid.CreateVersion7(), request, now);
        if (refused is not null)
        {
            return refused switch
            {
                { NotFound: { } notFound } => notFound,
                { Conflict: { } conflict } => conflict,
                _ => refused.Unprocessable!,
            };
        }

        var reservation = await db.WriteAsync(
            connection,
            (c, transaction) => ReservationBooking.HoldAsync(db, c, transaction, clinic!, Reservation.Hold(session!, now, request.TtlSeconds ?? Reservation.DefaultSeconds)),
            cancellationToken);
        return TypedResults.Created($"/v1/clinics/{clinicId}/reservations/{reservation.Id}", reservation.ToResponse(version: 1, now));
    }

    private static async Task<Results<Ok<ReservationResponse>, NotFoundProblem>> GetReservation(
        Guid clinicId, Guid reservationId, ClaimsPrincipal user, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        return await ReservationBooking.ReadAsync(db, clinicId, reservationId, now, cancellationToken) is { } row && Caller.From(user).MaySee(row.PatientId)
            ? TypedResults.Ok(row.ToReservation().ToResponse(row.Version, now))
            : NotFoundProblem.Of("reservation", reservationId);
    }

    private static async Task<Results<NoContent, NotFoundProblem, ConflictProblem>> ReleaseReservation(
        Guid clinicId, Guid reservationId, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync((connection, transaction) => ReservationBooking.ReleaseAsync(connection, transaction, clinicId, reservationId, now), cancellationToken);
    }
}
