using System.Collections.Immutable;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;

namespace KetamineScheduling.Api.Plans;

/// <summary>The sessions booked for a plan's planned sessions.</summary>
internal static class PlanSessions
{
    /// <summary>
    /// The plan's sessions that still hold (or held) their chair, booked, checked in or completed, by their
    /// planned sequence: what counts as booked or held for planning and placing the rest.
    /// </summary>
    public static async Task<IReadOnlyDictionary<int, SessionRow>> LiveAsync(System.Data.Common.DbConnection connection, Guid clinicId, Guid planId, System.Data.Common.DbTransaction? transaction = null) =>
        (await SessionStore.ForPlanAsync(connection, clinicId, planId, transaction))
            .Where(s => s.Sequence is not null && Enum.Parse<SessionStatus>(s.Status).HoldsChair())
            .GroupBy(s => s.Sequence!.Value)
            .ToDictionary(g => g.Key, g => g.First());
}

/// <summary>A treatment plan as stored: the domain plan, its clinic and its version.</summary>
internal sealed record StoredPlan(Guid ClinicId, TreatmentPlan Plan, int Version, PlanClinical Clinical)
{
    public PlanResponse ToResponse(IReadOnlyList<SessionRow> booked)
    {
        var protocol = Plan.Protocol;
        var intervals = protocol.Maintenance.IntervalDays;
        var bySequence = booked.Where(s => s.Sequence is not null).GroupBy(s => s.Sequence!.Value)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(s => Enum.Parse<SessionStatus>(s.Status).HoldsChair()).First());
        return new PlanResponse(
            Plan.Id,
            Plan.PatientId,
            Plan.Status,
            Plan.StartDate,
            Plan.PreferredStartTime,
            protocol.InfusionMinutes,
            protocol.ObservationMinutes,
            new InductionResponse(protocol.Induction.Sessions, protocol.Induction.IntervalDays, protocol.Induction.MaxIntervalDays, protocol.Induction.MaxSpanDays),
            new MaintenanceResponse(intervals.Length, intervals.Distinct().Count() == 1 ? intervals[0] : null, intervals),
            Plan.InductionInterrupted,
            Version,
            Plan.Sessions.Select(p => new PlannedSessionResponse(
                p.Sequence, p.Phase, p.Date, p.Window.Start, p.Window.End,
                bySequence.TryGetValue(p.Sequence, out var s) ? s.ToResponse() : null)).ToImmutableArray(),
            Clinical.Indication is { } i ? new IndicationResponse(i.Condition.Code(), i.Icd10, i.Note) : null,
            Clinical.PrescriberId,
            Clinical.PrimaryMeasure.Code(),
            Clinical.Intake is { } intake
                ? new IntakeResponse(intake.Decision, intake.PrescriberId, intake.HistoryReviewed, intake.MedicationsReviewed, intake.ConsentSignedOn,
                    [.. intake.Contraindications.Select(c => c.Code())], intake.Note, intake.DecidedAt, intake.DecidedByKeyId)
                : null);
    }
}
