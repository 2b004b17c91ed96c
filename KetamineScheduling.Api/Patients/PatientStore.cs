using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using NodaTime;

namespace KetamineScheduling.Api.Patients;

/// <summary>A clinic's patients.</summary>
internal static class PatientStore
{
    private const string InsertPatient = """
        INSERT INTO patients (id, clinic_id, external_id, display_name, version, created_at)
        SELECT @Id, id, @ExternalId, @DisplayName, 1, @Now FROM clinics WHERE id = @ClinicId
        """;

    /// <summary>Adds a patient; <see cref="RowWritten.NoRow"/> when the clinic does not exist, <see cref="RowWritten.Duplicate"/> when a patient has its external id.</summary>
    public static Task<RowWritten> InsertAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, PatientResponse patient, Instant now) =>
        connection.WriteRowAsync(InsertPatient, new { patient.Id, patient.ExternalId, patient.DisplayName, Now = now, ClinicId = clinicId }, transaction);

    private const string UpdatePatient = """
        UPDATE patients SET external_id = @ExternalId, display_name = @DisplayName, version = version + 1
        WHERE clinic_id = @ClinicId AND id = @Id AND version = @Version
        """;

    /// <summary>
    /// Saves a patient's external id and name if the patient is still at <paramref name="version"/>;
    /// <see cref="RowWritten.NoRow"/> when it moved on meanwhile, <see cref="RowWritten.Duplicate"/> when another patient has that id.
    /// </summary>
    public static Task<RowWritten> UpdateAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, PatientResponse patient, int version) =>
        connection.WriteRowAsync(UpdatePatient, new { patient.Id, patient.ExternalId, patient.DisplayName, ClinicId = clinicId, Version = version }, transaction);

    private const string SelectPatient = """
        SELECT id, external_id, display_name, version FROM patients WHERE clinic_id = @ClinicId AND id = @Id
        """;

    /// <summary>The patient if it is in this clinic.</summary>
    public static async Task<PatientResponse?> FindAsync(DbConnection connection, Guid clinicId, Guid id, DbTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<PatientRow>(SelectPatient, new { ClinicId = clinicId, Id = id }, transaction))?.ToResponse();

    private const string SelectPatients = """
        SELECT id, external_id, display_name, version FROM patients
        WHERE clinic_id = @ClinicId AND id > @After AND (@ExternalId IS NULL OR external_id = @ExternalId)
        ORDER BY id
        """ + SqlDialect.TakeRows;

    public static async Task<IReadOnlyList<PatientResponse>> ListAsync(DbConnection connection, Guid clinicId, string? externalId, Guid after, int take) =>
        (await connection.QueryAsync<PatientRow>(connection.Sql(SelectPatients), new { ClinicId = clinicId, ExternalId = externalId, After = after, Take = take }))
            .Select(r => r.ToResponse()).ToList();

    private sealed class PatientRow
    {
        public Guid Id { get; init; }

        public string ExternalId { get; init; } = "";

        public string DisplayName { get; init; } = "";

        public int Version { get; init; }

        public PatientResponse ToResponse() => new(Id, ExternalId, DisplayName, Version);
    }
}
