using System.Data.Common;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Reservations;

/// <summary>Why a reservation cannot be booked: exactly one is set, with the status a client should see.</summary>
internal sealed record ReservationRefusal(
    NotFoundProblem? NotFound = null, ConflictProblem? Conflict = null, GoneProblem? Gone = null, UnprocessableProblem? Unprocessable = null);

/// <summary>
/// What can be done with a reservation, each inside the caller's write transaction, with its change-feed events:
/// hold time, book it as a session, release it, read it. The JSON routes and the FHIR operations ($hold, $book)
/// share these, so a hold means the same whichever way it was made.
/// </summary>
/// <remarks>
/// Refusals are typed problems (<see cref="NotFoundProblem"/> and its siblings), with the status a client should see: 404 for what is not
/// in the clinic, 409 for time someone else holds or a request that does not match the reservation, 410 for a
/// reservation that expired or was released, 422 for what the calendar's rules refuse.
/// </remarks>
internal static class ReservationBooking
{
    /// <summary>
    /// Stores <paramref name="reservation"/> (see <see cref="Reservation.Hold"/>), claims its time and appends
    /// <c>reservation.created</c>. Throws <see cref="ConflictException"/> (409) when a session or a live reservation
    /// holds any of the time. Returns the reservation as stored, with its nurse.
    /// </summary>
    public static async Task<Reservation> HoldAsync(Database db, DbConnection connection, DbTransaction transaction, Clinic clinic, Reservation reservation)
    {
        var held = await ReservationStore.InsertAsync(db, connection, transaction, clinic, reservation);
        await ChangeFeed.AppendAsync(connection, transaction, new Change(clinic.Id, "reservation.created", "reservation", held.Id, held.Session.PatientId, 1, held.CreatedAt));
        return held;
    }

    /// <summary>
    /// Books the live reservation <paramref name="reservationId"/> as the session of the same id, chair, start and
    /// length, and appends <c>session.booked</c> and <c>reservation.converted</c>. When <paramref name="asked"/> is
    /// given (a booking request naming the reservation), what it says must match the reservation. Returns the
    /// session, or the problem that refuses it.
    /// </summary>
    public static async Task<(Session? Session, ReservationRefusal? Refused)> ConvertAsync(
        Database db, DbConnection connection, DbTransaction transaction, Guid clinicId, Guid reservationId, Instant now, SessionRequest? asked = null)
    {
        if (await ReservationStore.FindAsync(connection, clinicId, reservationId, transaction) is not { } row)
        {
            return (null, new(NotFound: NotFoundProblem.Reference("reservationId", "reservation", reservationId)));
        }

        var reservation = row.ToReservation();
        if (Ended(reservation, now) is { } ended)
        {
            return (null, ended);
        }

        if (asked is not null && Mismatch(reservation.Session, asked) is { } mismatch)
        {
            return (null, new(Conflict: mismatch));
        }

        var clinic = (await ClinicStore.FindAsync(connection, clinicId, transaction))!;
        var session = reservation.Session;
        if (SessionsApi.RulesRefuse(clinic, session, now) is { } refused)
        {
            return (null, new(Unprocessable: refused));
        }

        // Ended first, so the session's claims do not meet the reservation's own; the guard makes a reservation
        // that expired or was released meanwhile (by another instance) a 410 rather than a booking.
        if (!await ReservationStore.EndAsync(connection, transaction, reservationId, ReservationStatus.Converted, now))
        {
            return (null, new(Gone: Gone(reservationId)));
        }

        session = (await SessionStore.InsertAsync(connection, transaction, clinic, [session], now))[0];
        await ChangeFeed.AppendAsync(connection, transaction,
        [
            new Change(clinicId, "session.booked", "session", session.Id, session.PatientId, 1, now),
            new Change(clinicId, "reservation.converted", "reservation", reservationId, session.PatientId, row.Version + 1, now),
        ]);
        return (session, null);
    }

