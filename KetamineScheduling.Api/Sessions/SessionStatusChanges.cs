using System.Security.Claims;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Infusions;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Sessions;

/// <summary>A session's status changes: check-in, completion, no-show and cancellation, and what they do to the plan.</summary>
internal static partial class SessionsApi
{
    private static async Task<Results<Ok<SessionResponse>, ValidationProblem, NotFoundProblem, ForbiddenProblem, ConflictProblem, IfMatchProblem>> CancelSession(
        [AsParameters] SessionChange change, CancelSessionRequest? request)
    {
        var (clinicId, sessionId, _, user, db, clock, cancellationToken) = change;
        var validation = new Validation().MaxLength("reason", request?.Reason, 500);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (Caller.From(user).PatientId is { } own)
        {
            var (notFound, forbidden) = await RefuseToPatientApp(clinicId, sessionId, own, db, clock, cancellationToken);
            if (notFound is not null)
            {
                return notFound;
            }

            if (forbidden is not null)
            {
                return forbidden;
            }
        }

        return (await ChangeStatus(change, SessionStatus.Cancelled, request?.Reason, "session.cancelled")).Result switch
        {
            NotFoundProblem notFound => notFound,
            ConflictProblem conflict => conflict,
            IfMatchProblem stale => stale,
            var changed => (Ok<SessionResponse>)changed,
        };
    }

    /// <summary>
    /// Why a patient's app may not cancel this session, or null when it may: only the patient's own sessions
    /// (another's is not found), only where the clinic lets patients cancel, and only before the session starts.
    /// </summary>
    private static async Task<(NotFoundProblem? NotFound, ForbiddenProblem? Forbidden)> RefuseToPatientApp(
        Guid clinicId, Guid sessionId, Guid patientId, Database db, IClock clock, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        if (await SessionStore.FindAsync(connection, clinicId, sessionId) is not { } row || row.PatientId != patientId)
        {
            return (NotFoundProblem.Of("session", sessionId), null);
        }

        if (await ClinicStore.FindAsync(connection, clinicId) is not { PatientsMayCancel: true })
        {
            return (null, ForbiddenProblem.Of("This clinic does not let patients cancel sessions in the app; please call the clinic."));
        }

        return row.StartUtc <= clock.GetCurrentInstant()
            ? (null, ForbiddenProblem.Of("A session that has started can no longer be cancelled in the app; please call the clinic."))
            : (null, null);
    }

    private static Task<Results<Ok<SessionResponse>, NotFoundProblem, ConflictProblem, IfMatchProblem>> CheckInSession([AsParameters] SessionChange change) =>
        ChangeStatus(change, SessionStatus.CheckedIn, null, "session.checked_in");

