using System.Security.Claims;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Patients;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Api.Staff;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Api.Waitlist;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Plans;

/// <summary>What every change to one treatment plan binds: the plan in the path, its If-Match, the database and the clock.</summary>
internal sealed record PlanChange(Guid ClinicId, Guid PlanId, IfMatch IfMatch, Database Db, IClock Clock, CancellationToken CancellationToken);

/// <summary>Routes for treatment plans: planning, booking and the plan's life.</summary>
internal static class PlansApi
{
    /// <summary>How far ahead of today a plan may start.</summary>
    private const int MaxDaysAhead = 730;

    public static RouteGroupBuilder MapPlans(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/treatment-plans").WithTags("Treatment plans").Audited("plan", readsPatientData: true);
        group.WithETags();

        group.MapPost("/", CreatePlan)
            .Describe("CreateTreatmentPlan", "Plan a patient's induction and maintenance sessions on the clinic's calendar")
            .AllowRoles(Roles.ClinicAdminAndIntegration);
        group.MapGet("/", ListPlans)
            .Describe("ListTreatmentPlans", "List treatment plans, by patient and status")
            .AllowRoles(Roles.StaffClinicianAndPatientApp);
        group.MapGet("/{planId:guid}", GetPlan)
            .Describe("GetTreatmentPlan", "Get a treatment plan with its planned and booked sessions")
            .AllowRoles(Roles.StaffClinicianAndPatientApp);
        group.MapPost("/{planId:guid}/book", BookPlan)
            .Describe("BookTreatmentPlan", "Book every session of a draft plan into chairs, or none")
            .AllowRoles(Roles.Staff);
        group.MapPost("/{planId:guid}/hold", HoldPlan)
            .Describe("HoldTreatmentPlan", "Put an active plan on hold")
            .AllowRoles(Roles.ClinicAdminAndIntegration);
        group.MapPost("/{planId:guid}/resume", ResumePlan)
            .Describe("ResumeTreatmentPlan", "Resume a plan on hold")
            .AllowRoles(Roles.ClinicAdminAndIntegration);
        group.MapPost("/{planId:guid}/discontinue", DiscontinuePlan)
            .Describe("DiscontinueTreatmentPlan", "End a plan early, cancelling its future sessions")
            .AllowRoles(Roles.ClinicAdminAndIntegration)
            .OffersFreedTime();
        return group;
    }

    private static async Task<Results<Created<PlanResponse>, ValidationProblem, NotFoundProblem, UnprocessableProblem>> CreatePlan(
        Guid clinicId, CreatePlanRequest request, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        await using var connection = await db.OpenAsync(cancellationToken);
        if (await ClinicStore.FindAsync(connection, clinicId) is not { } clinic)
        {
            return NotFoundProblem.Of("clinic", clinicId);
        }

        var validation = new Validation();
        var protocol = ReadProtocol(request, clinic, validation);
        var clinical = ReadClinical(request, validation);
        var today = now.InZone(clinic.Zone).Date;
        if (request.StartDate < today || request.StartDate > today.PlusDays(MaxDaysAhead))
        {
            validation.Add("startDate", $"Must be from today ({today:uuuu-MM-dd}) to {MaxDaysAhead} days ahead.");
        }

        if (!validation.IsValid || protocol is null || clinical is null)
        {
            return validation.Problem();
        }

        if (await PatientStore.FindAsync(connection, clinicId, request.PatientId) is null)
        {
            return NotFoundProblem.Reference("patientId", "patient", request.PatientId);
        }

        if (clinical.PrescriberId is { } prescriberId && await StaffStore.FindAsync(connection, clinicId, prescriberId) is not { IsActivePrescriber: true })
        {
            return NotFoundProblem.Reference("prescriberId", "active prescriber", prescriberId);
        }

        var planning = PlanningRule.Plan(clinic.Calendar, protocol, request.StartDate);
        if (planning.Failure is { } failure)
        {
            return UnprocessableProblem.Of(failure.Reason, new Dictionary<string, object?>
            {
                ["sequence"] = failure.Sequence,
                ["phase"] = failure.Phase,
                ["targetDate"] = failure.TargetDate,
            });
        }

        var plan = new TreatmentPlan(Guid.CreateVersion7(), request.PatientId, protocol, request.StartDate, request.PreferredStartTime, planning.Sessions);
        await db.WriteAsync(async (c, transaction) =>
        {
            await PlanStore.InsertAsync(c, transaction, clinicId, plan, clinical, now);
            await ChangeFeed.AppendAsync(c, transaction, new Change(clinicId, "plan.created", "plan", plan.Id, plan.PatientId, 1, now));
            return plan;
        }, cancellationToken);
        return TypedResults.Created($"/v1/clinics/{clinicId}/treatment-plans/{plan.Id}", new StoredPlan(clinicId, plan, 1, clinical).ToResponse([]));
    }

