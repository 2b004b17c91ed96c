using System.Security.Claims;
using Hl7.Fhir.Model;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Plans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KetamineScheduling.Api.Fhir;

/// <summary>
/// FHIR R4 at <c>/fhir/r4</c>: the same records and keys as <c>/v1</c>. A key sees only its clinic, which it names
/// by itself (no path does); a patient's app sees only its patient, as a SMART patient scope would, and whatever
/// it may not see answers 404 exactly as what does not exist. Platform admins read no patient data: 403.
/// </summary>
/// <remarks>
/// The routes are left out of the OpenAPI document: FHIR clients read the CapabilityStatement at
/// <c>/fhir/r4/metadata</c> instead, and the resources are FHIR's, defined by the specification rather than our
/// schemas. <see cref="FhirCapability"/> lists only what is mapped here.
/// </remarks>
internal static partial class FhirApi
{
    public static RouteGroupBuilder MapFhir(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(FhirWire.Base).WithTags("FHIR").ExcludeFromDescription().AddEndpointFilter(FhirWire.NegotiateAsync);

        group.MapGet("/metadata", GetCapabilityStatement).WithName("FhirCapabilityStatement").AllowAnonymous();

        group.MapGet("/Patient/{patientId:guid}", ReadPatient).WithName("FhirReadPatient")
            .Audited("patient", readsPatientData: true).AllowRoles(Roles.StaffClinicianAndPatientApp);
        group.MapGet("/Patient", SearchPatients).WithName("FhirSearchPatient")
            .Audited("patient", readsPatientData: true).AllowRoles(Roles.StaffClinicianAndPatientApp);

        group.MapGet("/Location/{chairId:guid}", ReadLocation).WithName("FhirReadLocation").AllowRoles(Roles.Staff);
        group.MapGet("/Location", SearchLocations).WithName("FhirSearchLocation").AllowRoles(Roles.Staff);
        group.MapGet("/Schedule/{chairId:guid}", ReadSchedule).WithName("FhirReadSchedule").AllowRoles(Roles.Staff);
        group.MapGet("/Schedule", SearchSchedules).WithName("FhirSearchSchedule").AllowRoles(Roles.Staff);
        group.MapGet("/Slot", SearchSlots).WithName("FhirSearchSlot").AllowRoles(Roles.Staff);

        group.MapGet("/Appointment/{sessionId:guid}", ReadAppointment).WithName("FhirReadAppointment")
            .Audited("session", readsPatientData: true).AllowRoles(Roles.StaffClinicianAndPatientApp);
        group.MapGet("/Appointment", SearchAppointments).WithName("FhirSearchAppointment")
            .Audited("session", readsPatientData: true).AllowRoles(Roles.StaffClinicianAndPatientApp);
        group.MapPost("/Appointment/$find", FindAppointments).WithName("FhirFindAppointments")
            .Audited("session", readsPatientData: true).AllowRoles(Roles.Staff);
        group.MapPost("/Appointment/$hold", HoldAppointment).WithName("FhirHoldAppointment")
            .Audited("reservation", readsPatientData: true).AllowRoles(Roles.Staff);
        group.MapPost("/Appointment/$book", BookAppointment).WithName("FhirBookAppointment")
            .Audited("session", readsPatientData: true).AllowRoles(Roles.Staff);

        group.MapGet("/Practitioner/{staffId:guid}", ReadPractitioner).WithName("FhirReadPractitioner").AllowRoles(Roles.StaffAndClinician);
        group.MapGet("/Practitioner", SearchPractitioners).WithName("FhirSearchPractitioner").AllowRoles(Roles.StaffAndClinician);

        group.MapGet("/Observation/{assessmentId:guid}", ReadObservation).WithName("FhirReadObservation")
            .Audited("assessment", readsPatientData: true).AllowRoles([.. Roles.Clinical, Roles.PatientApp]);
        group.MapGet("/Observation", SearchObservations).WithName("FhirSearchObservation")
            .Audited("assessment", readsPatientData: true).AllowRoles([.. Roles.Clinical, Roles.PatientApp]);

        group.MapGet("/CarePlan/{planId:guid}", ReadCarePlan).WithName("FhirReadCarePlan")
            .Audited("plan", readsPatientData: true).AllowRoles(Roles.StaffClinicianAndPatientApp);
        group.MapGet("/CarePlan", SearchCarePlans).WithName("FhirSearchCarePlan")
            .Audited("plan", readsPatientData: true).AllowRoles(Roles.StaffClinicianAndPatientApp);
        return group;
    }

