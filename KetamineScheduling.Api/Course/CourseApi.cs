using System.Security.Claims;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Api.Staff;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Course;

/// <summary>Routes for a plan's clinical course: the intake decision, the course of its measure and maintenance decided by response.</summary>
internal static class CourseApi
{
    public static RouteGroupBuilder MapCourse(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/treatment-plans/{planId:guid}").WithTags("Treatment course").Audited("plan", readsPatientData: true);
        group.WithETags();

        group.MapPost("/intake", DecideIntake)
            .Describe("DecideTreatmentPlanIntake", "Record the prescriber's intake decision on a draft plan: approved or declined")
            .AllowRoles(Roles.Clinical);
        group.MapGet("/course", GetCourse)
            .Describe("GetTreatmentPlanCourse", "The course of the plan's primary measure: baseline, a point per session, the change and the next step")
            .AllowRoles(Roles.Clinical);
        group.MapPost("/maintenance", PlanMaintenance)
            .Describe("PlanTreatmentPlanMaintenance", "Plan maintenance from the last induction session held, or replace the unbooked rest of it; then book it")
            .AllowRoles(Roles.Clinical);
        return group;
    }

    private static async Task<Results<Ok<CourseResponse>, NotFoundProblem>> GetCourse(Guid clinicId, Guid planId, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await PlanStore.FindAsync(connection, clinicId, planId) is { } stored
            ? TypedResults.Ok(await PlanCourse.EvaluateAsync(connection, clinicId, stored))
            : NotFoundProblem.Of("treatment plan", planId);
    }