    private static async Task<Results<Ok<Page<PlanResponse>>, ValidationProblem, NotFoundProblem>> ListPlans(
        Guid clinicId, Guid? patientId, PlanStatus? status, string? cursor, int? limit, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.CursorKey("cursor", cursor, Guid.Empty);

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        // A patient-app key lists its own patient's plans; naming another patient is naming one that does not exist.
        var caller = Caller.From(user);
        if (patientId is { } named && (!caller.MaySee(named) || await PatientStore.FindAsync(connection, clinicId, named) is null))
        {
            return NotFoundProblem.Of("patient", named);
        }

        patientId ??= caller.PatientId;
        var plans = await PlanStore.ListAsync(connection, clinicId, patientId, status, after, take + 1);
        return TypedResults.Ok(Cursor.Paginate(plans, take, p => p.Plan.Id.ToString(), p => p.ToResponse([])));
    }

    private static async Task<Results<Ok<PlanResponse>, NotFoundProblem>> GetPlan(
        Guid clinicId, Guid planId, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        if (await PlanStore.FindAsync(connection, clinicId, planId) is not { } plan || !Caller.From(user).MaySee(plan.Plan.PatientId))
        {
            return NotFoundProblem.Of("treatment plan", planId);
        }

        return TypedResults.Ok(plan.ToResponse(await SessionStore.ForPlanAsync(connection, clinicId, planId)));
    }

    private static async Task<Results<Ok<PlanResponse>, NotFoundProblem, ConflictProblem, IfMatchProblem>> BookPlan([AsParameters] PlanChange change, Placement placement)
    {
        var (clinicId, planId, ifMatch, db, clock, cancellationToken) = change;
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<PlanResponse>, NotFoundProblem, ConflictProblem, IfMatchProblem>>(async (connection, transaction) =>
        {
            if (await PlanStore.FindAsync(connection, clinicId, planId, transaction) is not { } stored)
            {
                return NotFoundProblem.Of("treatment plan", planId);
            }

            if (ifMatch.Refusal(stored.Version) is { } refusal)
            {
                return refusal;
            }

            var clinic = (await ClinicStore.FindAsync(connection, clinicId, transaction))!;
            TreatmentPlan active;
            var (from, previous) = (1, default(LocalDate));
            if (stored.Plan.Status == PlanStatus.Active)
            {
                // An active plan books only the maintenance planned after its other sessions (POST .../maintenance).
                if (await UnbookedRestAsync(connection, transaction, clinicId, stored.Plan) is not { } rest)
                {
                    return ConflictProblem.Of("This plan is Active and has no newly planned maintenance sessions to book.");
                }

                (active, from, previous) = (stored.Plan, rest.From, rest.Previous);
            }
            else if (stored.Plan.MoveTo(PlanStatus.Active) is not { } moved || stored.Plan.Status != PlanStatus.Draft)
            {
                return ConflictProblem.Of($"Only a draft plan can be booked; this plan is {stored.Plan.Status}.");
            }
            else if (IntakeRefusal(clinic, stored) is { } noIntake)
            {
                return noIntake;
            }
            else
            {
                active = moved;
            }

            if (await OverlappingActivePlanAsync(connection, transaction, clinicId, active) is { } refused)
            {
                return refused;
            }

            var chairs = await ChairStore.InServiceAsync(connection, clinicId, transaction);
            var consulted = Placement.DatesConsulted(stored.Plan);
            var occupancy = await SessionStore.OccupancyAsync(connection, clinic, consulted.Start, consulted.End, now, transaction);
            var length = new SessionLength(stored.Plan.Protocol.InfusionMinutes, stored.Plan.Protocol.ObservationMinutes, clinic.TurnoverMinutes);
            var result = from == 1
                ? placement.Place(clinic.Calendar, stored.Plan, chairs, occupancy, length, Guid.CreateVersion7)
                : placement.PlaceRest(clinic.Calendar, stored.Plan, from, previous, chairs, occupancy, length, Guid.CreateVersion7);
            if (!result.Succeeded)
            {
                return ConflictProblem.Of(
                    $"{result.Unplaced.Length} of {stored.Plan.Sessions.Length - from + 1} sessions could not be placed; nothing was booked.",
                    new Dictionary<string, object?> { ["unplaced"] = result.Unplaced.Select(u => ToResponse(u, clinic)).ToList() });
            }

            await SessionStore.InsertAsync(connection, transaction, clinic, result.Sessions, now);
            var version = (await PlanStore.UpdateAsync(connection, transaction, active, stored.Version, now))!.Value;
            await ChangeFeed.AppendAsync(connection, transaction, result.Sessions
                .Select(s => new Change(clinicId, "session.booked", "session", s.Id, s.PatientId, 1, now))
                .Append(new Change(clinicId, "plan.booked", "plan", planId, active.PatientId, version, now)));
            var booked = await SessionStore.ForPlanAsync(connection, clinicId, planId, transaction);
            return TypedResults.Ok((stored with { Plan = active, Version = version }).ToResponse(booked));
        }, cancellationToken);
    }

