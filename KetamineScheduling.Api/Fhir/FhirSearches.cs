using System.Globalization;
using System.Security.Claims;
using Hl7.Fhir.Utility;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Patients;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Api.Fhir;

/// <summary>
/// The searches. A reference parameter (<c>patient</c>, <c>location</c>, <c>actor</c>, <c>schedule</c>) that names
/// nothing in the caller's clinic, or another patient for a patient's app, answers 404 as <c>/v1</c> does for such
/// an id anywhere in a request; <c>_id</c> and <c>identifier</c> only filter, so what they do not find is an empty
/// searchset. A patient's app searches only its own patient's records.
/// </summary>
internal static partial class FhirApi
{
    /// <summary>The most days one Slot search may span.</summary>
    public const int MaxSlotDays = 31;

    /// <summary>Appointment statuses in FHIR's words, as our sessions take them; a code no session has matches none.</summary>
    private static readonly Dictionary<string, SessionStatus[]> AppointmentStatuses = new(StringComparer.Ordinal)
    {
        ["booked"] = [SessionStatus.Booked],
        ["checked-in"] = [SessionStatus.CheckedIn],
        ["fulfilled"] = [SessionStatus.Completed],
        ["cancelled"] = [SessionStatus.Cancelled],
        ["noshow"] = [SessionStatus.NoShow],
        ["proposed"] = [],
        ["pending"] = [],
        ["arrived"] = [SessionStatus.InInfusion],
        ["entered-in-error"] = [],
        ["waitlist"] = [],
    };

    private static readonly Dictionary<string, PlanStatus> CarePlanStatuses =
        Enum.GetValues<PlanStatus>().ToDictionary(s => FhirMapping.StatusOf(s).GetLiteral(), s => s, StringComparer.Ordinal);

    private static readonly Dictionary<string, bool> SlotStatuses = new(StringComparer.Ordinal) { ["busy"] = true, ["free"] = false };

    private static async Task<Results<FhirResult, ValidationProblem>> SearchPatients(HttpRequest request, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var search = new FhirSearch(request.Query, "_id", "identifier");
        var take = search.Count();
        var idText = search.Single("_id");
        var identifier = search.Single("identifier");
        var cursor = search.Cursor();
        var after = cursor.Length == 0 ? Guid.Empty : Guid.TryParse(cursor, out var key) ? key : Invalid(search, Guid.Empty);
        if (!search.Validation.IsValid)
        {
            return search.Validation.Problem();
        }

        // An id that is no id of ours, or an identifier of another system, matches nothing; so does another patient for a patient's app.
        var id = idText is null ? caller.PatientId : Guid.TryParse(idText, out var given) && caller.MaySee(given) ? given : (Guid?)null;
        var mrn = identifier is null ? null : FhirSearch.IdentifierValue(identifier, FhirMapping.MrnSystem);
        var none = (idText is not null && id is null) || (identifier is not null && mrn is null);
        await using var connection = await db.OpenAsync(cancellationToken);
        var (rows, total) = none ? ([], 0) : await FhirStore.PatientsAsync(connection, ClinicOf(caller), id, mrn, after, take + 1);
        var bundle = FhirBundles.Page(request, search, rows, take, total, r => r.Id.ToString(), FhirMapping.Patient);
        return new FhirResult(bundle, [.. rows.Take(take).Select(r => r.Id)]);
    }

    private static Task<Results<FhirResult, ValidationProblem, NotFoundProblem>> SearchLocations(HttpRequest request, ClaimsPrincipal user, Database db, CancellationToken cancellationToken) =>
        SearchChairsAsync(request, user, db, FhirMapping.Location, null, cancellationToken);

    private static Task<Results<FhirResult, ValidationProblem, NotFoundProblem>> SearchSchedules(HttpRequest request, ClaimsPrincipal user, Database db, CancellationToken cancellationToken) =>
        SearchChairsAsync(request, user, db, FhirMapping.Schedule, "actor", cancellationToken);

