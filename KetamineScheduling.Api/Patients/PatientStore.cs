using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using NodaTime;

namespace KetamineScheduling.Api.Patients;

/// <summary>A clinic's patients.</summary>
internal static class PatientStore
{
    /// <summary>What inserting a patient did.</summary>
    public enum Inserted
    {
        Created,
        NoClinic,
        DuplicateExternalId,
    }

    private const string InsertPatient = """
        INSERT INTO patients (id, clinic_id, external_id, display_name, created_at)
        SELECT @Id, id, @ExternalId, @DisplayName, @Now FROM clinics WHERE id = @ClinicId
        """;

    public static async Task<Inserted> InsertAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, PatientResponse patient, Instant now)
    {
        try
        {
            var rows = await connection.ExecuteAsync(InsertPatient, new { patient.Id, patient.ExternalId, patient.DisplayName, Now = now, ClinicId = clinicId }, transaction);
            return rows == 1 ? Inserted.Created : Inserted.NoClinic;
        }
        catch (DbException e) when (Database.IsUniqueViolation(e, out _))
        {
            return Inserted.DuplicateExternalId;
        }
    }

    private const string SelectPatient = """
        SELECT id, external_id, display_name FROM patients WHERE clinic_id = @ClinicId AND id = @Id
        """;

    /// <summary>The patient if it is in this clinic.</summary>
    public static async Task<PatientResponse?> FindAsync(DbConnection connection, Guid clinicId, Guid id, DbTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<PatientRow>(SelectPatient, new { ClinicId = clinicId, Id = id }, transaction))?.ToResponse();

    private const string SelectPatientsSqlite = """
        SELECT id, external_id, display_name FROM patients
        WHERE clinic_id = @ClinicId AND id > @After AND (@ExternalId IS NULL OR external_id = @ExternalId)
        ORDER BY id LIMIT @Take
        """;

    private const string SelectPatientsSqlServer = """
        SELECT TOP (@Take) id, external_id, display_name FROM patients
        WHERE clinic_id = @ClinicId AND id > @After AND (@ExternalId IS NULL OR external_id = @ExternalId)
        ORDER BY id
        """;

    public static async Task<IReadOnlyList<PatientResponse>> ListAsync(Database db, DbConnection connection, Guid clinicId, string? externalId, Guid after, int take) =>
        (await connection.QueryAsync<PatientRow>(db.Pick(SelectPatientsSqlite, SelectPatientsSqlServer), new { ClinicId = clinicId, ExternalId = externalId, After = after, Take = take }))
            .Select(r => r.ToResponse()).ToList();

    private sealed class PatientRow
    {
        public Guid Id { get; init; }

        public string ExternalId { get; init; } = "";

        public string DisplayName { get; init; } = "";

        public PatientResponse ToResponse() => new(Id, ExternalId, DisplayName);
    }
}
