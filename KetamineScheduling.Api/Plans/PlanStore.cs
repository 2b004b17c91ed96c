using System.Collections.Immutable;
using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Domain.Plans;
using NodaTime;

namespace KetamineScheduling.Api.Plans;

/// <summary>Treatment plans and their planned sessions.</summary>
internal static class PlanStore
{
    private const string InsertPlan = """
        INSERT INTO treatment_plans (id, clinic_id, patient_id, status, start_date, preferred_start_time, infusion_minutes, observation_minutes,
            induction_sessions, induction_interval_days, induction_max_interval_days, induction_max_span_days,
            maintenance_sessions, maintenance_intervals, induction_interrupted, version, created_at, updated_at)
        VALUES (@Id, @ClinicId, @PatientId, @Status, @StartDate, @PreferredStartTime, @InfusionMinutes, @ObservationMinutes,
            @InductionSessions, @InductionIntervalDays, @InductionMaxIntervalDays, @InductionMaxSpanDays,
            @MaintenanceSessions, @MaintenanceIntervals, @InductionInterrupted, 1, @Now, @Now)
        """;

    private const string InsertPlannedSession = """
        INSERT INTO planned_sessions (plan_id, sequence, phase, date, window_start, window_end)
        VALUES (@PlanId, @Sequence, @Phase, @Date, @WindowStart, @WindowEnd)
        """;

    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, TreatmentPlan plan, Instant now)
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
        }, transaction);
        await connection.ExecuteAsync(InsertPlannedSession, plan.Sessions.Select(s => new
        {
            PlanId = plan.Id,
            s.Sequence,
            Phase = s.Phase.ToString(),
            s.Date,
            WindowStart = s.Window.Start,
            WindowEnd = s.Window.End,
        }), transaction);
    }

    private const string SelectPlanColumns = """
        SELECT id, clinic_id, patient_id, status, start_date, preferred_start_time, infusion_minutes, observation_minutes,
            induction_sessions, induction_interval_days, induction_max_interval_days, induction_max_span_days,
            maintenance_intervals, induction_interrupted, version
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
            return new StoredPlan(ClinicId, new TreatmentPlan(Id, PatientId, protocol, StartDate, PreferredStartTime, sessions, Enum.Parse<PlanStatus>(Status), InductionInterrupted), Version);
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
