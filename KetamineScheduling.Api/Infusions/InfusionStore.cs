using System.Data.Common;
using Dapper;
using NodaTime;

namespace KetamineScheduling.Api.Infusions;

/// <summary>What was recorded in the chair for one session: each part null until it is recorded.</summary>
internal sealed record InfusionRecord(ReadinessBody? Readiness, InfusionBody? Infusion, DischargeBody? Discharge)
{
    public static readonly InfusionRecord None = new(null, null, null);
}

/// <summary>
/// The infusion record of each session, one row per session, beside the session's own row. Sessions read it with
/// themselves (see <c>SessionStore</c>); this store only writes it, in the transaction that changes the session.
/// </summary>
internal static class InfusionStore
{
    private const string UpdateRecord = """
        UPDATE infusion_records SET readiness = @Readiness, infusion = @Infusion, discharge = @Discharge, updated_at = @Now
        WHERE session_id = @SessionId
        """;

    private const string InsertRecord = """
        INSERT INTO infusion_records (session_id, clinic_id, patient_id, readiness, infusion, discharge, updated_at)
        VALUES (@SessionId, @ClinicId, @PatientId, @Readiness, @Infusion, @Discharge, @Now)
        """;

    /// <summary>
    /// Writes the whole record of a session. The caller has already moved the session's version on in
    /// <paramref name="transaction"/>, so no other writer can be between the update and the insert.
    /// </summary>
    public static async Task SaveAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Guid patientId, Guid sessionId, InfusionRecord record, Instant now)
    {
        var values = new
        {
            SessionId = sessionId,
            ClinicId = clinicId,
            PatientId = patientId,
            Readiness = record.Readiness is { } readiness ? InfusionWire.Serialize(readiness) : null,
            Infusion = record.Infusion is { } infusion ? InfusionWire.Serialize(infusion) : null,
            Discharge = record.Discharge is { } discharge ? InfusionWire.Serialize(discharge) : null,
            Now = now,
        };
        if (await connection.ExecuteAsync(UpdateRecord, values, transaction) == 0)
        {
            await connection.ExecuteAsync(InsertRecord, values, transaction);
        }
    }
}
