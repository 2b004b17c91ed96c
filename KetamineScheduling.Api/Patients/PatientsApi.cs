using System.ComponentModel.DataAnnotations;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Patients;

/// <summary>A new patient, known to the clinic's EHR by <paramref name="ExternalId"/>.</summary>
/// <param name="ExternalId">The EHR's identifier for the patient; unique within the clinic.</param>
/// <param name="DisplayName">How staff see the patient's name.</param>
public sealed record CreatePatientRequest([property: MaxLength(100)] string ExternalId, [property: MaxLength(200)] string DisplayName);

/// <summary>A patient of the clinic.</summary>
public sealed record PatientResponse(Guid Id, [property: MaxLength(100)] string ExternalId, [property: MaxLength(200)] string DisplayName) : IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [Id];
}

/// <summary>Routes for a clinic's patients.</summary>
internal static class PatientsApi
{
    public static RouteGroupBuilder MapPatients(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/patients").WithTags("Patients").Audited("patient", readsPatientData: true);

        group.MapPost("/", CreatePatient)
            .Describe("CreatePatient", "Register a patient under the EHR's identifier", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .AllowRoles(Roles.ClinicAdminAndIntegration);
        group.MapGet("/", ListPatients)
            .Describe("ListPatients", "List patients, optionally finding one by its EHR identifier", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .AllowRoles(Roles.Staff);
        group.MapGet("/{patientId:guid}", GetPatient)
            .Describe("GetPatient", "Get one patient", StatusCodes.Status404NotFound)
            .AllowRoles(Roles.Staff);
        return group;
    }

    private static async Task<Results<Created<PatientResponse>, ValidationProblem, ProblemHttpResult>> CreatePatient(
        Guid clinicId, CreatePatientRequest request, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Required("externalId", request.ExternalId)
            .Name("externalId", request.ExternalId, 100)
            .Required("displayName", request.DisplayName)
            .Name("displayName", request.DisplayName, 200);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var patient = new PatientResponse(Guid.CreateVersion7(), request.ExternalId.Trim(), request.DisplayName.Trim());
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Created<PatientResponse>, ValidationProblem, ProblemHttpResult>>(async (connection, transaction) =>
        {
            switch (await PatientStore.InsertAsync(connection, transaction, clinicId, patient, now))
            {
                case PatientStore.Inserted.NoClinic:
                    return Problems.NotFound("clinic", clinicId);
                case PatientStore.Inserted.DuplicateExternalId:
                    return Problems.Conflict($"A patient with externalId '{patient.ExternalId}' already exists in this clinic.");
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "patient.created", "patient", patient.Id, patient.Id, 1, now));
            return TypedResults.Created($"/v1/clinics/{clinicId}/patients/{patient.Id}", patient);
        }, cancellationToken);
    }

    private static async Task<Results<Ok<Page<PatientResponse>>, ValidationProblem, ProblemHttpResult>> ListPatients(
        Guid clinicId, string? externalId, string? cursor, int? limit, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.CursorKey("cursor", cursor, Guid.Empty);

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await PatientStore.ListAsync(db, connection, clinicId, externalId, after, take + 1);
        return TypedResults.Ok(Cursor.Paginate(rows, take, p => p.Id.ToString(), p => p));
    }

    private static async Task<Results<Ok<PatientResponse>, ProblemHttpResult>> GetPatient(Guid clinicId, Guid patientId, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await PatientStore.FindAsync(connection, clinicId, patientId) is { } patient
            ? TypedResults.Ok(patient)
            : Problems.NotFound("patient", patientId);
    }
}
