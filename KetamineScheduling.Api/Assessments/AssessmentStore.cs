using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Domain.Clinical;
using NodaTime;

namespace KetamineScheduling.Api.Assessments;

/// <summary>An assessment as stored: the patient's answers and their score.</summary>
internal sealed record StoredAssessment(
    Guid Id,
    Guid PatientId,
    Score Score,
    IReadOnlyList<int> Answers,
    LocalDateTime TakenAt,
    Guid? SessionId,
    AssessmentTiming? Timing,
    Instant RecordedAt,
    Guid RecordedByKeyId,
    Instant? RetractedAt = null,
    string? RetractReason = null)
{
    public CourseAssessment ToCourse() => new(Id, Score.Instrument, Score.Total, TakenAt, RetractedAt is not null);

    public AssessmentResponse ToResponse() => new(
        Id, PatientId, Score.Instrument.Code(), Answers, Score.Total, Score.Severity.Code(), [.. Score.RiskFlags.Select(f => f.Code())],
        TakenAt, SessionId, Timing?.Code(), RecordedAt, RetractedAt, RetractReason);
}

/// <summary>Patients' outcome measures.</summary>
internal static class AssessmentStore
{
    private const string InsertAssessment = """
        INSERT INTO assessments (id, clinic_id, patient_id, instrument, answers, total, severity, risk_flags, taken_at, session_id, timing,
            recorded_at, recorded_by_key_id, retracted_at, retract_reason)
        VALUES (@Id, @ClinicId, @PatientId, @Instrument, @Answers, @Total, @Severity, @RiskFlags, @TakenAt, @SessionId, @Timing,
            @RecordedAt, @RecordedByKeyId, NULL, NULL)
        """;

    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, StoredAssessment assessment) =>
        connection.ExecuteAsync(InsertAssessment, new
        {
            assessment.Id,
            ClinicId = clinicId,
            assessment.PatientId,
            Instrument = assessment.Score.Instrument.Code(),
            Answers = string.Join(',', assessment.Answers),
            assessment.Score.Total,
            Severity = assessment.Score.Severity.Code(),
            RiskFlags = ClinicalCodes.Join(assessment.Score.RiskFlags),
            assessment.TakenAt,
            assessment.SessionId,
            Timing = assessment.Timing?.Code(),
            assessment.RecordedAt,
            assessment.RecordedByKeyId,
        }, transaction);

    private const string Columns = """
        SELECT id, patient_id, instrument, answers, risk_flags, taken_at, session_id, timing, recorded_at, recorded_by_key_id, retracted_at, retract_reason
        FROM assessments
        """;

    private const string SelectAssessment = Columns + """

        WHERE clinic_id = @ClinicId AND patient_id = @PatientId AND id = @Id
        """;

    /// <summary>The patient's assessment, if it is in this clinic.</summary>
    public static async Task<StoredAssessment?> FindAsync(DbConnection connection, Guid clinicId, Guid patientId, Guid id, DbTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<AssessmentRow>(SelectAssessment, new { ClinicId = clinicId, PatientId = patientId, Id = id }, transaction))?.ToStored();

    private const string SelectPage = Columns + """

        WHERE clinic_id = @ClinicId AND patient_id = @PatientId AND id > @After
          AND (@Instrument IS NULL OR instrument = @Instrument) AND (@From IS NULL OR taken_at >= @From) AND (@To IS NULL OR taken_at < @To)
        ORDER BY id
        """ + SqlDialect.TakeRows;

    /// <summary>The patient's assessments in id order (the order they were recorded) after <paramref name="after"/>, filtered.</summary>
    public static async Task<IReadOnlyList<StoredAssessment>> ListAsync(
        DbConnection connection, Guid clinicId, Guid patientId, Instrument? instrument, LocalDateTime? from, LocalDateTime? to, Guid after, int take) =>
        (await connection.QueryAsync<AssessmentRow>(connection.Sql(SelectPage), new
        {
            ClinicId = clinicId,
            PatientId = patientId,
            Instrument = instrument?.Code(),
            From = from,
            To = to,
            After = after,
            Take = take,
        })).Select(r => r.ToStored()).ToList();

    private const string SelectForPatient = Columns + """

        WHERE clinic_id = @ClinicId AND patient_id = @PatientId AND instrument = @Instrument
        ORDER BY taken_at, id
        """;

    /// <summary>Every assessment of <paramref name="instrument"/> the patient has, retracted ones included, oldest first: what a course is judged from.</summary>
    public static async Task<IReadOnlyList<StoredAssessment>> OfInstrumentAsync(DbConnection connection, Guid clinicId, Guid patientId, Instrument instrument, DbTransaction? transaction = null) =>
        (await connection.QueryAsync<AssessmentRow>(SelectForPatient, new { ClinicId = clinicId, PatientId = patientId, Instrument = instrument.Code() }, transaction))
            .Select(r => r.ToStored()).ToList();

    // Retracting twice keeps the first retraction.
    private const string Retract = """
        UPDATE assessments SET retracted_at = @Now, retract_reason = @Reason
        WHERE clinic_id = @ClinicId AND patient_id = @PatientId AND id = @Id AND retracted_at IS NULL
        """;

    /// <summary>Marks an assessment as entered in error; false when it was already retracted (or is not there).</summary>
    public static async Task<bool> RetractAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Guid patientId, Guid id, string reason, Instant now) =>
        await connection.ExecuteAsync(Retract, new { ClinicId = clinicId, PatientId = patientId, Id = id, Reason = reason, Now = now }, transaction) == 1;

    private sealed class AssessmentRow
    {
        public Guid Id { get; init; }

        public Guid PatientId { get; init; }

        public string Instrument { get; init; } = "";

        public string Answers { get; init; } = "";

        public string RiskFlags { get; init; } = "";

        public LocalDateTime TakenAt { get; init; }

        public Guid? SessionId { get; init; }

        public string? Timing { get; init; }

        public Instant RecordedAt { get; init; }

        public Guid RecordedByKeyId { get; init; }

        public Instant? RetractedAt { get; init; }

        public string? RetractReason { get; init; }

        public StoredAssessment ToStored()
        {
            var answers = Answers.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var instrument = ClinicalCodes.Split<Instrument>(Instrument)[0];
            var score = Scoring.Score(instrument, answers).Score ?? throw new InvalidOperationException($"Assessment {Id} holds answers its instrument does not take.");
            AssessmentTiming? timing = Timing is null ? null : ClinicalCodes.Split<AssessmentTiming>(Timing)[0];
            return new StoredAssessment(Id, PatientId, score, answers, TakenAt, SessionId, timing, RecordedAt, RecordedByKeyId, RetractedAt, RetractReason);
        }
    }
}