    /// <summary>
    /// Gives up the reservation <paramref name="reservationId"/>, freeing its time, and appends
    /// <c>reservation.released</c>. One that has already expired or been released stays as it is (the time is free
    /// either way); one already booked is a 409, since its session must be cancelled instead. No content when done.
    /// </summary>
    public static async Task<Results<NoContent, NotFoundProblem, ConflictProblem>> ReleaseAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Guid reservationId, Instant now)
    {
        if (await ReservationStore.FindAsync(connection, clinicId, reservationId, transaction) is not { } row)
        {
            return NotFoundProblem.Of("reservation", reservationId);
        }

        var reservation = row.ToReservation();
        switch (reservation.StatusAt(now))
        {
            case ReservationStatus.Converted:
                return ConflictProblem.Of(
                    $"The reservation '{reservationId}' is booked as the session of the same id; cancel the session instead.",
                    new Dictionary<string, object?> { ["sessionId"] = reservationId });
            case ReservationStatus.Expired:
                await ReservationStore.ExpireAsync(connection, transaction, clinicId, now);
                return TypedResults.NoContent();
            case ReservationStatus.Held when await ReservationStore.EndAsync(connection, transaction, reservationId, ReservationStatus.Released, now):
                await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "reservation.released", "reservation", reservationId, row.PatientId, row.Version + 1, now));
                return TypedResults.NoContent();
            default:
                return TypedResults.NoContent();
        }
    }

    /// <summary>
    /// The reservation as of <paramref name="now"/>, or null when the clinic has none of that id. One whose time ran
    /// out is marked expired first, with its <c>reservation.expired</c> event, so a read is where expiry is seen.
    /// </summary>
    public static async Task<ReservationRow?> ReadAsync(Database db, Guid clinicId, Guid reservationId, Instant now, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await ReservationStore.FindAsync(connection, clinicId, reservationId);
        if (row?.ToReservation() is not { } reservation || reservation.Status == reservation.StatusAt(now))
        {
            return row;
        }

        return await db.WriteAsync(connection, async (c, transaction) =>
        {
            await ReservationStore.ExpireAsync(c, transaction, clinicId, now);
            return await ReservationStore.FindAsync(c, clinicId, reservationId, transaction);
        }, cancellationToken);
    }

    /// <summary>The 410 or 409 for a reservation that no longer holds its time at <paramref name="now"/>, or null while it does.</summary>
    private static ReservationRefusal? Ended(Reservation reservation, Instant now) => reservation.StatusAt(now) switch
    {
        ReservationStatus.Held => null,
        ReservationStatus.Converted => new(Conflict: ConflictProblem.Of(
            $"The reservation '{reservation.Id}' is already booked, as the session of the same id.",
            new Dictionary<string, object?> { ["sessionId"] = reservation.Id })),
        _ => new(Gone: Gone(reservation.Id, reservation.ExpiresAt)),
    };

    private static GoneProblem Gone(Guid reservationId, Instant? expiredAt = null) => GoneProblem.Of(
        expiredAt is { } at
            ? $"The reservation '{reservationId}' expired at {at} or was released; its time is no longer held. Reserve again."
            : $"The reservation '{reservationId}' expired or was released; its time is no longer held. Reserve again.",
        new Dictionary<string, object?> { ["reservationId"] = reservationId });

    /// <summary>The 409 naming the first field of <paramref name="asked"/> that says otherwise than the reservation, or null.</summary>
    private static ConflictProblem? Mismatch(Session held, SessionRequest asked)
    {
        var field =
            asked.PatientId != held.PatientId ? "patientId"
            : asked.ChairId != held.ChairId ? "chairId"
            : asked.Start != held.Start.LocalDateTime ? "start"
            : asked.InfusionMinutes != held.Length.InfusionMinutes ? "infusionMinutes"
            : asked.ObservationMinutes is { } observation && observation != held.Length.ObservationMinutes ? "observationMinutes"
            : asked.PlanId is { } plan && plan != held.PlanId ? "planId"
            : null;
        return field is null
            ? null
            : ConflictProblem.Fields(
                "The request does not match the reservation",
                $"{field} is not the reservation's; send what the reservation holds, or leave out observationMinutes and planId.",
                new Dictionary<string, string[]> { [field] = ["Must be the reservation's own: a reservation books the chair, start and length it holds."] });
    }
}
