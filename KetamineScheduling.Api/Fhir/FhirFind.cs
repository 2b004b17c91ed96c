using System.Security.Claims;
using Hl7.Fhir.Model;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using Duration = NodaTime.Duration;
using Instant = NodaTime.Instant;

namespace KetamineScheduling.Api.Fhir;

/// <summary>The IHE ITI Scheduling operations (ITI-115 $find).</summary>
internal static partial class FhirApi
{
    /// <summary>The input parameters $find reads (IHE's OperationDefinition appointment-find); others are refused.</summary>
    public static readonly string[] FindParameters = ["start", "end", "patient-reference", "location-reference", "_count", "minutes-duration"];

    /// <summary>
    /// $find (ITI-115): the free chair starts from <c>start</c> to <c>end</c> (at most 31 days) as a searchset of
    /// <c>proposed</c> Appointments, soonest first, with the total. Each is for the clinic's usual session, the
    /// default infusion and the clinic's observation, or <c>minutes-duration</c> minutes of patient time; on the
    /// <c>location-reference</c> chairs when given; and, for a <c>patient-reference</c>, only when that patient is
    /// free too. A live hold ($hold, or a reservation) is never offered. A date as <c>start</c> is the start of that day in the clinic's zone; as <c>end</c>, its end.
    /// </summary>
    private static async Task<Results<FhirResult, ValidationProblem, NotFoundProblem>> FindAppointments(
        HttpRequest request, ClaimsPrincipal user, Database db, Placement placement, IClock clock, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var clinicId = ClinicOf(caller);
        var validation = new Validation();
        var (parameters, error) = await FhirWire.ReadAsync<Parameters>(request);
        if (parameters is null)
        {
            return validation.Add("Parameters", $"The body must be a FHIR Parameters resource: {error}").Problem();
        }

        foreach (var unknown in parameters.Parameter.Select(p => p.Name ?? "").Where(n => !FindParameters.Contains(n, StringComparer.Ordinal)).Distinct())
        {
            validation.Add(unknown, $"$find does not take '{unknown}'; it takes {string.Join(", ", FindParameters)}.");
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        var clinic = await ClinicStore.FindAsync(connection, clinicId) ?? throw new InvalidOperationException("A key's clinic always exists.");
        var from = Moment(validation, parameters, "start", clinic.Zone, end: false);
        var to = Moment(validation, parameters, "end", clinic.Zone, end: true);
        if (from is { } f && to is { } t && (t <= f || t - f > Duration.FromDays(MaxSlotDays)))
        {
            validation.Add("end", $"Must be after start, and at most {MaxSlotDays} days after it.");
        }

        var patients = References(validation, parameters, "patient-reference", "Patient");
        if (patients.Count > 1)
        {
            validation.Add("patient-reference", "Give one patient: group appointments are not offered.");
        }

        var locations = References(validation, parameters, "location-reference", "Location");
        var count = Integer(validation, parameters, "_count", 0, FhirSearch.MaxCount) ?? FhirSearch.DefaultCount;
        var minutes = Integer(validation, parameters, "minutes-duration", Protocol.MinInfusionMinutes + clinic.ObservationMinutes, Protocol.MaxInfusionMinutes + clinic.ObservationMinutes);
        if (!validation.IsValid || from is not { } start || to is not { } end)
        {
            return validation.Problem();
        }

        var patientId = patients.Count == 0 ? (Guid?)null : patients[0];
        if (await MissingReferenceAsync(connection, caller, patientId, null) is { } missing)
        {
            return missing;
        }

        foreach (var location in locations)
        {
            if (await ChairStore.FindAsync(connection, clinicId, location) is null)
            {
                return NotFoundProblem.Of("chair", location);
            }
        }

        var wanted = (await ChairStore.InServiceAsync(connection, clinicId)).Where(c => locations.Count == 0 || locations.Contains(c.Id)).ToList();
        var length = new SessionLength(minutes is { } total ? total - clinic.ObservationMinutes : Protocol.DefaultInfusionMinutes, clinic.ObservationMinutes, clinic.TurnoverMinutes);
        var dates = new DateInterval(start.InZone(clinic.Zone).Date, (end - Duration.Epsilon).InZone(clinic.Zone).Date);
        var (occupancy, free) = await SessionsApi.FreeStartsAsync(connection, clinic, wanted, dates, length, placement, clock.GetCurrentInstant());
        var offers = free
            .Where(s => s.Start.ToInstant() >= start && s.Start.ToInstant() < end)
            .Where(s => patientId is not { } patient || occupancy.PatientIsFree(new Booking(
                Guid.Empty, s.ChairId, patient, s.Start.Date, s.Start.ToInstant(), s.Start.ToInstant() + length.WithPatient, s.Start.ToInstant() + length.ChairTime)))
            .ToList();
        var proposed = offers.Take(count).Select(s => FhirMapping.Proposed(FhirMapping.FreeStartId(s.ChairId, s.Start), s.ChairId, patientId, s.Start, s.End));
        return new FhirResult(FhirBundles.Searchset(request, proposed, offers.Count, null), patientId is { } p ? [p] : []);
    }

    private static IEnumerable<DataType> Values(Parameters parameters, string name) =>
        parameters.Parameter.Where(p => p.Name == name).Select(p => p.Value).OfType<DataType>();

    /// <summary>A required date, dateTime or instant parameter as an instant; a date stands for its day's start, or its end when <paramref name="end"/>.</summary>
    private static Instant? Moment(Validation validation, Parameters parameters, string name, DateTimeZone zone, bool end)
    {
        var values = Values(parameters, name).ToList();
        var text = values is [var one] ? one switch
        {
            Date date => date.Value,
            FhirDateTime dateTime => dateTime.Value,
            Hl7.Fhir.Model.Instant instant => instant.Value?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        } : null;
        if (text is not null && FhirSearch.Range(text, zone) is { } range)
        {
            return end && text.Length == 10 ? range.End : range.Start;
        }

        validation.Add(name, "Is required once, as valueDate (2027-05-03) or valueDateTime with its offset (2027-05-03T10:00:00+01:00), " + Dates.Range + ".");
        return null;
    }

    /// <summary>The ids of a reference parameter's values, each <c>{type}/{id}</c>.</summary>
    private static List<Guid> References(Validation validation, Parameters parameters, string name, string type)
    {
        var ids = new List<Guid>();
        foreach (var value in Values(parameters, name))
        {
            var reference = (value as ResourceReference)?.Reference;
            var prefix = type + "/";
            if (reference is not null && reference.StartsWith(prefix, StringComparison.Ordinal) && Guid.TryParse(reference[prefix.Length..], out var id))
            {
                ids.Add(id);
            }
            else
            {
                validation.Add(name, $"Must be a valueReference to a {type}: {{\"reference\": \"{type}/<id>\"}}.");
            }
        }

        return ids;
    }

    /// <summary>An optional integer parameter from <paramref name="min"/> to <paramref name="max"/>.</summary>
    private static int? Integer(Validation validation, Parameters parameters, string name, int min, int max)
    {
        var values = Values(parameters, name).ToList();
        if (values.Count == 0)
        {
            return null;
        }

        if (values is [Integer { Value: { } value }] && value >= min && value <= max)
        {
            return value;
        }

        validation.Add(name, $"Must be given once, as valueInteger from {min} to {max}.");
        return null;
    }
}