    /// <summary>
    /// Record that the infusion and observation are done, with the discharge when the body gives it; a modified
    /// Aldrete score under 9 is not fit for discharge (422), and nothing is written.
    /// </summary>
    // Discharge data is clinical: a scheduler's key may complete a session, but not record it. The answers are one
    // kind more than Results<> holds, so the 403 and If-Match's refusals share the last arm, which declares nothing:
    // the route's roles declare its 403, and its IfMatch parameter the 400, 412 and 428.
    private static async Task<Results<Ok<SessionResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem, StatusProblem>> CompleteSession(
        [AsParameters] SessionChange change, CompleteSessionRequest? request)
    {
        var validation = new Validation();
        var caller = Caller.From(change.User);
        var discharge = InfusionWire.Read(request, InfusionWire.By(caller), validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (discharge is not null && !Roles.RecordsClinicalData(caller.Role))
        {
            return ForbiddenProblem.Of("Discharge data is recorded by clinical staff; complete the session without a body, or with a clinician's key.");
        }

        if (discharge?.DischargeScore is { } score && !Aldrete.IsFitForDischarge(score))
        {
            return UnprocessableProblem.Rule(
                "not-fit-for-discharge", "Not fit for discharge",
                $"A modified Aldrete score of {score} is under {Aldrete.FitForDischargeScore}: the patient is not fit for discharge. Keep observing, and complete the session when the score is {Aldrete.FitForDischargeScore} or more.",
                new Dictionary<string, object?> { ["field"] = "dischargeScore", ["minimum"] = Aldrete.FitForDischargeScore });
        }

        return (await ChangeStatus(change, SessionStatus.Completed, null, "session.completed", discharge)).Result switch
        {
            NotFoundProblem notFound => notFound,
            ConflictProblem conflict => conflict,
            IfMatchProblem stale => stale,
            var completed => (Ok<SessionResponse>)completed,
        };
    }

    private static Task<Results<Ok<SessionResponse>, NotFoundProblem, ConflictProblem, IfMatchProblem>> MarkNoShow([AsParameters] SessionChange change) =>
        ChangeStatus(change, SessionStatus.NoShow, null, "session.no_show");

    /// <summary>
    /// Moves a session to a new status. A plan session also updates its plan: a gap a cancellation or no-show
    /// leaves in the induction marks the induction interrupted, and a plan with nothing left to hold completes. A
    /// completion records <paramref name="discharge"/> when it is given, stamped with the moment of the change.
    /// </summary>
    internal static async Task<Results<Ok<SessionResponse>, NotFoundProblem, ConflictProblem, IfMatchProblem>> ChangeStatus(
        SessionChange change, SessionStatus status, string? reason, string eventType, DischargeBody? discharge = null)
    {
        var (clinicId, sessionId, ifMatch, _, db, clock, cancellationToken) = change;
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<SessionResponse>, NotFoundProblem, ConflictProblem, IfMatchProblem>>(async (connection, transaction) =>
        {
            if (await SessionStore.FindAsync(connection, clinicId, sessionId, transaction) is not { } row)
            {
                return NotFoundProblem.Of("session", sessionId);
            }

            if (ifMatch.Refusal(row.Version) is { } refusal)
            {
                return refusal;
            }

            var session = row.ToSession();
            var rules = await ClinicStore.StatusRulesAsync(connection, clinicId, transaction);
            var readinessRequired = rules?.ReadinessRequired ?? true;
            if (session.MoveTo(status, readinessRequired) is null)
            {
                return readinessRequired && session.Status == SessionStatus.CheckedIn && status == SessionStatus.Completed
                    ? ConflictProblem.Rule(
                        "infusion-not-started", "Conflict",
                        "This clinic requires readiness: record the patient's readiness and start the infusion before the session is completed.")
                    : ConflictProblem.Of($"A session that is {session.Status} cannot become {status}.");
            }

            if (status != SessionStatus.Cancelled &&
                StatusTiming.Check(session, status, now, rules?.CheckInOpensMinutes ?? StatusTiming.DefaultCheckInOpensMinutes) is { } early)
            {
                var extensions = new Dictionary<string, object?> { ["rule"] = early.Rule };
                if (early.Earliest is { } earliest)
                {
                    extensions["earliest"] = ClinicJson.OffsetDateTime.Format(earliest.ToOffsetDateTime());
                }

                return ConflictProblem.Of(early.Reason, extensions);
            }

            if (!await SessionStore.SetStatusAsync(connection, transaction, session, status, reason, now, row.Version))
            {
                throw new ConflictException("The session changed while it was being updated; fetch it and try again.");
            }

            if (discharge is not null)
            {
                var at = now.InZone(session.Start.Zone).ToOffsetDateTime();
                await InfusionStore.SaveAsync(connection, transaction, clinicId, session.PatientId, sessionId, row.Record() with { Discharge = discharge with { DischargedAt = at } }, now);
            }

            var changes = new List<Change> { new(clinicId, eventType, "session", sessionId, session.PatientId, row.Version + 1, now) };
            if (row.PlanId is { } planId && await PlanStore.FindAsync(connection, clinicId, planId, transaction) is { } stored)
            {
                var sessions = (await SessionStore.ForPlanAsync(connection, clinicId, planId, transaction)).Select(r => r.ToSession()).ToList();
                var completed = PlanProgress.AfterSessionsChanged(stored.Plan, sessions);
                if (completed != stored.Plan)
                {
                    var version = await PlanStore.UpdateAsync(connection, transaction, completed, stored.Version, now)
                        ?? throw new ConflictException("The plan changed while the session was being updated; try again.");
                    changes.Add(new Change(clinicId, completed.Status == PlanStatus.Completed ? "plan.completed" : "plan.updated", "plan", planId, completed.PatientId, version, now));
                }
            }

            await ChangeFeed.AppendAsync(connection, transaction, changes);
            return TypedResults.Ok((await SessionStore.FindAsync(connection, clinicId, sessionId, transaction))!.ToResponse());
        }, cancellationToken);
    }
}
