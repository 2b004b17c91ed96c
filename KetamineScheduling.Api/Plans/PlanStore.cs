using System.Collections.Immutable;
using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Plans;
using NodaTime;

namespace KetamineScheduling.Api.Plans;

/// <summary>Treatment plans and their planned sessions.</summary>
internal static class PlanStore
{
    private const string InsertPlan = """
        INSERT INTO treatment_plans (id, clinic_id, patient_id, status, start_date, preferred_start_time, infusion_minutes, observation_minutes,
            induction_sessions, induction_interval_days, induction_max_interval_days, induction_max_span_days,
            maintenance_sessions, maintenance_intervals, induction_interrupted, version, created_at, updated_at,
            indication_condition, indication_icd10, indication_note, prescriber_id, primary_measure)
        VALUES (@Id, @ClinicId, @PatientId, @Status, @StartDate, @PreferredStartTime, @InfusionMinutes, @ObservationMinutes,
            @InductionSessions, @InductionIntervalDays, @InductionMaxIntervalDays, @InductionMaxSpanDays,
            @MaintenanceSessions, @MaintenanceIntervals, @InductionInterrupted, 1, @Now, @Now,
            @IndicationCondition, @IndicationIcd10, @IndicationNote, @PrescriberId, @PrimaryMeasure)
        """;