    private static Task<Results<Ok<PlanResponse>, NotFoundProblem, ConflictProblem, IfMatchProblem>> HoldPlan([AsParameters] PlanChange change) =>
        MovePlan(change, PlanStatus.OnHold, "plan.held");

    private static Task<Results<Ok<PlanResponse>, NotFoundProblem, ConflictProblem, IfMatchProblem>> ResumePlan([AsParameters] PlanChange change) =>
        MovePlan(change, PlanStatus.Active, "plan.resumed");

    private static Task<Results<Ok<PlanResponse>, NotFoundProblem, ConflictProblem, IfMatchProblem>> DiscontinuePlan([AsParameters] PlanChange change) =>
        MovePlan(change, PlanStatus.Discontinued, "plan.discontinued");

    /// <summary>Moves a plan to <paramref name="status"/>; a discontinued plan's future sessions are cancelled with it.</summary>
    private static async Task<Results<Ok<PlanResponse>, NotFoundProblem, ConflictProblem, IfMatchProblem>> MovePlan(PlanChange change, PlanStatus status, string eventType)
    {
        var (clinicId, planId, ifMatch, db, clock, cancellationToken) = change;
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<PlanResponse>, NotFoundProblem, ConflictProblem, IfMatchProblem>>(async (connection, transaction) =>
        {
            if (await PlanStore.FindAsync(connection, clinicId, planId, transaction) is not { } stored)
            {
                return NotFoundProblem.Of("treatment plan", planId);
            }

            if (ifMatch.Refusal(stored.Version) is { } refusal)
            {
                return refusal;
            }

            if (stored.Plan.MoveTo(status) is not { } moved)
            {
                return ConflictProblem.Of($"A plan that is {stored.Plan.Status} cannot become {status}.");
            }

            if (status == PlanStatus.Active && await OverlappingActivePlanAsync(connection, transaction, clinicId, moved) is { } refused)
            {
                return refused;
            }

            var changes = new List<Change>();
            if (status == PlanStatus.Discontinued)
            {
                foreach (var row in await SessionStore.ForPlanAsync(connection, clinicId, planId, transaction))
                {
                    var session = row.ToSession();
                    if (session.Status == SessionStatus.Booked && session.Start.ToInstant() > now &&
                        await SessionStore.SetStatusAsync(connection, transaction, session, SessionStatus.Cancelled, "The treatment plan was discontinued.", now))
                    {
                        changes.Add(new Change(clinicId, "session.cancelled", "session", session.Id, session.PatientId, row.Version + 1, now));
                    }
                }
            }

            var version = await PlanStore.UpdateAsync(connection, transaction, moved, stored.Version, now)
                ?? throw new ConflictException("The plan changed while it was being updated; fetch it and try again.");
            changes.Add(new Change(clinicId, eventType, "plan", planId, moved.PatientId, version, now));
            await ChangeFeed.AppendAsync(connection, transaction, changes);
            var sessions = await SessionStore.ForPlanAsync(connection, clinicId, planId, transaction);
            return TypedResults.Ok((stored with { Plan = moved, Version = version }).ToResponse(sessions));
        }, cancellationToken);
    }

