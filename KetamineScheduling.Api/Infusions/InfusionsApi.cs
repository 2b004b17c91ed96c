using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Api.Staff;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Infusions;

/// <summary>
/// Routes for what happens in the chair between check-in and completion: the readiness check, and starting the
/// infusion with its dose. Completion, with the discharge, is the session's own <c>complete</c> route.
/// </summary>
internal static class InfusionsApi
{
    public static RouteGroupBuilder MapInfusions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/sessions").WithTags("Sessions").Audited("session", readsPatientData: true);
        group.WithETags();

        group.MapPut("/{sessionId:guid}/readiness", RecordReadiness)
            .Describe("RecordSessionReadiness", "Record a checked-in patient's readiness for the infusion: fasting, vitals, weight, a ride home; answers whether the infusion may start and every check that failed")
            .AllowRoles(Roles.Clinical);
        group.MapPost("/{sessionId:guid}/start-infusion", StartInfusion)
            .Describe("StartSessionInfusion", "Start the infusion of a checked-in session that is ready (or a prescriber overrides), recording the dose")
            .AllowRoles(Roles.Clinical);
        return group;
    }

    /// <summary>Record a checked-in patient's readiness, replacing any recorded before, and judge it against the clinic's readiness limits.</summary>
    private static async Task<Results<Ok<ReadinessResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, IfMatchProblem>> RecordReadiness(
        [AsParameters] SessionChange change, ReadinessRequest request)
    {
        var (clinicId, sessionId, ifMatch, user, db, clock, cancellationToken) = change;
        var validation = new Validation();
        if (InfusionWire.Read(request, validation) is not { } record)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<ReadinessResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, IfMatchProblem>>(async (connection, transaction) =>
        {
            if (await FindAsync(connection, transaction, clinicId, sessionId, ifMatch) is not { } found)
            {
                return NotFoundProblem.Of("session", sessionId);
            }

            var (row, session, clinic, refusal) = found;
            if (refusal is not null)
            {
                return refusal;
            }

            if (!session.Status.TakesReadiness())
            {
                return ConflictProblem.Rule(
                    "not-checked-in", "Conflict",
                    $"Readiness is recorded once the patient is checked in and until the infusion starts; this session is {session.Status}.");
            }

            var result = Readiness.Check(record, clinic.Limits);
            if (!await SessionStore.TouchAsync(connection, transaction, session, row.Version, now))
            {
                throw new ConflictException("The session changed while its readiness was being recorded; fetch it and try again.");
            }

            var readiness = InfusionWire.ToBody(record, result, now.InZone(session.Start.Zone).ToOffsetDateTime(), InfusionWire.By(Caller.From(user)));
            await InfusionStore.SaveAsync(connection, transaction, clinicId, session.PatientId, sessionId, row.Record() with { Readiness = readiness }, now);
            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "session.readiness_recorded", "session", sessionId, session.PatientId, row.Version + 1, now));
            return TypedResults.Ok(new ReadinessResponse(result.Ready, readiness.Failures, await ReadAsync(connection, transaction, clinicId, sessionId)));
        }, cancellationToken);
    }

    /// <summary>
    /// Start the infusion, recording its dose: the session moves to InInfusion. Readiness that is missing, or fails
    /// the clinic's limits as they are now, refuses the start (409 <c>not-ready</c>) unless a prescriber overrides it.
    /// </summary>
    // The override is recorded on the session and announced with its own event, session.readiness_overridden.
    private static async Task<Results<Ok<SessionResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem, IfMatchProblem>> StartInfusion(
        [AsParameters] SessionChange change, StartInfusionRequest? body)
    {
        var (clinicId, sessionId, ifMatch, user, db, clock, cancellationToken) = change;
        // No body at all is the usual start: the default dose, at the weight recorded with readiness.
        var request = body ?? new StartInfusionRequest();
        var validation = Validate(request);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var dose = request.DoseMgPerKg ?? Dosing.DefaultDoseMgPerKg;
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<SessionResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem, IfMatchProblem>>(async (connection, transaction) =>
        {
            if (await FindAsync(connection, transaction, clinicId, sessionId, ifMatch) is not { } found)
            {
                return NotFoundProblem.Of("session", sessionId);
            }

            var (row, session, clinic, refusal) = found;
            if (refusal is not null)
            {
                return refusal;
            }

            if (session.MoveTo(SessionStatus.InInfusion, clinic.ReadinessRequired) is null)
            {
                return ConflictProblem.Of($"A session that is {session.Status} cannot start its infusion; the patient must be checked in.");
            }

            var recorded = row.Record();
            var readiness = recorded.Readiness is { } body ? Readiness.Check(InfusionWire.ToDomain(body), clinic.Limits) : null;
            OverrideBody? overridden = null;
            if (readiness is not { Ready: true })
            {
                var failures = readiness is null ? [] : InfusionWire.Failures(readiness);
                if (request.Override is not { } given)
                {
                    return NotReady(readiness is not null, failures);
                }

                if (await StaffStore.FindAsync(connection, clinicId, given.PrescriberId, transaction) is not { } prescriber)
                {
                    return NotFoundProblem.Reference("override.prescriberId", "member of staff", given.PrescriberId);
                }

                if (!prescriber.IsActivePrescriber)
                {
                    var why = $"Must name an active prescriber; this member of staff is {(prescriber.Active ? "not a prescriber" : "no longer active")}.";
                    return UnprocessableProblem.ClinicallyRefused($"The readiness override cannot be accepted: {why}", new Dictionary<string, string[]> { ["override.prescriberId"] = [why] });
                }

                overridden = new OverrideBody(given.PrescriberId, given.Reason.Trim(), readiness is not null, failures);
            }

            if ((request.WeightKg ?? recorded.Readiness?.WeightKg) is not { } weight)
            {
                return new Validation().Add("weightKg", "Is required when no readiness, with its weight, is recorded.").Problem();
            }

            if (!await SessionStore.SetStatusAsync(connection, transaction, session, SessionStatus.InInfusion, null, now, row.Version))
            {
                throw new ConflictException("The session changed while its infusion was being started; fetch it and try again.");
            }

            var infusion = new InfusionBody(dose, weight, Dosing.TotalDoseMg(dose, weight), now.InZone(session.Start.Zone).ToOffsetDateTime(), overridden, InfusionWire.By(Caller.From(user)));
            await InfusionStore.SaveAsync(connection, transaction, clinicId, session.PatientId, sessionId, recorded with { Infusion = infusion }, now);
            List<Change> changes = [new(clinicId, "session.infusion_started", "session", sessionId, session.PatientId, row.Version + 1, now)];
            if (overridden is not null)
            {
                changes.Add(new(clinicId, "session.readiness_overridden", "session", sessionId, session.PatientId, row.Version + 1, now));
            }

            await ChangeFeed.AppendAsync(connection, transaction, changes);
            return TypedResults.Ok(await ReadAsync(connection, transaction, clinicId, sessionId));
        }, cancellationToken);
    }

    private static Validation Validate(StartInfusionRequest request)
    {
        var validation = new Validation();
        if (request.DoseMgPerKg is { } dose && !Dosing.IsDoseInRange(dose))
        {
            Add(validation, FieldProblem.OutOfRange("doseMgPerKg", Dosing.MinDoseMgPerKg, Dosing.MaxDoseMgPerKg, dose));
        }

        if (request.WeightKg is { } weight && !Dosing.IsWeightInRange(weight))
        {
            Add(validation, FieldProblem.OutOfRange("weightKg", Dosing.MinWeightKg, Dosing.MaxWeightKg, weight));
        }

        if (request.Override is { } given)
        {
            if (given.PrescriberId == Guid.Empty)
            {
                validation.Add("override.prescriberId", "Is required: the prescriber who lets the infusion start.");
            }

            validation.Required("override.reason", given.Reason).Text("override.reason", given.Reason, 500);
        }

        return validation;
    }

    private static void Add(Validation validation, FieldProblem problem) => validation.Add(problem.Field, problem.Message);

    /// <summary>The 409 for a start without readiness, or with readiness that fails: every failed check, for the nurse or a prescriber's override.</summary>
    private static ConflictProblem NotReady(bool recorded, IReadOnlyList<ReadinessFailureBody> failures) =>
        ConflictProblem.Rule(
            "not-ready", "The patient is not ready for the infusion",
            recorded
                ? $"The patient's readiness fails {failures.Count} check(s) against the clinic's limits: {string.Join(", ", failures.Select(f => f.Check))}. Record readiness again, or send override with a prescriber's id and reason."
                : "No readiness is recorded for this session. Record it with PUT .../readiness, or send override with a prescriber's id and reason.",
            new Dictionary<string, object?> { ["readinessRecorded"] = recorded, ["failures"] = failures });

    /// <summary>
    /// The session, its clinic, and the 412 when <paramref name="ifMatch"/> names another version; null when there
    /// is no such session in the clinic.
    /// </summary>
    private static async Task<(SessionRow Row, Session Session, Clinic Clinic, IfMatchProblem? Refusal)?> FindAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, Guid clinicId, Guid sessionId, IfMatch ifMatch)
    {
        if (await SessionStore.FindAsync(connection, clinicId, sessionId, transaction) is not { } row ||
            await ClinicStore.FindAsync(connection, clinicId, transaction) is not { } clinic)
        {
            return null;
        }

        return (row, row.ToSession(), clinic, ifMatch.Refusal(row.Version));
    }

    private static async Task<SessionResponse> ReadAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, Guid clinicId, Guid sessionId) =>
        (await SessionStore.FindAsync(connection, clinicId, sessionId, transaction))!.ToResponse();
}
