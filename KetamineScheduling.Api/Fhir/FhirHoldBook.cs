using System.Globalization;
using System.Security.Claims;
using Hl7.Fhir.Model;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Reservations;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using Instant = NodaTime.Instant;

namespace KetamineScheduling.Api.Fhir;

/// <summary>The IHE ITI Scheduling operations that change something: ITI-116 $hold and ITI-117 $book, over reservations and sessions.</summary>
internal static partial class FhirApi
{
    /// <summary>The one input parameter of $hold and $book: the Appointment to hold or book.</summary>
    private const string AppointmentResource = "appointment-resource";

    /// <summary>
    /// $hold (ITI-116): holds the time of a proposed Appointment (one <c>$find</c> offered, or any start on a chair
    /// for a patient) as a reservation for the default five minutes, and answers it as a <c>pending</c> Appointment
    /// with the reservation's id, an <c>Expires</c> header and the expiry as an extension. A session or a live hold on
    /// any of the time is a 409.
    /// </summary>
    private static async Task<Results<FhirResult, ValidationProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> HoldAppointment(
        HttpRequest request, ClaimsPrincipal user, Database db, ClinicCache clinics, IClock clock, CancellationToken cancellationToken)
    {
        var clinicId = ClinicOf(Caller.From(user));
        var now = clock.GetCurrentInstant();
        await using var connection = await db.OpenAsync(cancellationToken);
        var (asked, invalid) = await ReadAskedAsync(request, connection, clinicId);
        if (asked is null)
        {
            return invalid!;
        }

        var (clinic, session, refused) = await SessionsApi.PrepareAsync(connection, clinics, clinicId, Guid.CreateVersion7(), asked, now);
        if (refused is not null)
        {
            return refused switch
            {
                { NotFound: { } notFound } => notFound,
                { Conflict: { } conflict } => conflict,
                _ => refused.Unprocessable!,
            };
        }

        var reservation = Reservation.Hold(session!, now);
        await db.WriteAsync(connection, async (c, transaction) =>
        {
            await ReservationBooking.HoldAsync(db, c, transaction, clinic!, reservation);
            return reservation;
        }, cancellationToken);
        request.HttpContext.Response.Headers.Expires = reservation.ExpiresAt.ToDateTimeOffset().ToString("R", CultureInfo.InvariantCulture);
        var held = FhirMapping.Held(reservation, version: 1, now);
        return new FhirResult(FhirBundles.Searchset(request, [held], 1, null), [reservation.Session.PatientId]);
    }