    private static FhirResult GetCapabilityStatement(HttpRequest request) => new(FhirCapability.Statement(FhirWire.BaseUrl(request)), []);

    private static async Task<Results<FhirResult, NotFoundProblem>> ReadPatient(Guid patientId, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        await using var connection = await db.OpenAsync(cancellationToken);
        var (rows, _) = caller.MaySee(patientId) ? await FhirStore.PatientsAsync(connection, ClinicOf(caller), patientId, null, Guid.Empty, 1) : ([], 0);
        return rows is [var patient] ? new FhirResult(FhirMapping.Patient(patient), [patient.Id]) : NotFoundProblem.Of("patient", patientId);
    }

    private static async Task<Results<FhirResult, NotFoundProblem>> ReadLocation(Guid chairId, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await FhirStore.ChairsAsync(connection, ClinicOf(Caller.From(user)), chairId) is [var chair]
            ? new FhirResult(FhirMapping.Location(chair), [])
            : NotFoundProblem.Of("chair", chairId);
    }

    private static async Task<Results<FhirResult, NotFoundProblem>> ReadSchedule(Guid chairId, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await FhirStore.ChairsAsync(connection, ClinicOf(Caller.From(user)), chairId) is [var chair]
            ? new FhirResult(FhirMapping.Schedule(chair), [])
            : NotFoundProblem.Of("schedule", chairId);
    }

    private static async Task<Results<FhirResult, NotFoundProblem>> ReadAppointment(Guid sessionId, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        await using var connection = await db.OpenAsync(cancellationToken);
        return await FhirStore.SessionAsync(connection, ClinicOf(caller), sessionId) is { } session && caller.MaySee(session.PatientId)
            ? new FhirResult(FhirMapping.Appointment(session), [session.PatientId])
            : NotFoundProblem.Of("session", sessionId);
    }

    private static async Task<Results<FhirResult, NotFoundProblem>> ReadCarePlan(Guid planId, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var clinicId = ClinicOf(caller);
        await using var connection = await db.OpenAsync(cancellationToken);
        if (await PlanStore.FindAsync(connection, clinicId, planId) is not { } stored || !caller.MaySee(stored.Plan.PatientId))
        {
            return NotFoundProblem.Of("treatment plan", planId);
        }

        return new FhirResult((await CarePlansAsync(connection, clinicId, [stored]))[0], [stored.Plan.PatientId]);
    }

    /// <summary>The plans as CarePlans, with their sessions and last changes, in one query each.</summary>
    private static async Task<IReadOnlyList<CarePlan>> CarePlansAsync(System.Data.Common.DbConnection connection, Guid clinicId, IReadOnlyList<StoredPlan> plans)
    {
        var ids = plans.Select(p => p.Plan.Id).ToList();
        var sessions = await FhirStore.PlanSessionsAsync(connection, clinicId, ids);
        var updated = await FhirStore.PlanUpdatesAsync(connection, clinicId, ids);
        return [.. plans.Select(p => FhirMapping.CarePlan(p, updated[p.Plan.Id], sessions[p.Plan.Id]))];
    }

    /// <summary>The caller's clinic: every FHIR route but the CapabilityStatement refuses keys that have none (platform admins).</summary>
    private static Guid ClinicOf(Caller caller) =>
        caller.ClinicId ?? throw new InvalidOperationException("A FHIR route let in a key without a clinic; its roles are wrong.");
}