    /// <summary>
    /// Why <paramref name="plan"/> may not become active: another of the patient's plans is active over some of the
    /// same dates. Booking or resuming is where a plan becomes active, so that is where this is refused; drafts may
    /// overlap freely, since a clinic often plans the next course before the current one ends.
    /// </summary>
    private static async Task<ConflictProblem?> OverlappingActivePlanAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, Guid clinicId, TreatmentPlan plan)
    {
        var other = (await PlanStore.ActiveForPatientAsync(connection, transaction, clinicId, plan.PatientId)).FirstOrDefault(p => plan.Overlaps(p.Plan));
        return other is null ? null : ConflictProblem.Of(
            $"The patient already has an active plan over these dates ({other.Plan.Course.Start:uuuu-MM-dd} to {other.Plan.Course.End:uuuu-MM-dd}); complete, discontinue or hold it first.",
            new Dictionary<string, object?> { ["rule"] = "one-active-plan", ["planId"] = other.Plan.Id });
    }

    /// <summary>
    /// The maintenance sessions of an active plan planned after the rest was booked: from which sequence, and the date
    /// of the live session before them. Null when there are none, or when the unbooked sessions are not such a tail.
    /// </summary>
    private static async Task<(int From, LocalDate Previous)?> UnbookedRestAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, Guid clinicId, TreatmentPlan plan)
    {
        var live = await PlanSessions.LiveAsync(connection, clinicId, plan.Id, transaction);
        var rest = plan.Sessions.SkipWhile(p => live.ContainsKey(p.Sequence)).ToList();
        return rest.Count == 0 || rest[0].Sequence == 1 || rest.Any(p => p.Phase != Phase.Maintenance || live.ContainsKey(p.Sequence))
            ? null
            : (rest[0].Sequence, live[rest[0].Sequence - 1].LocalStart.Date);
    }

    /// <summary>Why the plan may not be booked for want of an intake: declined, or none approved where the clinic requires one.</summary>
    private static ConflictProblem? IntakeRefusal(Clinic clinic, StoredPlan plan) => plan.Clinical.Intake switch
    {
        { Approved: false } => ConflictProblem.IntakeRequired("The plan's intake was declined; it cannot be booked unless a prescriber approves a new intake."),
        null when clinic.IntakeRequired => ConflictProblem.IntakeRequired("The clinic requires an approved intake before a plan is booked; record one with POST .../intake."),
        _ => null,
    };

    private static UnplacedSessionResponse ToResponse(UnplacedSession unplaced, Clinic clinic) => new(
        unplaced.Sequence,
        unplaced.Phase,
        unplaced.Window.Start,
        unplaced.Window.End,
        unplaced.Obstacle,
        unplaced.Reason,
        unplaced.Alternatives.Select(a => new AlternativeResponse(a.ChairId, clinic.Calendar.AtClinicTime(a.Start).ToOffsetDateTime())).ToList());

    /// <summary>The indication, prescriber and primary measure a request gives, with the measure's default; null when invalid.</summary>
    private static PlanClinical? ReadClinical(CreatePlanRequest request, Validation validation)
    {
        Indication? indication = null;
        if (request.Indication is { } given)
        {
            validation.Required("indication.condition", given.Condition).Text("indication.note", given.Note, 1000);
            if (given.Icd10 is not null && !Icd10Cm.HasShape(given.Icd10))
            {
                validation.Add("indication.icd10", "Must have the shape of an ICD-10-CM code: a capital letter, a digit, a capital letter or digit, then optionally a dot and 1 to 4 capital letters or digits, for example F33.2.");
            }

            if (validation.Code<Condition>("indication.condition", given.Condition) is { } condition)
            {
                indication = new Indication(condition, given.Icd10, given.Note);
            }
        }

        var measure = validation.Code<Instrument>("primaryMeasure", request.PrimaryMeasure)
            ?? indication?.Condition.DefaultMeasure()
            ?? Instrument.Phq9;
        return validation.IsValid ? new PlanClinical(indication, request.PrescriberId, measure, null) : null;
    }

    /// <summary>The protocol a request asks for, with defaults for what it leaves out; null when invalid.</summary>
    private static Protocol? ReadProtocol(CreatePlanRequest request, Clinic clinic, Validation validation)
    {
        var observation = request.ObservationMinutes ?? clinic.ObservationMinutes;
        validation.Range("infusionMinutes", request.InfusionMinutes, Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)
            .Range("observationMinutes", observation, 0, Protocol.MaxObservationMinutes);

        var i = request.Induction;
        var sessions = i?.Sessions ?? InductionCycle.Default.Sessions;
        var interval = i?.IntervalDays ?? InductionCycle.Default.IntervalDays;
        var maxInterval = i?.MaxIntervalDays ?? Math.Max(interval + 1, InductionCycle.Default.MaxIntervalDays);
        validation.Range("induction.sessions", sessions, 1, InductionCycle.MaxSessions)
            .Range("induction.intervalDays", interval, 1, InductionCycle.MaxDays)
            .Range("induction.maxIntervalDays", maxInterval, interval, InductionCycle.MaxDays);
        var span = i?.MaxSpanDays ?? InductionCycle.DefaultSpanFor(sessions, maxInterval);
        validation.Range("induction.maxSpanDays", span, Math.Max(0, (sessions - 1) * interval), InductionCycle.MaxSessions * InductionCycle.MaxDays);

        var intervals = ReadMaintenance(request.Maintenance, validation, whenLeftOut: 0);
        return validation.IsValid
            ? new Protocol(request.InfusionMinutes, observation, new InductionCycle(sessions, interval, maxInterval, span), new MaintenanceCycle(intervals))
            : null;
    }

    /// <summary>
    /// The intervals of the maintenance cycle <paramref name="m"/> asks for: its taper, or its sessions every
    /// intervalDays (six every 28 days by default); <paramref name="whenLeftOut"/> sessions when there is no
    /// cycle at all. Problems are noted under <c>maintenance.*</c>.
    /// </summary>
    public static IReadOnlyList<int> ReadMaintenance(MaintenanceRequest? m, Validation validation, int whenLeftOut, string prefix = "maintenance.")
    {
        IReadOnlyList<int> intervals;
        if (m?.Intervals is { } taper)
        {
            if (m.Sessions is { } count && count != taper.Count)
            {
                validation.Add($"{prefix}sessions", $"Must match the number of intervals ({taper.Count}).");
            }

            if (m.IntervalDays is not null)
            {
                validation.Add($"{prefix}intervalDays", "Give either intervalDays or intervals, not both.");
            }

            validation.Range($"{prefix}intervals", taper.Count, 0, MaintenanceCycle.MaxSessions);
            for (var k = 0; k < taper.Count; k++)
            {
                validation.Range($"{prefix}intervals[{k}]", taper[k], 1, MaintenanceCycle.MaxIntervalDays);
            }

            intervals = taper;
        }
        else
        {
            var count = m is null ? whenLeftOut : m.Sessions ?? MaintenanceCycle.Default.Sessions;
            var days = m?.IntervalDays ?? MaintenanceCycle.Default.IntervalDays[0];
            validation.Range($"{prefix}sessions", count, 0, MaintenanceCycle.MaxSessions)
                .Range($"{prefix}intervalDays", days, 1, MaintenanceCycle.MaxIntervalDays);
            intervals = validation.IsValid ? Enumerable.Repeat(days, count).ToList() : [];
        }

        return intervals;
    }
}
