using System.Data.Common;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Api.Reservations;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Sessions;

/// <summary>
/// Why the time a request asks for cannot be booked or held: exactly one is set, with the status a client should see.
/// </summary>
internal sealed record TimeRefusal(NotFoundProblem? NotFound = null, ConflictProblem? Conflict = null, UnprocessableProblem? Unprocessable = null);

/// <summary>Booking one session, and moving sessions to a new start.</summary>
internal static partial class SessionsApi
{
    private static async Task<Results<Created<SessionResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, GoneProblem, UnprocessableProblem>> BookSession(
        Guid clinicId, BookSessionRequest request, Database db, ClinicCache clinics, IClock clock, CancellationToken cancellationToken)
    {
        var validation = Validate(request);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        if (request.ReservationId is { } reservationId)
        {
            var (converted, refusal) = await db.WriteAsync(
                (connection, transaction) => ReservationBooking.ConvertAsync(db, connection, transaction, clinicId, reservationId, now, request), cancellationToken);
            return refusal switch
            {
                { NotFound: { } notFound } => notFound,
                { Conflict: { } conflict } => conflict,
                { Gone: { } gone } => gone,
                { Unprocessable: { } unprocessable } => unprocessable,
                _ => TypedResults.Created($"/v1/clinics/{clinicId}/sessions/{converted!.Id}", converted.ToResponse(version: 1)),
            };
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        var (clinic, session, refused) = await PrepareAsync(connection, clinics, clinicId, Guid.CreateVersion7(), request, now);
        if (refused is not null)
        {
            return refused switch
            {
                { NotFound: { } notFound } => notFound,
                { Conflict: { } conflict } => conflict,
                _ => refused.Unprocessable!,
            };
        }

        var booked = await db.WriteAsync(async (c, transaction) =>
        {
            var staffed = (await SessionStore.InsertAsync(c, transaction, clinic!, [session!], now))[0];
            await ChangeFeed.AppendAsync(c, transaction, new Change(clinicId, "session.booked", "session", staffed.Id, staffed.PatientId, 1, now));
            return staffed;
        }, cancellationToken);
        return TypedResults.Created($"/v1/clinics/{clinicId}/sessions/{booked.Id}", booked.ToResponse(version: 1));
    }

    /// <summary>The 400 checks of a request for one session's time, field by field.</summary>
    internal static Validation Validate(SessionRequest request) => new Validation()
        .Range("infusionMinutes", request.InfusionMinutes, Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)
        .Range("observationMinutes", request.ObservationMinutes, 0, Protocol.MaxObservationMinutes);

    /// <summary>
    /// The session <paramref name="request"/> asks for, with <paramref name="id"/>, checked against the clinic as it is:
    /// the chair, the patient and the plan are the clinic's, the chair is in service, and the calendar's rules hold at
    /// <paramref name="now"/>; or the problem that refuses it. Overlaps are the database's to refuse when the time is
    /// claimed (see <see cref="SessionStore"/>). A booking and a reservation ask for time alike.
    /// </summary>
    internal static async Task<(Clinic? Clinic, Session? Session, TimeRefusal? Refused)> PrepareAsync(
        DbConnection connection, ClinicCache clinics, Guid clinicId, Guid id, SessionRequest request, Instant now)
    {
        var (version, chairFound, chairInService, patientFound) = await SessionStore.ReferencesAsync(connection, clinicId, request.ChairId, request.PatientId);
        if (version is null || await clinics.GetAsync(connection, clinicId, version.Value) is not { } clinic)
        {
            return (null, null, new(NotFound: NotFoundProblem.Of("clinic", clinicId)));
        }

        if (!chairFound)
        {
            return (null, null, new(NotFound: NotFoundProblem.Reference("chairId", "chair", request.ChairId)));
        }

        if (!patientFound)
        {
            return (null, null, new(NotFound: NotFoundProblem.Reference("patientId", "patient", request.PatientId)));
        }

        if (!chairInService)
        {
            return (null, null, new(Conflict: ChairOutOfService(request.ChairId)));
        }

        StoredPlan? plan = null;
        if (request.PlanId is { } planId &&
            ((plan = await PlanStore.FindAsync(connection, clinicId, planId)) is null || plan.Plan.PatientId != request.PatientId))
        {
            return (null, null, new(NotFound: NotFoundProblem.Reference("planId", "treatment plan for this patient", planId)));
        }

        var observation = request.ObservationMinutes ?? plan?.Plan.Protocol.ObservationMinutes ?? clinic.ObservationMinutes;
        var session = new Session(
            id, request.PatientId, request.ChairId, clinic.Calendar.AtClinicTime(request.Start),
            new SessionLength(request.InfusionMinutes, observation, clinic.TurnoverMinutes), request.PlanId);
        return RulesRefuse(clinic, session, now) is { } refused ? (null, null, new(Unprocessable: refused)) : (clinic, session, null);
    }

    /// <summary>The 422 for a session the calendar's own rules refuse at <paramref name="now"/>, or null when it keeps them.</summary>
    internal static UnprocessableProblem? RulesRefuse(Clinic clinic, Session session, Instant now) =>
        SessionRules.Check(clinic.Calendar, ChairOccupancy.Empty, session, now) is { } obstacle
            ? UnprocessableProblem.Of($"A session cannot start at {session.Start.LocalDateTime:uuuu-MM-dd'T'HH:mm}: {obstacle.Describe()}.", Obstacle(obstacle))
            : null;

    private static async Task<Results<Ok<RescheduleResponse>, NotFoundProblem, ConflictProblem, UnprocessableProblem, IfMatchProblem>> RescheduleSession(
        [AsParameters] SessionChange change, RescheduleSessionRequest request, Rescheduling rescheduling)
    {
        var (clinicId, sessionId, ifMatch, _, db, clock, cancellationToken) = change;
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<RescheduleResponse>, NotFoundProblem, ConflictProblem, UnprocessableProblem, IfMatchProblem>>(async (connection, transaction) =>
        {
            if (await SessionStore.FindAsync(connection, clinicId, sessionId, transaction) is not { } row)
            {
                return NotFoundProblem.Of("session", sessionId);
            }

            if (ifMatch.Refusal(row.Version) is { } refusal)
            {
                return refusal;
            }

            // The session may stay on its chair only while that chair takes bookings: a move is a new booking of it.
            var chairId = request.ChairId ?? row.ChairId;
            if (await ChairStore.FindAsync(connection, clinicId, chairId, transaction) is not { } chair)
            {
                return NotFoundProblem.Reference("chairId", "chair", chairId);
            }

            if (!chair.InService)
            {
                return ChairOutOfService(chairId);
            }

            var clinic = (await ClinicStore.FindAsync(connection, clinicId, transaction))!;
            var session = row.ToSession();
            var plan = row.PlanId is { } planId ? await PlanStore.FindAsync(connection, clinicId, planId, transaction) : null;
            var planRows = row.PlanId is { } id ? await SessionStore.ForPlanAsync(connection, clinicId, id, transaction) : [];
            var planSessions = planRows.Select(r => r.ToSession()).ToList();
            var days = Period.DaysBetween(session.Start.Date, request.Start.Date);
            var dates = planSessions.Append(session).Select(s => s.Start.Date).Append(request.Start.Date).ToList();
            var occupancy = await SessionStore.OccupancyAsync(connection, clinic, dates.Min(), dates.Max().PlusDays(Math.Max(0, days)), now, transaction);
            var result = rescheduling.Move(clinic.Calendar, plan?.Plan.Protocol, session, request.Start, request.ChairId, request.ShiftFollowing, planSessions, occupancy);
            if (result.Refused is { } refused)
            {
                var extensions = Obstacle(refused.Obstacle);
                extensions["sessionId"] = refused.Session.Id;
                return refused.Obstacle.IsConflict()
                    ? ConflictProblem.Of(refused.Reason, extensions)
                    : UnprocessableProblem.Of(refused.Reason, extensions);
            }

            var versions = planRows.Append(row).DistinctBy(r => r.Id).ToDictionary(r => r.Id, r => r.Version);
            await SessionStore.MoveAsync(connection, transaction, clinic, result.Moved, versions, now);
            // The plan shows the dates its sessions are on now, so its own version moves on with them.
            var changes = new List<Change>();
            if (plan is not null && await PlanStore.MovePlannedAsync(connection, transaction, plan.Plan, result.Moved))
            {
                var planVersion = await PlanStore.UpdateAsync(connection, transaction, plan.Plan, plan.Version, now)
                    ?? throw new ConflictException("The plan changed while its session was being moved; try again.");
                changes.Add(new Change(clinicId, "plan.updated", "plan", plan.Plan.Id, plan.Plan.PatientId, planVersion, now));
            }

            var moved = new List<SessionResponse>();
            foreach (var m in result.Moved)
            {
                moved.Add((await SessionStore.FindAsync(connection, clinicId, m.Id, transaction))!.ToResponse());
            }

            await ChangeFeed.AppendAsync(connection, transaction, moved.Select(m => new Change(clinicId, "session.rescheduled", "session", m.Id, m.PatientId, m.Version, now)).Concat(changes));
            return TypedResults.Ok(new RescheduleResponse(moved[0], moved.Skip(1).ToList()));
        }, cancellationToken);
    }
}
