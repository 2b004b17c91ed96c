using System.Security.Claims;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Domain.Clinical;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Fhir;

/// <summary>
/// Patients' assessments as survey Observations: read by id, searched by patient, code and date. A patient's app
/// reads only its own patient's; a code this server does not use matches nothing.
/// </summary>
internal static partial class FhirApi
{
    private static readonly IReadOnlyList<Instrument> AllInstruments = Enum.GetValues<Instrument>();

    private static async Task<Results<FhirResult, NotFoundProblem>> ReadObservation(Guid assessmentId, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var clinicId = ClinicOf(caller);
        await using var connection = await db.OpenAsync(cancellationToken);
        var (rows, _) = await FhirStore.AssessmentsAsync(connection, clinicId, new AssessmentSearch(assessmentId, caller.PatientId, AllInstruments, null, null, Guid.Empty), 1);
        if (rows is not [var assessment] || !caller.MaySee(assessment.PatientId))
        {
            return NotFoundProblem.Of("assessment", assessmentId);
        }

        var clinic = await ClinicStore.FindAsync(connection, clinicId) ?? throw new InvalidOperationException("A key's clinic always exists.");
        return new FhirResult(FhirMapping.Observation(assessment, clinic.Zone), [assessment.PatientId]);
    }

    private static async Task<Results<FhirResult, ValidationProblem, NotFoundProblem>> SearchObservations(HttpRequest request, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var clinicId = ClinicOf(caller);
        var search = new FhirSearch(request.Query, "patient", "code", "date");
        var patientId = search.Reference("patient", "Patient");
        var code = search.Single("code");
        var take = search.Count();
        var cursor = search.Cursor();
        var after = cursor.Length == 0 ? Guid.Empty : Guid.TryParse(cursor, out var key) ? key : Invalid(search, Guid.Empty);
        await using var connection = await db.OpenAsync(cancellationToken);
        var clinic = await ClinicStore.FindAsync(connection, clinicId) ?? throw new InvalidOperationException("A key's clinic always exists.");
        var (from, to) = search.Dates("date", clinic.Zone);
        if (!search.Validation.IsValid)
        {
            return search.Validation.Problem();
        }

        if (await MissingReferenceAsync(connection, caller, patientId, null) is { } missing)
        {
            return missing;
        }

        // Assessments keep the clinic's local time they were taken at: the range is compared in the clinic's zone.
        var instruments = code is null ? AllInstruments : [.. code.Split(',').Select(FhirMapping.InstrumentOf).OfType<Instrument>().Distinct()];
        LocalDateTime? localFrom = from == FhirStore.Earliest ? null : from.InZone(clinic.Zone).LocalDateTime;
        LocalDateTime? localTo = to == FhirStore.Latest ? null : to.InZone(clinic.Zone).LocalDateTime;
        var (rows, total) = instruments.Count == 0 || to <= from
            ? ([], 0)
            : await FhirStore.AssessmentsAsync(connection, clinicId, new AssessmentSearch(null, patientId ?? caller.PatientId, instruments, localFrom, localTo, after), take + 1);
        var bundle = FhirBundles.Page(request, search, rows, take, total, r => r.Id.ToString(), r => FhirMapping.Observation(r, clinic.Zone));
        return new FhirResult(bundle, [.. rows.Take(take).Select(r => r.PatientId).Distinct()]);
    }
}
