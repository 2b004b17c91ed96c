using System.Security.Claims;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Course;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Patients;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Clinical;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Assessments;

/// <summary>Routes for a patient's outcome measures: scored questionnaires, listed and retracted, never edited.</summary>
internal static class AssessmentsApi
{
    /// <summary>Who records an assessment: clinicians, the EHR, and the patient's own app (the PHQ-9 before a visit).</summary>
    private static readonly string[] Recorders = [Roles.Clinician, Roles.Integration, Roles.PatientApp];

    public static RouteGroupBuilder MapAssessments(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/patients/{patientId:guid}/assessments")
            .WithTags("Outcome measures")
            .Audited("assessment", readsPatientData: true);

        group.MapPost("/", RecordAssessment)
            .Describe("RecordAssessment", "Record a questionnaire; the server scores it, bands it and raises its risk flags")
            .AllowRoles(Recorders);
        group.MapGet("/", ListAssessments)
            .Describe("ListAssessments", "List a patient's assessments, by instrument and local dates")
            .AllowRoles([.. Roles.Clinical, Roles.PatientApp]);
        group.MapPost("/{assessmentId:guid}/retract", RetractAssessment)
            .Describe("RetractAssessment", "Mark an assessment as entered in error; the course then ignores it")
            .AllowRoles(Roles.Clinical);
        return group;
    }

    private static async Task<Results<Created<AssessmentResponse>, ValidationProblem, NotFoundProblem>> RecordAssessment(
        Guid clinicId, Guid patientId, CreateAssessmentRequest request, ClaimsPrincipal user, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        if (!caller.MaySee(patientId))
        {
            return NotFoundProblem.Of("patient", patientId);
        }

        var validation = new Validation().Required("instrument", request.Instrument).Required("answers", request.Answers);
        var instrument = validation.Code<Instrument>("instrument", request.Instrument);
        var timing = validation.Code<AssessmentTiming>("timing", request.Timing);
        var scored = instrument is { } i && request.Answers is { } answers ? Scoring.Score(i, answers) : null;
        if (scored is not null)
        {
            validation.Add(scored.Problems);
        }

        if (!validation.IsValid || scored?.Score is not { } score)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Created<AssessmentResponse>, ValidationProblem, NotFoundProblem>>(async (connection, transaction) =>
        {
            if (await ClinicStore.FindAsync(connection, clinicId, transaction) is not { } clinic)
            {
                return NotFoundProblem.Of("clinic", clinicId);
            }

            if (await PatientStore.FindAsync(connection, clinicId, patientId, transaction) is null)
            {
                return NotFoundProblem.Of("patient", patientId);
            }

            var localNow = now.InZone(clinic.Zone).LocalDateTime;
            var takenAt = request.TakenAt ?? localNow;
            if (takenAt > localNow || !Dates.Accepts(takenAt))
            {
                return new Validation().Add("takenAt", $"Must be the clinic's local time, not in the future (it is now {localNow:uuuu-MM-dd'T'HH:mm} in {clinic.Zone.Id}).").Problem();
            }

            // Another patient's session answers as one that does not exist.
            if (request.SessionId is { } sessionId && (await SessionStore.FindAsync(connection, clinicId, sessionId, transaction))?.PatientId != patientId)
            {
                return NotFoundProblem.Reference("sessionId", "session of this patient", sessionId);
            }

            var assessment = new StoredAssessment(Guid.CreateVersion7(), patientId, score, request.Answers, takenAt, request.SessionId, timing, now, caller.KeyId);
            await AssessmentStore.InsertAsync(connection, transaction, clinicId, assessment);
            var changes = new List<Change> { new(clinicId, "assessment.recorded", "assessment", assessment.Id, patientId, 1, now) };
            if (!score.RiskFlags.IsEmpty)
            {
                // Ids and types only: the EHR fetches the assessment to see which flag, and the answers.
                changes.Add(new(clinicId, "assessment.risk-flagged", "assessment", assessment.Id, patientId, 1, now));
            }

            // In maintenance, an answer that brings the symptoms back makes a booster due on the plan it measures.
            foreach (var plan in await PlanStore.ActiveForPatientAsync(connection, transaction, clinicId, patientId))
            {
                if (plan.Clinical.PrimaryMeasure == score.Instrument &&
                    (await PlanCourse.EvaluateAsync(connection, clinicId, plan, transaction)).Recommendation.Action == CourseAction.BoosterDue.Code())
                {
                    changes.Add(new(clinicId, "plan.booster-due", "plan", plan.Plan.Id, patientId, plan.Version, now));
                }
            }

            await ChangeFeed.AppendAsync(connection, transaction, changes);
            return TypedResults.Created($"/v1/clinics/{clinicId}/patients/{patientId}/assessments/{assessment.Id}", assessment.ToResponse());
        }, cancellationToken);
    }

    private static async Task<Results<Ok<Page<AssessmentResponse>>, ValidationProblem, NotFoundProblem>> ListAssessments(
        Guid clinicId, Guid patientId, string? instrument, string? from, string? to, string? cursor, int? limit, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.CursorKey("cursor", cursor, Guid.Empty);
        var only = validation.Code<Instrument>("instrument", instrument);
        var first = validation.Date("from", from, required: false);
        var last = validation.Date("to", to, required: false);
        if (first > last)
        {
            validation.Add("to", "Must be on or after from.");
        }

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        if (!Caller.From(user).MaySee(patientId) || await PatientStore.FindAsync(connection, clinicId, patientId) is null)
        {
            return NotFoundProblem.Of("patient", patientId);
        }

        var rows = await AssessmentStore.ListAsync(connection, clinicId, patientId, only, first?.AtMidnight(), last?.PlusDays(1).AtMidnight(), after, take + 1);
        return TypedResults.Ok(Cursor.Paginate(rows, take, a => a.Id.ToString(), a => a.ToResponse()));
    }

    private static async Task<Results<Ok<AssessmentResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> RetractAssessment(
        Guid clinicId, Guid patientId, Guid assessmentId, RetractAssessmentRequest request, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation().Required("reason", request.Reason).Text("reason", request.Reason, 500);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<AssessmentResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>>(async (connection, transaction) =>
        {
            if (await AssessmentStore.FindAsync(connection, clinicId, patientId, assessmentId, transaction) is not { } assessment)
            {
                return NotFoundProblem.Of("assessment", assessmentId);
            }

            if (!await AssessmentStore.RetractAsync(connection, transaction, clinicId, patientId, assessmentId, request.Reason.Trim(), now))
            {
                return ConflictProblem.Of($"The assessment was already retracted at {assessment.RetractedAt}.");
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "assessment.retracted", "assessment", assessmentId, patientId, 2, now));
            return TypedResults.Ok((assessment with { RetractedAt = now, RetractReason = request.Reason.Trim() }).ToResponse());
        }, cancellationToken);
    }
}