    /// <summary>The clinic's chairs as Locations or Schedules, oldest first; a Schedule search by <c>actor</c> gives the one of that chair's Location.</summary>
    private static async Task<Results<FhirResult, ValidationProblem, NotFoundProblem>> SearchChairsAsync(
        HttpRequest request, ClaimsPrincipal user, Database db, Func<ChairRow, Hl7.Fhir.Model.Resource> map, string? actor, CancellationToken cancellationToken)
    {
        var search = new FhirSearch(request.Query, actor is null ? [] : [actor]);
        var chairId = actor is null ? null : search.Reference(actor, "Location");
        var take = search.Count();
        var offset = Offset(search);
        if (!search.Validation.IsValid)
        {
            return search.Validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        var chairs = await FhirStore.ChairsAsync(connection, ClinicOf(Caller.From(user)), chairId);
        return chairId is { } missing && chairs.Count == 0
            ? NotFoundProblem.Of("chair", missing)
            : new FhirResult(FhirBundles.Page(request, search, chairs, offset, take, map), []);
    }

    private static async Task<Results<FhirResult, ValidationProblem, NotFoundProblem>> SearchSlots(
        HttpRequest request, ClaimsPrincipal user, Database db, Placement placement, IClock clock, CancellationToken cancellationToken)
    {
        var clinicId = ClinicOf(Caller.From(user));
        var search = new FhirSearch(request.Query, "schedule", "start", "status");
        var scheduleId = search.Reference("schedule", "Schedule");
        var statuses = search.Tokens("status", SlotStatuses);
        var take = search.Count();
        var offset = Offset(search);
        await using var connection = await db.OpenAsync(cancellationToken);
        var clinic = await ClinicStore.FindAsync(connection, clinicId) ?? throw new InvalidOperationException("A key's clinic always exists.");
        var (from, to) = search.Dates("start", clinic.Zone);
        if (!search.Has("start") || from == FhirStore.Earliest || to == FhirStore.Latest || to - from > Duration.FromDays(MaxSlotDays))
        {
            search.Validation.Add("start", $"Give both ends of the range, start=ge<date> and start=lt<date>, at most {MaxSlotDays} days apart.");
        }

        if (!search.Validation.IsValid)
        {
            return search.Validation.Problem();
        }

        var chairs = (await ChairStore.ListAsync(connection, clinicId)).Where(c => scheduleId is null || c.Id == scheduleId).ToList();
        if (scheduleId is { } wanted && chairs.Count == 0)
        {
            return NotFoundProblem.Of("schedule", wanted);
        }

        var slots = to <= from ? [] : await SlotsAsync(connection, clinic, chairs, new Interval(from, to), placement, clock.GetCurrentInstant());
        var shown = slots.Where(s => statuses is null || statuses.Contains(s.Status == Hl7.Fhir.Model.Slot.SlotStatus.Busy)).ToList();
        return new FhirResult(FhirBundles.Page(request, search, shown, offset, take, s => s), []);
    }

    /// <summary>
    /// The chairs' time starting within <paramref name="range"/>, by start then chair: busy from each booking's chair
    /// time (cleaning included) and each reservation live at <paramref name="now"/>, free for each start where the availability engine fits a session of the clinic's
    /// usual length (the default infusion and the clinic's observation), one slot step long.
    /// </summary>
    private static async Task<IReadOnlyList<Hl7.Fhir.Model.Slot>> SlotsAsync(
        System.Data.Common.DbConnection connection, Clinic clinic, IReadOnlyList<ChairResponse> chairs, Interval range, Placement placement, Instant now)
    {
        var dates = new DateInterval(range.Start.InZone(clinic.Zone).Date, (range.End - Duration.Epsilon).InZone(clinic.Zone).Date);
        var inService = chairs.Where(c => c.InService).Select(c => new Chair(c.Id, c.Name, c.InService)).ToList();
        var length = new SessionLength(Protocol.DefaultInfusionMinutes, clinic.ObservationMinutes, clinic.TurnoverMinutes);
        var (occupancy, free) = await SessionsApi.FreeStartsAsync(connection, clinic, inService, dates, length, placement, now);
        var step = Duration.FromMinutes(clinic.SlotMinutes);
        var busy = chairs.SelectMany(c => dates.SelectMany(d => occupancy.OnChair(c.Id, d)))
            .Select(b => (Start: b.Start, Chair: b.ChairId, Slot: FhirMapping.Slot(
                b.SessionId.ToString("N"), b.ChairId, busy: true, b.Start.InZone(clinic.Zone).ToOffsetDateTime(), b.ChairFreeAt.InZone(clinic.Zone).ToOffsetDateTime())));
        var open = free.Select(f => (Start: f.Start.ToInstant(), Chair: f.ChairId, Slot: FhirMapping.Slot(
            FhirMapping.FreeStartId(f.ChairId, f.Start), f.ChairId, busy: false, f.Start, f.Start.Plus(step))));
        return [.. busy.Concat(open).Where(s => range.Contains(s.Start)).OrderBy(s => s.Start).ThenBy(s => s.Chair).Select(s => s.Slot)];
    }

    private static async Task<Results<FhirResult, ValidationProblem, NotFoundProblem>> SearchAppointments(
        HttpRequest request, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var clinicId = ClinicOf(caller);
        var search = new FhirSearch(request.Query, "patient", "date", "status", "location", "_sort");
        var patientId = search.Reference("patient", "Patient");
        var chairId = search.Reference("location", "Location");
        var statuses = search.Tokens("status", AppointmentStatuses);
        if (search.Single("_sort") is { } sort && sort != "date")
        {
            search.Validation.Add("_sort", "Appointments sort by date, soonest first: _sort=date.");
        }

        var take = search.Count();
        var (afterStart, afterId) = AfterKey(search);
        await using var connection = await db.OpenAsync(cancellationToken);
        var clinic = await ClinicStore.FindAsync(connection, clinicId) ?? throw new InvalidOperationException("A key's clinic always exists.");
        var (from, to) = search.Dates("date", clinic.Zone);
        if (!search.Validation.IsValid)
        {
            return search.Validation.Problem();
        }

        if (await MissingReferenceAsync(connection, caller, patientId, chairId) is { } missing)
        {
            return missing;
        }

        var matching = statuses?.SelectMany(s => s).ToList() ?? [.. Enum.GetValues<SessionStatus>()];
        var (rows, total) = await FhirStore.SessionsAsync(connection, clinicId, new SessionSearch(patientId ?? caller.PatientId, chairId, matching, from, to, afterStart, afterId), take + 1);
        var bundle = FhirBundles.Page(request, search, rows, take, total, r => $"{InstantPattern.ExtendedIso.Format(r.StartUtc)}|{r.Id}", FhirMapping.Appointment);
        return new FhirResult(bundle, [.. rows.Take(take).Select(r => r.PatientId).Distinct()]);
    }

    private static async Task<Results<FhirResult, ValidationProblem, NotFoundProblem>> SearchCarePlans(
        HttpRequest request, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var clinicId = ClinicOf(caller);
        var search = new FhirSearch(request.Query, "patient", "status");
        var patientId = search.Reference("patient", "Patient");
        var statuses = search.Tokens("status", CarePlanStatuses);
        if (statuses is { Count: > 1 })
        {
            search.Validation.Add("status", "Give one status at a time.");
        }

        var take = search.Count();
        var cursor = search.Cursor();
        var after = cursor.Length == 0 ? Guid.Empty : Guid.TryParse(cursor, out var key) ? key : Invalid(search, Guid.Empty);
        if (!search.Validation.IsValid)
        {
            return search.Validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        if (await MissingReferenceAsync(connection, caller, patientId, null) is { } missing)
        {
            return missing;
        }

        var patient = patientId ?? caller.PatientId;
        PlanStatus? status = statuses is [var one] ? one : null;
        var plans = await PlanStore.ListAsync(connection, clinicId, patient, status, after, take + 1);
        var total = await FhirStore.CountPlansAsync(connection, clinicId, patient, [.. (status is { } s ? [s] : Enum.GetValues<PlanStatus>()).Select(s => s.ToString())]);
        var carePlans = (await CarePlansAsync(connection, clinicId, [.. plans.Take(take)])).ToDictionary(c => c.Id!);
        var bundle = FhirBundles.Page(request, search, plans, take, total, p => p.Plan.Id.ToString(), p => carePlans[p.Plan.Id.ToString()]);
        return new FhirResult(bundle, [.. plans.Take(take).Select(p => p.Plan.PatientId).Distinct()]);
    }

    /// <summary>A 404 for a referenced patient or chair that is not in the caller's clinic, or a patient a patient's app may not see.</summary>
    private static async Task<NotFoundProblem?> MissingReferenceAsync(System.Data.Common.DbConnection connection, Caller caller, Guid? patientId, Guid? chairId)
    {
        var clinicId = ClinicOf(caller);
        if (patientId is { } patient && (!caller.MaySee(patient) || await PatientStore.FindAsync(connection, clinicId, patient) is null))
        {
            return NotFoundProblem.Of("patient", patient);
        }

        return chairId is { } chair && await ChairStore.FindAsync(connection, clinicId, chair) is null ? NotFoundProblem.Of("chair", chair) : null;
    }

    /// <summary>The offset a computed list's cursor holds.</summary>
    private static int Offset(FhirSearch search)
    {
        var cursor = search.Cursor();
        return cursor.Length == 0 ? 0 : int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : Invalid(search, 0);
    }

    /// <summary>The last start and id an Appointment page sent, from its cursor.</summary>
    private static (Instant Start, Guid Id) AfterKey(FhirSearch search)
    {
        var cursor = search.Cursor();
        if (cursor.Length == 0)
        {
            return (FhirStore.Earliest - Duration.Epsilon, Guid.Empty);
        }

        var parts = cursor.Split('|');
        if (parts.Length == 2 && InstantPattern.ExtendedIso.Parse(parts[0]) is { Success: true } start && Guid.TryParse(parts[1], out var id))
        {
            return (start.Value, id);
        }

        return Invalid(search, (FhirStore.Earliest, Guid.Empty));
    }

    /// <summary>Notes a cursor this server did not make, and answers <paramref name="unused"/>: the search answers 400 and never reads it.</summary>
    private static T Invalid<T>(FhirSearch search, T unused)
    {
        search.Validation.Add(FhirSearch.CursorParameter, "Is not a cursor this server returned; follow the Bundle's next link.");
        return unused;
    }
}