    /// <summary>
    /// Plans a maintenance cycle after the last session held or booked: the last induction session, which must be
    /// completed, or the last maintenance session already booked. Maintenance sessions planned but not booked are
    /// replaced. The planning rule is the plan's own; POST .../book then books the new sessions.
    /// </summary>
    private static async Task<Results<Ok<PlanResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem, IfMatchProblem>> PlanMaintenance(
        [AsParameters] PlanChange change, MaintenanceRequest request)
    {
        var (clinicId, planId, ifMatch, db, clock, cancellationToken) = change;
        var validation = new Validation();
        if (request.Sessions is null && request.Intervals is null)
        {
            validation.Add("sessions", "Give the number of maintenance sessions, or their intervals.");
        }

        var intervals = PlansApi.ReadMaintenance(request, validation, whenLeftOut: 0, prefix: "");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<PlanResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem, IfMatchProblem>>(async (connection, transaction) =>
        {
            if (await PlanStore.FindAsync(connection, clinicId, planId, transaction) is not { } stored)
            {
                return NotFoundProblem.Of("treatment plan", planId);
            }

            if (ifMatch.Refusal(stored.Version) is { } refusal)
            {
                return refusal;
            }

            var plan = stored.Plan;
            if (plan.Status is not (PlanStatus.Active or PlanStatus.Completed))
            {
                return ConflictProblem.Of($"Maintenance is planned on an active or completed plan, after induction; this plan is {plan.Status}.");
            }

            var live = await PlanSessions.LiveAsync(connection, clinicId, planId, transaction);
            var inductionSessions = plan.Protocol.Induction.Sessions;
            if (!live.TryGetValue(inductionSessions, out var lastInduction) || lastInduction.Status != nameof(SessionStatus.Completed))
            {
                return ConflictProblem.Of($"Maintenance is planned from the last induction session actually held; session {inductionSessions} is not completed yet.");
            }

            // Maintenance sessions already booked or held stay; the unbooked rest is replaced.
            var keep = plan.Sessions.TakeWhile(p => live.ContainsKey(p.Sequence)).Last().Sequence;
            if (plan.Sessions.Any(p => p.Sequence > keep && live.ContainsKey(p.Sequence)))
            {
                return ConflictProblem.Of("A later maintenance session is booked while an earlier one is not; reschedule or cancel it first.");
            }

            var clinic = (await ClinicStore.FindAsync(connection, clinicId, transaction))!;
            var cycle = new MaintenanceCycle(intervals);
            if (keep + cycle.Sessions > TreatmentPlan.MaxSessions || keep - inductionSessions + cycle.Sessions > MaintenanceCycle.MaxSessions)
            {
                return new Validation().Add("sessions", $"A plan holds at most {MaintenanceCycle.MaxSessions} maintenance sessions; {keep - inductionSessions} are already booked.").Problem();
            }

            var planning = PlanningRule.PlanMaintenance(clinic.Calendar, cycle, keep + 1, live[keep].LocalStart.Date);
            if (planning.Failure is { } failure)
            {
                return UnprocessableProblem.Of(failure.Reason, new Dictionary<string, object?> { ["sequence"] = failure.Sequence, ["phase"] = failure.Phase, ["targetDate"] = failure.TargetDate });
            }

            var kept = plan.Protocol.Maintenance.IntervalDays.Take(keep - inductionSessions);
            var protocol = new Protocol(plan.Protocol.InfusionMinutes, plan.Protocol.ObservationMinutes, plan.Protocol.Induction, new MaintenanceCycle([.. kept, .. intervals]));
            // A plan whose induction completed it is under way again once maintenance is planned on it.
            var replanned = new TreatmentPlan(plan.Id, plan.PatientId, protocol, plan.StartDate, plan.PreferredStartTime,
                [.. plan.Sessions.Where(p => p.Sequence <= keep), .. planning.Sessions], PlanStatus.Active, plan.InductionInterrupted);
            var version = await PlanStore.ReplaceMaintenanceAsync(connection, transaction, replanned, keep, stored.Version, now)
                ?? throw new ConflictException("The plan changed while its maintenance was being planned; fetch it and try again.");
            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "plan.updated", "plan", planId, plan.PatientId, version, now));
            var sessions = await SessionStore.ForPlanAsync(connection, clinicId, planId, transaction);
            return TypedResults.Ok((stored with { Plan = replanned, Version = version }).ToResponse(sessions));
        }, cancellationToken);
    }

    private static async Task<Results<Ok<PlanResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem, IfMatchProblem>> DecideIntake(
        [AsParameters] PlanChange change, IntakeRequest request, ClaimsPrincipal user)
    {
        var (clinicId, planId, ifMatch, db, clock, cancellationToken) = change;
        var validation = new Validation().Required("decision", request.Decision).Text("note", request.Note, 2000);
        var contraindications = validation.Codes<Contraindication>("contraindications", request.Contraindications);
        if (request.Decision is not null && !ClinicalCodes.IntakeDecisions.Contains(request.Decision))
        {
            validation.Add("decision", $"Must be one of {string.Join(", ", ClinicalCodes.IntakeDecisions)}.");
        }

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var approved = request.Decision == PlanIntake.ApprovedCode;
        var now = clock.GetCurrentInstant();
        var caller = Caller.From(user);
        return await db.WriteAsync<Results<Ok<PlanResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem, IfMatchProblem>>(async (connection, transaction) =>
        {
            if (await PlanStore.FindAsync(connection, clinicId, planId, transaction) is not { } stored)
            {
                return NotFoundProblem.Of("treatment plan", planId);
            }

            if (ifMatch.Refusal(stored.Version) is { } refusal)
            {
                return refusal;
            }

            if (stored.Plan.Status != PlanStatus.Draft)
            {
                return ConflictProblem.Of($"An intake is decided before booking; this plan is {stored.Plan.Status}.");
            }

            if (await StaffStore.FindAsync(connection, clinicId, request.PrescriberId, transaction) is not { } prescriber)
            {
                return NotFoundProblem.Reference("prescriberId", "member of staff", request.PrescriberId);
            }

            if (approved)
            {
                var clinic = (await ClinicStore.FindAsync(connection, clinicId, transaction))!;
                var refusals = IntakeRules.CheckApproval(
                    request.HistoryReviewed, request.MedicationsReviewed, request.ConsentSignedOn, now.InZone(clinic.Zone).Date,
                    stored.Clinical.Indication is not null, prescriber.IsActivePrescriber, contraindications);
                if (refusals.Length > 0)
                {
                    return UnprocessableProblem.ClinicallyRefused(
                        $"The intake cannot be approved: {string.Join(" ", refusals.Select(r => r.Message))}",
                        refusals.GroupBy(r => r.Field).ToDictionary(g => g.Key, g => g.Select(r => r.Message).ToArray()));
                }
            }

            var intake = new PlanIntake(approved, prescriber.Id, request.HistoryReviewed, request.MedicationsReviewed, request.ConsentSignedOn, contraindications, request.Note, now, caller.KeyId);
            var version = await PlanStore.SetIntakeAsync(connection, transaction, planId, intake, stored.Version)
                ?? throw new ConflictException("The plan changed while its intake was being recorded; fetch it and try again.");
            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, approved ? "plan.intake-approved" : "plan.intake-declined", "plan", planId, stored.Plan.PatientId, version, now));
            var decided = stored with { Version = version, Clinical = stored.Clinical with { Intake = intake } };
            return TypedResults.Ok(decided.ToResponse(await SessionStore.ForPlanAsync(connection, clinicId, planId, transaction)));
        }, cancellationToken);
    }
}
