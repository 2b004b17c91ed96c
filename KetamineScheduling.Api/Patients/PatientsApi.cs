using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
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

/// <summary>Changes to a patient, in the manner of a JSON merge patch: a property left out (or null) keeps its value.</summary>
/// <param name="ExternalId">A new EHR identifier; still unique within the clinic.</param>
/// <param name="DisplayName">A new name as staff see it.</param>
public sealed record UpdatePatientRequest(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExternalId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DisplayName = null);

/// <summary>A patient of the clinic.</summary>
/// <param name="Id">The patient's id.</param>
/// <param name="ExternalId">The EHR's identifier for the patient; unique within the clinic.</param>
/// <param name="DisplayName">How staff see the patient's name.</param>
/// <param name="Version">Changes with every update; sent as the ETag.</param>
public sealed record PatientResponse(Guid Id, [property: MaxLength(100)] string ExternalId, [property: MaxLength(200)] string DisplayName, [property: Range(1, int.MaxValue)] int Version = 1) : IVersioned, IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [Id];
}

/// <summary>Routes for a clinic's patients.</summary>
internal static class PatientsApi
{
    public static RouteGroupBuilder MapPatients(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/patients").WithTags("Patients").Audited("patient", readsPatientData: true);
        group.WithETags();

        group.MapPost("/", CreatePatient)
            .Describe("CreatePatient", "Register a patient under the EHR's identifier")
            .AllowRoles(Roles.ClinicAdminAndIntegration);
        group.MapGet("/", ListPatients)
            .Describe("ListPatients", "List patients, optionally finding one by its EHR identifier")
            .AllowRoles(Roles.StaffAndClinician);
        group.MapGet("/{patientId:guid}", GetPatient)
            .Describe("GetPatient", "Get one patient")
            .AllowRoles(Roles.StaffAndClinician);
        group.MapPatch("/{patientId:guid}", UpdatePatient)
            .Describe("UpdatePatient", "Correct a patient's EHR identifier or name")
            .AllowRoles(Roles.ClinicAdminAndIntegration);
        return group;
    }

    private static async Task<Results<Created<PatientResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> CreatePatient(
        Guid clinicId, CreatePatientRequest request, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = Validate(request.ExternalId, request.DisplayName, creating: true);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var patient = new PatientResponse(Guid.CreateVersion7(), request.ExternalId.Trim(), request.DisplayName.Trim());
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Created<PatientResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>>(async (connection, transaction) =>
        {
            switch (await PatientStore.InsertAsync(connection, transaction, clinicId, patient, now))
            {
                case RowWritten.NoRow:
                    return NotFoundProblem.Of("clinic", clinicId);
                case RowWritten.Duplicate:
                    return DuplicateExternalId(patient.ExternalId);
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "patient.created", "patient", patient.Id, patient.Id, 1, now));
            return TypedResults.Created($"/v1/clinics/{clinicId}/patients/{patient.Id}", patient);
        }, cancellationToken);
    }

    private static async Task<Results<Ok<Page<PatientResponse>>, ValidationProblem>> ListPatients(
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
        var rows = await PatientStore.ListAsync(connection, clinicId, externalId, after, take + 1);
        return TypedResults.Ok(Cursor.Paginate(rows, take, p => p.Id.ToString(), p => p));
    }

    private static async Task<Results<Ok<PatientResponse>, NotFoundProblem>> GetPatient(Guid clinicId, Guid patientId, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await PatientStore.FindAsync(connection, clinicId, patientId) is { } patient
            ? TypedResults.Ok(patient)
            : NotFoundProblem.Of("patient", patientId);
    }

    private static async Task<Results<Ok<PatientResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, IfMatchProblem>> UpdatePatient(
        Guid clinicId, Guid patientId, UpdatePatientRequest request, IfMatch ifMatch, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = Validate(request.ExternalId, request.DisplayName, creating: false);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<PatientResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, IfMatchProblem>>(async (connection, transaction) =>
        {
            if (await PatientStore.FindAsync(connection, clinicId, patientId, transaction) is not { } patient)
            {
                return NotFoundProblem.Of("patient", patientId);
            }

            if (ifMatch.Refusal(patient.Version) is { } refusal)
            {
                return refusal;
            }

            var changed = patient with
            {
                ExternalId = request.ExternalId?.Trim() ?? patient.ExternalId,
                DisplayName = request.DisplayName?.Trim() ?? patient.DisplayName,
                Version = patient.Version + 1,
            };
            switch (await PatientStore.UpdateAsync(connection, transaction, clinicId, changed, patient.Version))
            {
                case RowWritten.NoRow:
                    throw new ConflictException("The patient changed while it was being updated; fetch it and try again.");
                case RowWritten.Duplicate:
                    return DuplicateExternalId(changed.ExternalId);
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "patient.updated", "patient", patientId, patientId, changed.Version, now));
            return TypedResults.Ok(changed);
        }, cancellationToken);
    }

    /// <summary>Checks the fields a patient is created with, or those a change gives (a null one is left out).</summary>
    private static Validation Validate(string? externalId, string? displayName, bool creating)
    {
        var validation = new Validation();
        if (creating || externalId is not null)
        {
            validation.Required("externalId", externalId).Name("externalId", externalId, 100);
        }

        if (creating || displayName is not null)
        {
            validation.Required("displayName", displayName).Name("displayName", displayName, 200);
        }

        return validation;
    }

    private static ConflictProblem DuplicateExternalId(string externalId) =>
        ConflictProblem.Of($"A patient with externalId '{externalId}' already exists in this clinic.");
}
