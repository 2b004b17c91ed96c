using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Chairs;

/// <summary>A clinic's infusion chairs.</summary>
internal static class ChairStore
{
    // Inserting through a SELECT on clinics makes an unknown clinic insert nothing, in one statement.
    private const string InsertChair = """
        INSERT INTO chairs (id, clinic_id, name, in_service, version, created_at)
        SELECT @Id, id, @Name, @InService, 1, @Now FROM clinics WHERE id = @ClinicId
        """;

    /// <summary>Adds a chair; <see cref="RowWritten.NoRow"/> when the clinic does not exist, <see cref="RowWritten.Duplicate"/> when a chair has its name.</summary>
    public static Task<RowWritten> InsertAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, ChairResponse chair, Instant now) =>
        connection.WriteRowAsync(InsertChair, new { chair.Id, chair.Name, chair.InService, Now = now, ClinicId = clinicId }, transaction);

    private const string UpdateChair = """
        UPDATE chairs SET name = @Name, in_service = @InService, version = version + 1
        WHERE clinic_id = @ClinicId AND id = @Id AND version = @Version
        """;

    /// <summary>Saves a chair's name and service if it is still at <paramref name="version"/>; <see cref="RowWritten.NoRow"/> when it moved on meanwhile.</summary>
    public static Task<RowWritten> UpdateAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, ChairResponse chair, int version) =>
        connection.WriteRowAsync(UpdateChair, new { chair.Id, chair.Name, chair.InService, ClinicId = clinicId, Version = version }, transaction);

    private const string SelectChairs = """
        SELECT id, name, in_service, version FROM chairs WHERE clinic_id = @ClinicId ORDER BY created_at, id
        """;

    /// <summary>The clinic's chairs, oldest first: the order placement tries them in.</summary>
    public static async Task<IReadOnlyList<ChairResponse>> ListAsync(DbConnection connection, Guid clinicId, DbTransaction? transaction = null) =>
        (await connection.QueryAsync<ChairRow>(SelectChairs, new { ClinicId = clinicId }, transaction)).Select(r => r.ToResponse()).ToList();

    /// <summary>The clinic's chairs that take new bookings, oldest first: what placement and availability may use.</summary>
    public static async Task<IReadOnlyList<Chair>> InServiceAsync(DbConnection connection, Guid clinicId, DbTransaction? transaction = null) =>
        (await ListAsync(connection, clinicId, transaction)).Where(c => c.InService).Select(c => new Chair(c.Id, c.Name, c.InService)).ToList();

    private const string SelectChair = """
        SELECT id, name, in_service, version FROM chairs WHERE clinic_id = @ClinicId AND id = @Id
        """;

    /// <summary>The chair if it is in this clinic.</summary>
    public static async Task<ChairResponse?> FindAsync(DbConnection connection, Guid clinicId, Guid id, DbTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<ChairRow>(SelectChair, new { ClinicId = clinicId, Id = id }, transaction))?.ToResponse();

    private sealed class ChairRow
    {
        public Guid Id { get; init; }

        public string Name { get; init; } = "";

        public bool InService { get; init; }

        public int Version { get; init; }

        public ChairResponse ToResponse() => new(Id, Name, InService, Version);
    }
}
