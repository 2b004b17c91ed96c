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
            .Describe("DecideTreatmentPlanIntake", "Record the prescriber's intake decision on a draft plan: approved or declined", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .AllowRoles(Roles.Clinical);
        return group;
    }

    private static async Task<Results<Ok<PlanResponse>, ValidationProblem, ProblemHttpResult>> DecideIntake(
        Guid clinicId, Guid planId, IntakeRequest request, IfMatch ifMatch, ClaimsPrincipal user, Database db, IClock clock, CancellationToken cancellationToken)
    {
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
        return await db.WriteAsync<Results<Ok<PlanResponse>, ValidationProblem, ProblemHttpResult>>(async (connection, transaction) =>
        {
            if (await PlanStore.FindAsync(connection, clinicId, planId, transaction) is not { } stored)
            {
                return Problems.NotFound("treatment plan", planId);
            }

            if (ifMatch.Refuse(stored.Version) is { } refusal)
            {
                return refusal;
            }

            if (stored.Plan.Status != PlanStatus.Draft)
            {
                return Problems.Conflict($"An intake is decided before booking; this plan is {stored.Plan.Status}.");
            }

            if (await StaffStore.FindAsync(connection, clinicId, request.PrescriberId, transaction) is not { } prescriber)
            {
                return Problems.UnknownReference("prescriberId", "member of staff", request.PrescriberId);
            }

            if (approved)
            {
                var clinic = (await ClinicStore.FindAsync(connection, clinicId, transaction))!;
                var refusals = IntakeRules.CheckApproval(
                    request.HistoryReviewed, request.MedicationsReviewed, request.ConsentSignedOn, now.InZone(clinic.Zone).Date,
                    stored.Clinical.Indication is not null, prescriber.IsActivePrescriber, contraindications);
                if (refusals.Length > 0)
                {
                    return Problems.ClinicallyRefused(
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
