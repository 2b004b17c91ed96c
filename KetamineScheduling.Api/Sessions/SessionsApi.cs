using System.Security.Claims;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Patients;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Api.Sessions;

/// <summary>Routes for booked sessions: booking, the day view, moves and status changes, and what a patient's app shows.</summary>
internal static class SessionsApi
{
    public static RouteGroupBuilder MapSessions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/sessions").WithTags("Sessions").Audited("session", readsPatientData: true);
        group.WithETags();

        group.MapPost("/", BookSession)
            .Describe("BookSession", "Book one session: a booster or an ad-hoc visit", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .AllowRoles(Roles.Staff);
        group.MapGet("/", ListSessionsOnDate)
            .Describe("ListSessionsOnDate", "A scheduler's day view: the sessions starting on one local date", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .AllowRoles(Roles.Staff);
        group.MapGet("/{sessionId:guid}", GetSession)
            .Describe("GetSession", "Get one session", StatusCodes.Status404NotFound)
            .AllowRoles(Roles.StaffAndPatientApp);
        group.MapPost("/{sessionId:guid}/reschedule", RescheduleSession)
            .Describe("RescheduleSession", "Move a session to a new local start, optionally another chair, optionally shifting the following sessions", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .AllowRoles(Roles.Staff);
        group.MapPost("/{sessionId:guid}/cancel", CancelSession)
            .Describe("CancelSession", "Cancel a session, freeing its chair", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .AllowRoles(Roles.StaffAndPatientApp);
        group.MapPost("/{sessionId:guid}/check-in", CheckInSession)
            .Describe("CheckInSession", "Record that the patient has arrived", StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .AllowRoles(Roles.Staff);
        group.MapPost("/{sessionId:guid}/complete", CompleteSession)
            .Describe("CompleteSession", "Record that the infusion and observation are done", StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .AllowRoles(Roles.Staff);
        group.MapPost("/{sessionId:guid}/no-show", MarkNoShow)
            .Describe("MarkSessionNoShow", "Record that the patient did not come, freeing the chair", StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .AllowRoles(Roles.Staff);

        routes.MapGet("/v1/clinics/{clinicId:guid}/patients/{patientId:guid}/sessions/upcoming", ListUpcoming)
            .WithTags("Sessions")
            .Audited("session", readsPatientData: true)
            .Describe("ListUpcomingSessions", "A patient's sessions still to come, soonest first: what the mobile app shows", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .AllowRoles(Roles.StaffAndPatientApp);
        routes.MapGet("/v1/clinics/{clinicId:guid}/availability", GetAvailability)
            .WithTags("Sessions")
            .Describe("GetAvailability", "Free chair starts on a date for a session of the given length", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .AllowRoles(Roles.Staff);
        return group;
    }

    private static async Task<Results<Created<SessionResponse>, ValidationProblem, ProblemHttpResult>> BookSession(
        Guid clinicId, BookSessionRequest request, Database db, ClinicCache clinics, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Range("infusionMinutes", request.InfusionMinutes, Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)
            .Range("observationMinutes", request.ObservationMinutes, 0, Protocol.MaxObservationMinutes);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        await using var connection = await db.OpenAsync(cancellationToken);
        var (version, chairFound, chairInService, patientFound) = await SessionStore.ReferencesAsync(connection, clinicId, request.ChairId, request.PatientId);
        if (version is null || await clinics.GetAsync(connection, clinicId, version.Value) is not { } clinic)
        {
            return Problems.NotFound("clinic", clinicId);
        }

        if (!chairFound)
        {
            return Problems.UnknownReference("chairId", "chair", request.ChairId);
        }

        if (!patientFound)
        {
            return Problems.UnknownReference("patientId", "patient", request.PatientId);
        }

        if (!chairInService)
        {
            return ChairOutOfService(request.ChairId);
        }

        StoredPlan? plan = null;
        if (request.PlanId is { } planId &&
            ((plan = await PlanStore.FindAsync(connection, clinicId, planId)) is null || plan.Plan.PatientId != request.PatientId))
        {
            return Problems.UnknownReference("planId", "treatment plan for this patient", planId);
        }

        var observation = request.ObservationMinutes ?? plan?.Plan.Protocol.ObservationMinutes ?? clinic.ObservationMinutes;
        var session = new Session(
            Guid.CreateVersion7(), request.PatientId, request.ChairId, clinic.Calendar.AtClinicTime(request.Start),
            new SessionLength(request.InfusionMinutes, observation, clinic.TurnoverMinutes), request.PlanId);

        // Overlaps are the database's to refuse (see SessionStore); the calendar's own rules are checked here.
        if (SessionRules.Check(clinic.Calendar, ChairOccupancy.Empty, session, now) is { } obstacle)
        {
            return Problems.Unprocessable($"A session cannot start at {request.Start:uuuu-MM-dd'T'HH:mm}: {obstacle.Describe()}.", Obstacle(obstacle));
        }

        await db.WriteAsync(async (c, transaction) =>
        {
            await SessionStore.InsertAsync(db, c, transaction, clinic, [session], now);
            await ChangeFeed.AppendAsync(c, transaction, new Change(clinicId, "session.booked", "session", session.Id, session.PatientId, 1, now));
            return session;
        }, cancellationToken);
        return TypedResults.Created($"/v1/clinics/{clinicId}/sessions/{session.Id}", session.ToResponse(version: 1));
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> GetSession(
        Guid clinicId, Guid sessionId, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await SessionStore.FindAsync(connection, clinicId, sessionId) is { } row && Caller.From(user).MaySee(row.PatientId)
            ? TypedResults.Ok(row.ToResponse())
            : Problems.NotFound("session", sessionId);
    }

    private static async Task<Results<Ok<Page<SessionResponse>>, ValidationProblem, ProblemHttpResult>> ListSessionsOnDate(
        Guid clinicId, string? date, Guid? chairId, SessionStatus? status, string? cursor, int? limit, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var day = validation.Date("date", date);
        var take = validation.Limit(limit);
        var (afterStart, afterId) = (new LocalDateTime(1, 1, 1, 0, 0), Guid.Empty);
        if (Cursor.Decode(cursor) is not { } key || (key.Length > 0 && !TryReadKey(key, LocalDateTimePattern.ExtendedIso, out afterStart, out afterId)))
        {
            validation.Add("cursor", "Is not a cursor this API returned.");
        }

        if (!validation.IsValid || day is not { } onDate)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        if (chairId is { } chair && await ChairStore.FindAsync(connection, clinicId, chair) is null)
        {
            return Problems.NotFound("chair", chair);
        }

        var rows = await SessionStore.OnDateAsync(db, connection, clinicId, onDate, chairId, status, afterStart, afterId, take + 1);
        return TypedResults.Ok(Cursor.Paginate(rows, take, r => Key(LocalDateTimePattern.ExtendedIso.Format(r.LocalStart), r.Id), r => r.ToResponse()));
    }

    /// <summary>
    /// The first page, the one apps ask for again and again, comes from <see cref="UpcomingCache"/> while it is
    /// still the answer; later pages are read each time.
    /// </summary>
    internal static async Task<Results<SerializedOk<Page<SessionResponse>>, ValidationProblem, ProblemHttpResult>> ListUpcoming(
        Guid clinicId, Guid patientId, string? cursor, int? limit, HttpContext context, Database db, IClock clock, UpcomingCache cache, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var (afterStart, afterId) = (Instant.MinValue, Guid.Empty);
        if (Cursor.Decode(cursor) is not { } key || (key.Length > 0 && !TryReadKey(key, InstantPattern.ExtendedIso, out afterStart, out afterId)))
        {
            validation.Add("cursor", "Is not a cursor this API returned.");
        }

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (!Caller.From(context.User).MaySee(patientId))
        {
            return Problems.NotFound("patient", patientId);
        }

        var now = clock.GetCurrentInstant();
        if (string.IsNullOrEmpty(cursor) && take == Cursor.DefaultLimit)
        {
            return await cache.GetOrLoadAsync(clinicId, patientId, now, ReadPageAsync, cancellationToken) is { } first ? first : Problems.NotFound("patient", patientId);
        }

        return await ReadPageAsync() is { } page ? cache.Write(page) : Problems.NotFound("patient", patientId);

        async Task<Page<SessionResponse>?> ReadPageAsync()
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            if (await PatientStore.FindAsync(connection, clinicId, patientId) is null)
            {
                return null;
            }

            var rows = await SessionStore.UpcomingAsync(db, connection, clinicId, patientId, now, afterStart, afterId, take + 1);
            return Cursor.Paginate(rows, take, r => Key(InstantPattern.ExtendedIso.Format(r.StartUtc), r.Id), r => r.ToResponse());
        }
    }

    private static async Task<Results<Ok<AvailabilityResponse>, ValidationProblem, ProblemHttpResult>> GetAvailability(
        Guid clinicId, string? date, int? infusionMinutes, int? observationMinutes, Guid? chairId, Database db, Placement placement, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Required("infusionMinutes", infusionMinutes)
            .Range("infusionMinutes", infusionMinutes, Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)
            .Range("observationMinutes", observationMinutes, 0, Protocol.MaxObservationMinutes);
        var day = validation.Date("date", date);
        if (!validation.IsValid || day is not { } onDate || infusionMinutes is not { } infusion)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        if (await ClinicStore.FindAsync(connection, clinicId) is not { } clinic)
        {
            return Problems.NotFound("clinic", clinicId);
        }

        var chairs = (await ChairStore.InServiceAsync(connection, clinicId)).Where(c => chairId is null || c.Id == chairId).ToList();
        if (chairId is { } chair && chairs.Count == 0 && await ChairStore.FindAsync(connection, clinicId, chair) is null)
        {
            return Problems.NotFound("chair", chair);
        }

        var occupancy = await SessionStore.OccupancyAsync(connection, clinicId, onDate, onDate);
        var length = new SessionLength(infusion, observationMinutes ?? clinic.ObservationMinutes, clinic.TurnoverMinutes);
        var free = placement.FreeStarts(clinic.Calendar, onDate, chairs, occupancy, length)
            .Select(f =>
            {
                var start = clinic.Calendar.AtClinicTime(f.Start);
                return new FreeStart(f.ChairId, start.ToOffsetDateTime(), start.Plus(length.WithPatient).ToOffsetDateTime());
            })
            .ToList();
        return TypedResults.Ok(new AvailabilityResponse(onDate, clinic.Zone.Id, infusion, length.ObservationMinutes, free, null));
    }

    private static async Task<Results<Ok<RescheduleResponse>, ValidationProblem, ProblemHttpResult>> RescheduleSession(
        Guid clinicId, Guid sessionId, RescheduleSessionRequest request, IfMatch ifMatch, Database db, Rescheduling rescheduling, IClock clock, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<RescheduleResponse>, ValidationProblem, ProblemHttpResult>>(async (connection, transaction) =>
        {
            if (await SessionStore.FindAsync(connection, clinicId, sessionId, transaction) is not { } row)
            {
                return Problems.NotFound("session", sessionId);
            }

            if (ifMatch.Refuse(row.Version) is { } refusal)
            {
                return refusal;
            }

            // The session may stay on its chair only while that chair takes bookings: a move is a new booking of it.
            var chairId = request.ChairId ?? row.ChairId;
            if (await ChairStore.FindAsync(connection, clinicId, chairId, transaction) is not { } chair)
            {
                return Problems.UnknownReference("chairId", "chair", chairId);
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
            var occupancy = await SessionStore.OccupancyAsync(connection, clinicId, dates.Min(), dates.Max().PlusDays(Math.Max(0, days)), transaction);
            var result = rescheduling.Move(clinic.Calendar, plan?.Plan.Protocol, session, request.Start, request.ChairId, request.ShiftFollowing, planSessions, occupancy);
            if (result.Refused is { } refused)
            {
                var extensions = Obstacle(refused.Obstacle);
                extensions["sessionId"] = refused.Session.Id;
                return refused.Obstacle.IsConflict()
                    ? Problems.Conflict(refused.Reason, extensions)
                    : Problems.Unprocessable(refused.Reason, extensions);
            }

            var versions = planRows.Append(row).DistinctBy(r => r.Id).ToDictionary(r => r.Id, r => r.Version);
            await SessionStore.MoveAsync(db, connection, transaction, clinic, result.Moved, versions, now);
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
    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> ChangeStatus(
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

    private static Dictionary<string, object?> Obstacle(Obstacle obstacle) => new() { ["obstacle"] = obstacle.ToString() };

    private static ProblemHttpResult ChairOutOfService(Guid chairId) =>
        Problems.Conflict($"The chair '{chairId}' is out of service and takes no new bookings; choose another chair.", new Dictionary<string, object?> { ["chairId"] = chairId, ["rule"] = "chair-out-of-service" });

    private static string Key(string sortKey, Guid id) => $"{sortKey}|{id}";

    private static bool TryReadKey<T>(string key, IPattern<T> pattern, out T value, out Guid id)
    {
        var parts = key.Split('|');
        value = default!;
        id = Guid.Empty;
        if (parts.Length != 2 || !Guid.TryParse(parts[1], out id))
        {
            return false;
        }

        var parsed = pattern.Parse(parts[0]);
        value = parsed.Success ? parsed.Value : default!;
        return parsed.Success;
    }
}
