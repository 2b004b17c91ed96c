using System.Security.Claims;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Plans;
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

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> CompleteSession(Guid clinicId, Guid sessionId, IfMatch ifMatch, Database db, IClock clock, CancellationToken cancellationToken) =>
        await ChangeStatus(clinicId, sessionId, SessionStatus.Completed, null, "session.completed", ifMatch, db, clock, cancellationToken);

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> MarkNoShow(Guid clinicId, Guid sessionId, IfMatch ifMatch, Database db, IClock clock, CancellationToken cancellationToken) =>
        await ChangeStatus(clinicId, sessionId, SessionStatus.NoShow, null, "session.no_show", ifMatch, db, clock, cancellationToken);

    /// <summary>
    /// Moves a session to a new status. A plan session also updates its plan: a gap a cancellation or no-show
    /// leaves in the induction marks the induction interrupted, and a plan with nothing left to hold completes.
    /// </summary>
    internal static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> ChangeStatus(
        Guid clinicId, Guid sessionId, SessionStatus status, string? reason, string eventType, IfMatch ifMatch, Database db, IClock clock, CancellationToken cancellationToken)
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
            if (session.MoveTo(status) is null)
            {
                return Problems.Conflict($"A session that is {session.Status} cannot become {status}.");
            }

            if (status != SessionStatus.Cancelled &&
                StatusTiming.Check(session, status, now, await ClinicStore.CheckInOpensMinutesAsync(connection, clinicId, transaction) ?? StatusTiming.DefaultCheckInOpensMinutes) is { } early)
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
