using System.Text.Json;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Domain.Clinical;
using NodaTime;

namespace KetamineScheduling.Api.Infusions;

/// <summary>
/// Between the JSON of readiness, infusion and discharge, where codes are strings such as <c>not-applicable</c>, and
/// the domain's clinical rules. Each reader adds every problem to a <see cref="Validation"/>, naming the field as
/// the request does (<c>vitals.systolic</c>, <c>adverseEvents[1]</c>).
/// </summary>
internal static class InfusionWire
{
    /// <summary>The API's own JSON rules, so what is stored reads back exactly as it was written.</summary>
    private static readonly JsonSerializerOptions Json = ClinicJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static string Serialize<T>(T part) => JsonSerializer.Serialize(part, Json);

    public static T? Deserialize<T>(string? json)
        where T : class => json is null ? null : JsonSerializer.Deserialize<T>(json, Json);

    /// <summary>The readiness a request records, or null with its problems added.</summary>
    public static ReadinessRecord? Read(ReadinessRequest request, Validation validation)
    {
        var pregnancy = validation.Code<PregnancyTest>("pregnancyTest", request.PregnancyTest);
        validation.Name("escortName", request.EscortName, 200);
        if (request.Vitals is null)
        {
            validation.Add("vitals", "Is required.");
            return null;
        }

        var record = new ReadinessRecord(request.FastingHours, request.RideHomeArranged, Blank(request.EscortName), ToDomain(request.Vitals), request.WeightKg, pregnancy);
        Add(validation, Readiness.Problems(record));
        return validation.IsValid ? record : null;
    }

    /// <summary>The record a stored readiness describes, to check again against the clinic's limits as they are now.</summary>
    public static ReadinessRecord ToDomain(ReadinessBody body) =>
        new(body.FastingHours, body.RideHomeArranged, body.EscortName, ToDomain(body.Vitals), body.WeightKg,
            WireCodes.TryParse<PregnancyTest>(body.PregnancyTest, out var test) ? test : null);

    public static ReadinessBody ToBody(ReadinessRecord record, ReadinessResult result, OffsetDateTime recordedAt, RecordedBy recordedBy) => new(
        record.FastingHours, record.RideHomeArranged, record.EscortName, ToBody(record.Vitals), record.WeightKg, record.PregnancyTest?.Code(),
        result.Ready, Failures(result), recordedAt, recordedBy);

    /// <summary>Who the caller is, as a record names who made it.</summary>
    public static RecordedBy By(Access.Caller caller) => new(caller.KeyId, caller.StaffId);

    public static IReadOnlyList<ReadinessFailureBody> Failures(ReadinessResult result) =>
        [.. result.Failures.Select(f => new ReadinessFailureBody(f.Check.Code(), f.Value, f.Limit))];

    /// <summary>
    /// The discharge a completion records, or null when the request records nothing at all (no body, or an empty
    /// one); problems are added to <paramref name="validation"/>. An Aldrete score under 9 is valid here: whether the
    /// patient may go home is the handler's 422, not a malformed entry. Its <see cref="DischargeBody.DischargedAt"/>
    /// is set when the session completes.
    /// </summary>
    public static DischargeBody? Read(CompleteSessionRequest? request, RecordedBy by, Validation validation)
    {
        if (request is null || request is { DischargeScore: null, VitalsAtDischarge: null, EscortConfirmed: null, AdverseEvents: null or [], Note: null })
        {
            return null;
        }

        if (request.DischargeScore is { } score && !Aldrete.IsInRange(score))
        {
            validation.Range("dischargeScore", score, Aldrete.MinScore, Aldrete.MaxScore);
        }

        if (request.VitalsAtDischarge is { } vitals)
        {
            Add(validation, ToDomain(vitals).Problems("vitalsAtDischarge"));
        }

        var events = request.AdverseEvents ?? [];
        if (events.Count > ClinicalCodes.AdverseEvents.Length)
        {
            validation.Add("adverseEvents", $"Must list each adverse event at most once: at most {ClinicalCodes.AdverseEvents.Length}.");
        }

        var recorded = new List<AdverseEvent>();
        for (var i = 0; i < events.Count && i < ClinicalCodes.AdverseEvents.Length; i++)
        {
            if (validation.Code<AdverseEvent>($"adverseEvents[{i}]", events[i]) is { } code)
            {
                if (recorded.Contains(code))
                {
                    validation.Add($"adverseEvents[{i}]", $"'{events[i]}' is listed twice.");
                }

                recorded.Add(code);
            }
        }

        validation.Text("note", request.Note, 2000);
        if (recorded.Contains(AdverseEvent.Other) && string.IsNullOrWhiteSpace(request.Note))
        {
            validation.Add("note", "Is required when adverseEvents lists other: say what happened.");
        }

        return validation.IsValid
            ? new DischargeBody(request.DischargeScore, request.VitalsAtDischarge, request.EscortConfirmed, [.. recorded.Select(e => e.Code())], Blank(request.Note), default, by)
            : null;
    }