    /// <summary>
    /// $book (ITI-117): a <c>pending</c> Appointment ($hold's) books its reservation as the session of the same id; a
    /// <c>proposed</c> one books its time directly; one with status <c>cancelled</c> cancels the session it names,
    /// with its cancelation reason, and with <c>If-Match: W/"&lt;version&gt;"</c> only while the session is still at that
    /// version (else 412). Time someone else holds is a 409, an expired hold a 410; the answer is the Appointment as it
    /// now is.
    /// </summary>
    // Its refusals are more kinds than Results<> holds, so they share one arm; FHIR routes are out of the OpenAPI
    // document, and their problems are written as OperationOutcome whatever their kind.
    private static async Task<Results<FhirResult, ValidationProblem, StatusProblem>> BookAppointment(
        HttpRequest request, ClaimsPrincipal user, Database db, ClinicCache clinics, IClock clock, CancellationToken cancellationToken)
    {
        var clinicId = ClinicOf(Caller.From(user));
        var now = clock.GetCurrentInstant();
        var (appointment, unreadable) = await ReadAppointmentAsync(request);
        if (appointment is null)
        {
            return unreadable!;
        }

        Guid? id = Guid.TryParse(appointment.Id, out var given) ? given : null;
        if (appointment.Status == Appointment.AppointmentStatus.Cancelled)
        {
            if (id is not { } sessionId)
            {
                return new Validation().Add("Appointment.id", "A cancellation names the booked Appointment by its id.").Problem();
            }

            // FHIR clients send back the weak ETag a read gave them (W/"3"); the version it names is exact, so it is compared as the strong one.
            request.Headers.IfMatch = request.Headers.IfMatch.ToString().Replace("W/", "", StringComparison.Ordinal);
            var ifMatch = await IfMatch.BindAsync(request.HttpContext);
            var cancelled = await SessionsApi.ChangeStatus(
                new SessionChange(clinicId, sessionId, ifMatch!, user, db, clock, cancellationToken), SessionStatus.Cancelled, appointment.CancelationReason?.Text, "session.cancelled");
            return cancelled.Result is StatusProblem problem ? problem : await BookedAsync(request, db, clinicId, sessionId, cancellationToken);
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        var (asked, invalid) = Asked(appointment, await ClinicStore.FindAsync(connection, clinicId) ?? throw new InvalidOperationException("A key's clinic always exists."));
        if (asked is null)
        {
            return invalid!;
        }

        if (id is { } reservationId && await ReservationStore.FindAsync(connection, clinicId, reservationId) is not null)
        {
            var (converted, refusal) = await db.WriteAsync(connection, (c, transaction) => ReservationBooking.ConvertAsync(db, c, transaction, clinicId, reservationId, now, asked), cancellationToken);
            return refusal switch
            {
                { NotFound: { } notFound } => notFound,
                { Conflict: { } conflict } => conflict,
                { Gone: { } gone } => gone,
                { Unprocessable: { } unprocessable } => unprocessable,
                _ => await BookedAsync(request, db, clinicId, converted!.Id, cancellationToken),
            };
        }

        var (clinic, session, refused) = await SessionsApi.PrepareAsync(connection, clinics, clinicId, Guid.CreateVersion7(), asked, now);
        if (refused is not null)
        {
            return refused switch
            {
                { NotFound: { } notFound } => notFound,
                { Conflict: { } conflict } => conflict,
                _ => refused.Unprocessable!,
            };
        }

        await db.WriteAsync(connection, async (c, transaction) =>
        {
            await SessionStore.InsertAsync(c, transaction, clinic!, [session!], now);
            await ChangeFeed.AppendAsync(c, transaction, new Change(clinicId, "session.booked", "session", session!.Id, session.PatientId, 1, now));
            return session;
        }, cancellationToken);
        return await BookedAsync(request, db, clinicId, session!.Id, cancellationToken);
    }

    /// <summary>The session as the Appointment it now is, in a Bundle as IHE's operations answer.</summary>
    private static async Task<FhirResult> BookedAsync(HttpRequest request, Database db, Guid clinicId, Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var session = await FhirStore.SessionAsync(connection, clinicId, sessionId) ?? throw new InvalidOperationException("A session just written is there.");
        return new FhirResult(FhirBundles.Searchset(request, [FhirMapping.Appointment(session)], 1, null), [session.PatientId]);
    }

    private static async Task<(CreateReservationRequest? Asked, ValidationProblem? Invalid)> ReadAskedAsync(HttpRequest request, System.Data.Common.DbConnection connection, Guid clinicId)
    {
        var (appointment, unreadable) = await ReadAppointmentAsync(request);
        return appointment is null
            ? (null, unreadable)
            : Asked(appointment, await ClinicStore.FindAsync(connection, clinicId) ?? throw new InvalidOperationException("A key's clinic always exists."));
    }

    /// <summary>The Appointment in the body's <c>appointment-resource</c> parameter, or the 400 naming what is wrong.</summary>
    private static async Task<(Appointment? Appointment, ValidationProblem? Invalid)> ReadAppointmentAsync(HttpRequest request)
    {
        var (parameters, error) = await FhirWire.ReadAsync<Parameters>(request);
        var validation = new Validation();
        if (parameters is null)
        {
            return (null, validation.Add("Parameters", $"The body must be a FHIR Parameters resource: {error}").Problem());
        }

        if (parameters.Parameter.Where(p => p.Name == AppointmentResource).Select(p => p.Resource).ToList() is [Appointment appointment] &&
            parameters.Parameter.All(p => p.Name == AppointmentResource))
        {
            return (appointment, null);
        }

        return (null, validation.Add(AppointmentResource, "Give one Appointment as the resource of the appointment-resource parameter, and no other parameter.").Problem());
    }

    /// <summary>
    /// The session an Appointment asks for: its Patient and Location participants, its start in the clinic's zone,
    /// and its minutes (<c>minutesDuration</c>, or end minus start) as infusion plus the clinic's observation;
    /// its CarePlan in <c>supportingInformation</c>, if any. Or the 400 naming the elements that do not say.
    /// </summary>
    private static (CreateReservationRequest? Asked, ValidationProblem? Invalid) Asked(Appointment appointment, Clinic clinic)
    {
        var validation = new Validation();
        var patient = Participant(validation, appointment, "Patient");
        var chair = Participant(validation, appointment, "Location");
        var plan = appointment.SupportingInformation.Select(r => Referenced(r.Reference, "CarePlan")).OfType<Guid>().Cast<Guid?>().FirstOrDefault();
        var minutes = appointment.MinutesDuration ?? (appointment.Start is { } s && appointment.End is { } e ? (int)(e - s).TotalMinutes : Protocol.DefaultInfusionMinutes + clinic.ObservationMinutes);
        var (min, max) = (Protocol.MinInfusionMinutes + clinic.ObservationMinutes, Protocol.MaxInfusionMinutes + clinic.ObservationMinutes);
        if (minutes < min || minutes > max)
        {
            validation.Add("Appointment.minutesDuration", $"Must be from {min} to {max}: an infusion of {Protocol.MinInfusionMinutes} to {Protocol.MaxInfusionMinutes} minutes and the clinic's {clinic.ObservationMinutes} of observation.");
        }

        if (appointment.Start is not { } start || !Http.Dates.Accepts(Instant.FromDateTimeOffset(start)))
        {
            validation.Add("Appointment.start", $"Is required, an instant with its offset, {Http.Dates.Range}.");
        }

        if (!validation.IsValid || patient is not { } patientId || chair is not { } chairId || appointment.Start is not { } at)
        {
            return (null, validation.Problem());
        }

        return (new CreateReservationRequest
        {
            PatientId = patientId,
            ChairId = chairId,
            Start = Instant.FromDateTimeOffset(at).InZone(clinic.Zone).LocalDateTime,
            InfusionMinutes = minutes - clinic.ObservationMinutes,
            ObservationMinutes = clinic.ObservationMinutes,
            PlanId = plan,
        }, null);
    }

    private static Guid? Participant(Validation validation, Appointment appointment, string type)
    {
        var ids = appointment.Participant.Select(p => Referenced(p.Actor?.Reference, type)).OfType<Guid>().ToList();
        if (ids.Count == 1)
        {
            return ids[0];
        }

        validation.Add("Appointment.participant", $"Must name exactly one {type} as an actor: {{\"reference\": \"{type}/<id>\"}}.");
        return null;
    }

    private static Guid? Referenced(string? reference, string type) =>
        reference is not null && reference.StartsWith(type + "/", StringComparison.Ordinal) && Guid.TryParse(reference[(type.Length + 1)..], out var id) ? id : null;
}
