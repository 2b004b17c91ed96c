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
    private static async Task<Results<Ok<SessionResponse>, ValidationProblem, ProblemHttpResult>> CancelSession(
        Guid clinicId, Guid sessionId, CancelSessionRequest? request, ClaimsPrincipal user, IfMatch ifMatch, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation().MaxLength("reason", request?.Reason, 500);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (Caller.From(user).PatientId is { } own && await RefuseToPatientApp(clinicId, sessionId, own, db, clock, cancellationToken) is { } refused)
        {
            return refused;
        }

        var changed = await ChangeStatus(clinicId, sessionId, SessionStatus.Cancelled, request?.Reason, "session.cancelled", ifMatch, db, clock, cancellationToken);
        return changed.Result is Ok<SessionResponse> ok ? ok : (ProblemHttpResult)changed.Result;
    }

    /// <summary>
    /// Why a patient's app may not cancel this session, or null when it may: only the patient's own sessions
    /// (another's is not found), only where the clinic lets patients cancel, and only before the session starts.
    /// </summary>
    private static async Task<ProblemHttpResult?> RefuseToPatientApp(Guid clinicId, Guid sessionId, Guid patientId, Database db, IClock clock, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        if (await SessionStore.FindAsync(connection, clinicId, sessionId) is not { } row || row.PatientId != patientId)
        {
            return Problems.NotFound("session", sessionId);
        }

        if (await ClinicStore.FindAsync(connection, clinicId) is not { PatientsMayCancel: true })
        {
            return Problems.Forbidden("This clinic does not let patients cancel sessions in the app; please call the clinic.");
        }

        return row.StartUtc <= clock.GetCurrentInstant()
            ? Problems.Forbidden("A session that has started can no longer be cancelled in the app; please call the clinic.")
            : null;
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> CheckInSession(Guid clinicId, Guid sessionId, IfMatch ifMatch, Database db, IClock clock, CancellationToken cancellationToken) =>
        await ChangeStatus(clinicId, sessionId, SessionStatus.CheckedIn, null, "session.checked_in", ifMatch, db, clock, cancellationToken);

    /// <summary>
    /// Record that the infusion and observation are done, with the discharge when the body gives it; a modified
    /// Aldrete score under 9 is not fit for discharge (422), and nothing is written.
    /// </summary>
    // Discharge data is clinical: a scheduler's key may complete a session, but not record it.
    private static async Task<Results<Ok<SessionResponse>, ValidationProblem, ProblemHttpResult>> CompleteSession(
        Guid clinicId, Guid sessionId, CompleteSessionRequest? request, ClaimsPrincipal user, IfMatch ifMatch, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var caller = Caller.From(user);
        var discharge = InfusionWire.Read(request, InfusionWire.By(caller), validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (discharge is not null && !Roles.RecordsClinicalData(caller.Role))
        {
            return Problems.Forbidden("Discharge data is recorded by clinical staff; complete the session without a body, or with a clinician's key.");
        }

        if (discharge?.DischargeScore is { } score && !Aldrete.IsFitForDischarge(score))
        {
            return Problems.Refused(
                StatusCodes.Status422UnprocessableEntity, "not-fit-for-discharge", "Not fit for discharge",
                $"A modified Aldrete score of {score} is under {Aldrete.FitForDischargeScore}: the patient is not fit for discharge. Keep observing, and complete the session when the score is {Aldrete.FitForDischargeScore} or more.",
                new Dictionary<string, object?> { ["field"] = "dischargeScore", ["minimum"] = Aldrete.FitForDischargeScore });
        }

        var completed = await ChangeStatus(clinicId, sessionId, SessionStatus.Completed, null, "session.completed", ifMatch, db, clock, cancellationToken, discharge);
        return completed.Result is Ok<SessionResponse> ok ? ok : (ProblemHttpResult)completed.Result;
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> MarkNoShow(Guid clinicId, Guid sessionId, IfMatch ifMatch, Database db, IClock clock, CancellationToken cancellationToken) =>
        await ChangeStatus(clinicId, sessionId, SessionStatus.NoShow, null, "session.no_show", ifMatch, db, clock, cancellationToken);

    /// <summary>
    /// Moves a session to a new status. A plan session also updates its plan: a gap a cancellation or no-show
    /// leaves in the induction marks the induction interrupted, and a plan with nothing left to hold completes. A
    /// completion records <paramref name="discharge"/> when it is given, stamped with the moment of the change.
    /// </summary>
    internal static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> ChangeStatus(
        Guid clinicId, Guid sessionId, SessionStatus status, string? reason, string eventType, IfMatch ifMatch, Database db, IClock clock, CancellationToken cancellationToken,
        DischargeBody? discharge = null)
    {
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<SessionResponse>, ProblemHttpResult>>(async (connection, transaction) =>
        {
            if (await SessionStore.FindAsync(connection, clinicId, sessionId, transaction) is not { } row)
            {
                return Problems.NotFound("session", sessionId);
            }

            if (ifMatch.Refuse(row.Version) is { } refusal)
            {
                return refusal;
            }

            var session = row.ToSession();
            var rules = await ClinicStore.StatusRulesAsync(connection, clinicId, transaction);
            var readinessRequired = rules?.ReadinessRequired ?? true;
            if (session.MoveTo(status, readinessRequired) is null)
            {
                return readinessRequired && session.Status == SessionStatus.CheckedIn && status == SessionStatus.Completed
                    ? Problems.Refused(
                        StatusCodes.Status409Conflict, "infusion-not-started", "Conflict",
                        "This clinic requires readiness: record the patient's readiness and start the infusion before the session is completed.")
                    : Problems.Conflict($"A session that is {session.Status} cannot become {status}.");
            }

            if (status != SessionStatus.Cancelled &&
                StatusTiming.Check(session, status, now, rules?.CheckInOpensMinutes ?? StatusTiming.DefaultCheckInOpensMinutes) is { } early)
            {
                var extensions = new Dictionary<string, object?> { ["rule"] = early.Rule };
                if (early.Earliest is { } earliest)
                {
                    extensions["earliest"] = ClinicJson.OffsetDateTime.Format(earliest.ToOffsetDateTime());
                }

                return Problems.Conflict(early.Reason, extensions);
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
