using System.Data.Common;
using Dapper;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Chairs;

/// <summary>A clinic's infusion chairs.</summary>
internal static class ChairStore
{
    // Inserting through a SELECT on clinics makes an unknown clinic insert nothing, in one statement.
    private const string InsertChair = """
        INSERT INTO chairs (id, clinic_id, name, created_at)
        SELECT @Id, id, @Name, @Now FROM clinics WHERE id = @ClinicId
        """;

    /// <summary>Adds a chair; false when the clinic does not exist.</summary>
    public static async Task<bool> InsertAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, ChairResponse chair, Instant now) =>
        await connection.ExecuteAsync(InsertChair, new { chair.Id, chair.Name, Now = now, ClinicId = clinicId }, transaction) == 1;

    private const string SelectChairs = """
        SELECT id, name FROM chairs WHERE clinic_id = @ClinicId ORDER BY created_at, id
        """;

    /// <summary>The clinic's chairs, oldest first: the order placement tries them in.</summary>
    public static async Task<IReadOnlyList<Chair>> ListAsync(DbConnection connection, Guid clinicId, DbTransaction? transaction = null) =>
        (await connection.QueryAsync<ChairRow>(SelectChairs, new { ClinicId = clinicId }, transaction)).Select(r => new Chair(r.Id, r.Name)).ToList();

    private const string SelectChair = """
        SELECT id, name FROM chairs WHERE clinic_id = @ClinicId AND id = @Id
        """;

    /// <summary>The chair if it is in this clinic.</summary>
    public static async Task<Chair?> FindAsync(DbConnection connection, Guid clinicId, Guid id, DbTransaction? transaction = null) =>
        await connection.QuerySingleOrDefaultAsync<ChairRow>(SelectChair, new { ClinicId = clinicId, Id = id }, transaction) is { } row
            ? new Chair(row.Id, row.Name)
            : null;

    private sealed class ChairRow
    {
        public Guid Id { get; init; }

        public string Name { get; init; } = "";
    }
}