    private const string InsertPlannedSession = """
        INSERT INTO planned_sessions (plan_id, sequence, phase, date, window_start, window_end)
        VALUES (@PlanId, @Sequence, @Phase, @Date, @WindowStart, @WindowEnd)
        """;

    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, TreatmentPlan plan, PlanClinical clinical, Instant now)
    {
        var protocol = plan.Protocol;
        await connection.ExecuteAsync(InsertPlan, new
        {
            plan.Id,
            ClinicId = clinicId,
            plan.PatientId,
            Status = plan.Status.ToString(),
            plan.StartDate,
            plan.PreferredStartTime,
            protocol.InfusionMinutes,
            protocol.ObservationMinutes,
            InductionSessions = protocol.Induction.Sessions,
            InductionIntervalDays = protocol.Induction.IntervalDays,
            InductionMaxIntervalDays = protocol.Induction.MaxIntervalDays,
            InductionMaxSpanDays = protocol.Induction.MaxSpanDays,
            MaintenanceSessions = protocol.Maintenance.Sessions,
            MaintenanceIntervals = string.Join(',', protocol.Maintenance.IntervalDays),
            plan.InductionInterrupted,
            Now = now,
            IndicationCondition = clinical.Indication?.Condition.Code(),
            IndicationIcd10 = clinical.Indication?.Icd10,
            IndicationNote = clinical.Indication?.Note,
            clinical.PrescriberId,
            PrimaryMeasure = clinical.PrimaryMeasure.Code(),
        }, transaction);
        await InsertPlannedAsync(connection, transaction, plan.Id, plan.Sessions);
    }

    /// <summary>Adds planned sessions to a plan.</summary>
    public static Task InsertPlannedAsync(DbConnection connection, DbTransaction transaction, Guid planId, IEnumerable<PlannedSession> sessions) =>
        connection.ExecuteAsync(InsertPlannedSession, sessions.Select(s => new
        {
            PlanId = planId,
            s.Sequence,
            Phase = s.Phase.ToString(),
            s.Date,
            WindowStart = s.Window.Start,
            WindowEnd = s.Window.End,
        }), transaction);

    private const string SelectPlanColumns = """
        SELECT id, clinic_id, patient_id, status, start_date, preferred_start_time, infusion_minutes, observation_minutes,
            induction_sessions, induction_interval_days, induction_max_interval_days, induction_max_span_days,
            maintenance_intervals, induction_interrupted, version,
            indication_condition, indication_icd10, indication_note, prescriber_id, primary_measure,
            intake_decision, intake_prescriber_id, intake_history_reviewed, intake_medications_reviewed, intake_consent_signed_on,
            intake_contraindications, intake_note, intake_decided_at, intake_decided_by_key_id
        FROM treatment_plans
        """;

    private const string SelectPlan = SelectPlanColumns + """
         WHERE clinic_id = @ClinicId AND id = @Id;
        SELECT plan_id, sequence, phase, date, window_start, window_end FROM planned_sessions WHERE plan_id = @Id ORDER BY sequence;
        """;

    /// <summary>The plan if it is in this clinic.</summary>
    public static async Task<StoredPlan?> FindAsync(DbConnection connection, Guid clinicId, Guid id, DbTransaction? transaction = null)
    {
        await using var results = await connection.QueryMultipleAsync(SelectPlan, new { ClinicId = clinicId, Id = id }, transaction);
        var row = await results.ReadSingleOrDefaultAsync<PlanRow>();
        var planned = await results.ReadAsync<PlannedRow>();
        return row?.ToStoredPlan(planned);
    }

    private const string SelectPlans = SelectPlanColumns + """
         WHERE clinic_id = @ClinicId AND id > @After AND (@PatientId IS NULL OR patient_id = @PatientId) AND (@Status IS NULL OR status = @Status)
         ORDER BY id
        """ + SqlDialect.TakeRows;

    // The planned sessions of exactly the page's plans: the same filter, bounded by the page's last id.
    private const string SelectPlannedSessions = """
        SELECT ps.plan_id, ps.sequence, ps.phase, ps.date, ps.window_start, ps.window_end
        FROM planned_sessions ps JOIN treatment_plans tp ON tp.id = ps.plan_id
        WHERE tp.clinic_id = @ClinicId AND tp.id > @After AND tp.id <= @Last
          AND (@PatientId IS NULL OR tp.patient_id = @PatientId) AND (@Status IS NULL OR tp.status = @Status)
        ORDER BY ps.plan_id, ps.sequence
        """;

    /// <summary>Plans in id order after <paramref name="after"/>, filtered by patient and status.</summary>
    public static async Task<IReadOnlyList<StoredPlan>> ListAsync(DbConnection connection, Guid clinicId, Guid? patientId, PlanStatus? status, Guid after, int take)
    {
        var filter = new
        {
            ClinicId = clinicId,
            PatientId = patientId,
            Status = status?.ToString(),
            After = after,
            Take = take,
        };
        var rows = (await connection.QueryAsync<PlanRow>(connection.Sql(SelectPlans), filter)).AsList();
        if (rows.Count == 0)
        {
            return [];
        }

        var planned = (await connection.QueryAsync<PlannedRow>(SelectPlannedSessions, new { filter.ClinicId, filter.PatientId, filter.Status, filter.After, Last = rows[^1].Id }))
            .ToLookup(p => p.PlanId);
        return rows.Select(r => r.ToStoredPlan(planned[r.Id])).ToList();
    }

    private const string UpdatePlan = """
        UPDATE treatment_plans SET status = @Status, induction_interrupted = @InductionInterrupted, version = version + 1, updated_at = @Now
        WHERE id = @Id AND version = @Version
        """;

    /// <summary>
    /// Saves a plan's status and induction flag if nobody changed it since <paramref name="version"/>; returns
    /// the new version, or null when the plan moved on meanwhile.
    /// </summary>
    public static async Task<int?> UpdateAsync(DbConnection connection, DbTransaction transaction, TreatmentPlan plan, int version, Instant now) =>
        await connection.ExecuteAsync(UpdatePlan, new { plan.Id, Status = plan.Status.ToString(), plan.InductionInterrupted, Version = version, Now = now }, transaction) == 1
            ? version + 1
            : null;

    private const string UpdateMaintenance = """
        UPDATE treatment_plans SET status = @Status, maintenance_sessions = @MaintenanceSessions, maintenance_intervals = @MaintenanceIntervals, version = version + 1, updated_at = @Now
        WHERE id = @Id AND version = @Version
        """;

    private const string DeletePlannedAfter = """
        DELETE FROM planned_sessions WHERE plan_id = @PlanId AND sequence > @Keep
        """;

    /// <summary>
    /// Saves <paramref name="plan"/>'s status, maintenance cycle and its planned sessions after <paramref name="keep"/> (those
    /// up to it stay as they are), if the plan is still at <paramref name="version"/>; the new version, or null when it moved on.
    /// </summary>
    public static async Task<int?> ReplaceMaintenanceAsync(DbConnection connection, DbTransaction transaction, TreatmentPlan plan, int keep, int version, Instant now)
    {
        var maintenance = plan.Protocol.Maintenance;
        if (await connection.ExecuteAsync(UpdateMaintenance, new
        {
            plan.Id,
            Status = plan.Status.ToString(),
            MaintenanceSessions = maintenance.Sessions,
            MaintenanceIntervals = string.Join(',', maintenance.IntervalDays),
            Version = version,
            Now = now,
        }, transaction) != 1)
        {
            return null;
        }

        await connection.ExecuteAsync(DeletePlannedAfter, new { PlanId = plan.Id, Keep = keep }, transaction);
        await InsertPlannedAsync(connection, transaction, plan.Id, plan.Sessions.Where(s => s.Sequence > keep));
        return version + 1;
    }

    private const string UpdateIntake = """
        UPDATE treatment_plans SET intake_decision = @Decision, intake_prescriber_id = @PrescriberId, intake_history_reviewed = @HistoryReviewed,
            intake_medications_reviewed = @MedicationsReviewed, intake_consent_signed_on = @ConsentSignedOn, intake_contraindications = @Contraindications,
            intake_note = @Note, intake_decided_at = @DecidedAt, intake_decided_by_key_id = @DecidedByKeyId, version = version + 1, updated_at = @DecidedAt
        WHERE id = @Id AND version = @Version
        """;

    /// <summary>Records the intake decision on a plan if it is still at <paramref name="version"/>; the new version, or null when it moved on.</summary>
    public static async Task<int?> SetIntakeAsync(DbConnection connection, DbTransaction transaction, Guid planId, PlanIntake intake, int version) =>
        await connection.ExecuteAsync(UpdateIntake, new
        {
            Id = planId,
            intake.Decision,
            intake.PrescriberId,
            intake.HistoryReviewed,
            intake.MedicationsReviewed,
            intake.ConsentSignedOn,
            Contraindications = ClinicalCodes.Join(intake.Contraindications),
            intake.Note,
            intake.DecidedAt,
            intake.DecidedByKeyId,
            Version = version,
        }, transaction) == 1
            ? version + 1
            : null;

    private const string SelectActivePlanIds = """
        SELECT id FROM treatment_plans WHERE clinic_id = @ClinicId AND patient_id = @PatientId AND status = @Active ORDER BY id
        """;

    /// <summary>The patient's plans that are under way (Active).</summary>
    public static async Task<IReadOnlyList<StoredPlan>> ActiveForPatientAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Guid patientId)
    {
        var ids = await connection.QueryAsync<Guid>(SelectActivePlanIds, new { ClinicId = clinicId, PatientId = patientId, Active = nameof(PlanStatus.Active) }, transaction);
        var plans = new List<StoredPlan>();
        foreach (var id in ids)
        {
            plans.Add((await FindAsync(connection, clinicId, id, transaction))!);
        }

        return plans;
    }

    private const string UpdatePlannedDate = """
        UPDATE planned_sessions SET date = @Date, window_start = @WindowStart, window_end = @WindowEnd
        WHERE plan_id = @PlanId AND sequence = @Sequence
        """;

    /// <summary>
    /// Records the dates <paramref name="moved"/> sessions now have as their plan's planned dates, so the plan shows
    /// the date actually used. Each window moves with its date, by the same days, and still starts at the date.
    /// Returns whether any planned date changed.
    /// </summary>
    public static async Task<bool> MovePlannedAsync(DbConnection connection, DbTransaction transaction, TreatmentPlan plan, IEnumerable<Domain.Sessions.Session> moved)
    {
        var planned = plan.Sessions.ToDictionary(p => p.Sequence);
        var updates = moved
            .Where(s => s.PlanId == plan.Id && s.Sequence is { } sequence && planned.ContainsKey(sequence))
            .Select(s =>
            {
                var was = planned[s.Sequence!.Value];
                var date = s.Start.Date;
                var end = was.Window.End.PlusDays(Period.DaysBetween(was.Date, date));
                return new { PlanId = plan.Id, Sequence = was.Sequence, Date = date, WindowStart = date, WindowEnd = end < date ? date : end };
            })
            .Where(u => u.Date != planned[u.Sequence].Date)
            .ToList();
        await connection.ExecuteAsync(UpdatePlannedDate, updates, transaction);
        return updates.Count > 0;
    }

    private sealed class PlanRow
    {
        public Guid Id { get; init; }

        public Guid ClinicId { get; init; }

        public Guid PatientId { get; init; }

        public string Status { get; init; } = "";

        public LocalDate StartDate { get; init; }

        public LocalTime PreferredStartTime { get; init; }

        public int InfusionMinutes { get; init; }

        public int ObservationMinutes { get; init; }

        public int InductionSessions { get; init; }

        public int InductionIntervalDays { get; init; }

        public int InductionMaxIntervalDays { get; init; }

        public int InductionMaxSpanDays { get; init; }

        public string MaintenanceIntervals { get; init; } = "";

        public bool InductionInterrupted { get; init; }

        public int Version { get; init; }

        public string? IndicationCondition { get; init; }

        public string? IndicationIcd10 { get; init; }

        public string? IndicationNote { get; init; }

        public Guid? PrescriberId { get; init; }

        public string? PrimaryMeasure { get; init; }

        public string? IntakeDecision { get; init; }

        public Guid? IntakePrescriberId { get; init; }

        public bool? IntakeHistoryReviewed { get; init; }

        public bool? IntakeMedicationsReviewed { get; init; }

        public LocalDate? IntakeConsentSignedOn { get; init; }

        public string? IntakeContraindications { get; init; }

        public string? IntakeNote { get; init; }

        public Instant? IntakeDecidedAt { get; init; }

        public Guid? IntakeDecidedByKeyId { get; init; }

        private PlanClinical Clinical() => new(
            IndicationCondition is null ? null : new Indication(Code<Condition>(IndicationCondition), IndicationIcd10, IndicationNote),
            PrescriberId,
            PrimaryMeasure is null ? Instrument.Phq9 : Code<Instrument>(PrimaryMeasure),
            IntakeDecision is null ? null : new PlanIntake(
                IntakeDecision == PlanIntake.ApprovedCode,
                IntakePrescriberId!.Value,
                IntakeHistoryReviewed == true,
                IntakeMedicationsReviewed == true,
                IntakeConsentSignedOn!.Value,
                ClinicalCodes.Split<Contraindication>(IntakeContraindications),
                IntakeNote,
                IntakeDecidedAt!.Value,
                IntakeDecidedByKeyId!.Value));

        private static TEnum Code<TEnum>(string code)
            where TEnum : struct, Enum =>
            WireCodes.TryParse<TEnum>(code, out var value) ? value : throw new InvalidOperationException($"'{code}' is not a {typeof(TEnum).Name}.");

        public StoredPlan ToStoredPlan(IEnumerable<PlannedRow> planned)
        {
            var protocol = new Protocol(
                InfusionMinutes,
                ObservationMinutes,
                new InductionCycle(InductionSessions, InductionIntervalDays, InductionMaxIntervalDays, InductionMaxSpanDays),
                new MaintenanceCycle(MaintenanceIntervals.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)));
            var sessions = planned.OrderBy(p => p.Sequence)
                .Select(p => new PlannedSession(p.Sequence, Enum.Parse<Phase>(p.Phase), p.Date, new DateInterval(p.WindowStart, p.WindowEnd)))
                .ToImmutableArray();
            return new StoredPlan(ClinicId, new TreatmentPlan(Id, PatientId, protocol, StartDate, PreferredStartTime, sessions, Enum.Parse<PlanStatus>(Status), InductionInterrupted), Version, Clinical());
        }
    }

    private sealed class PlannedRow
    {
        public Guid PlanId { get; init; }

        public int Sequence { get; init; }

        public string Phase { get; init; } = "";

        public LocalDate Date { get; init; }

        public LocalDate WindowStart { get; init; }

        public LocalDate WindowEnd { get; init; }
    }
}