    /// <summary>Adds the problems of readiness limits a clinic is created or changed with; null is none given.</summary>
    public static void Check(ReadinessLimitsRequest? request, Validation validation)
    {
        if (request is null)
        {
            return;
        }

        if (request.MinFastingHours is { } fasting && !ReadinessRecord.FastingHoursRange.Contains(fasting))
        {
            Add(validation, [ReadinessRecord.FastingHoursRange.Problem("readinessLimits.minFastingHours", fasting)]);
        }

        CheckLimit("readinessLimits.maxSystolic", request.MaxSystolic, Vitals.SystolicRange);
        CheckLimit("readinessLimits.maxDiastolic", request.MaxDiastolic, Vitals.DiastolicRange);
        CheckLimit("readinessLimits.maxHeartRate", request.MaxHeartRate, Vitals.HeartRateRange);
        CheckLimit("readinessLimits.minSpo2", request.MinSpo2, Vitals.Spo2Range);

        void CheckLimit(string field, int? value, EntryRange range)
        {
            if (value is { } v && !range.Contains(v))
            {
                Add(validation, [range.Problem(field, v)]);
            }
        }
    }

    /// <summary>The limits <paramref name="request"/> gives over <paramref name="baseline"/>'s; check them first with <see cref="Check"/>.</summary>
    public static ReadinessLimits Merge(ReadinessLimitsRequest? request, ReadinessLimits baseline) => request is null
        ? baseline
        : new ReadinessLimits(
            request.MinFastingHours ?? baseline.MinFastingHours,
            request.MaxSystolic ?? baseline.MaxSystolic,
            request.MaxDiastolic ?? baseline.MaxDiastolic,
            request.MaxHeartRate ?? baseline.MaxHeartRate,
            request.MinSpo2 ?? baseline.MinSpo2,
            request.RideHomeRequired ?? baseline.RideHomeRequired);

    public static ReadinessLimitsResponse ToBody(ReadinessLimits limits) =>
        new(limits.MinFastingHours, limits.MaxSystolic, limits.MaxDiastolic, limits.MaxHeartRate, limits.MinSpo2, limits.RideHomeRequired);

    public static ReadinessLimits ToDomain(ReadinessLimitsResponse body) =>
        new(body.MinFastingHours, body.MaxSystolic, body.MaxDiastolic, body.MaxHeartRate, body.MinSpo2, body.RideHomeRequired);

    private static Vitals ToDomain(VitalsBody body) => new(body.Systolic, body.Diastolic, body.HeartRate, body.Spo2);

    private static VitalsBody ToBody(Vitals vitals) => new() { Systolic = vitals.Systolic, Diastolic = vitals.Diastolic, HeartRate = vitals.HeartRate, Spo2 = vitals.Spo2 };

    private static void Add(Validation validation, IEnumerable<FieldProblem> problems)
    {
        foreach (var problem in problems)
        {
            validation.Add(problem.Field, problem.Message);
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
