using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Domain.Clinical;
using NodaTime;

namespace KetamineScheduling.Api.Staff;

/// <summary>A member of staff as stored.</summary>
internal sealed record StaffMember(Guid Id, string Name, IReadOnlyList<StaffKind> Kinds, string? Npi, string? LicenceNumber, bool Active, int Version)
{
    public bool IsActivePrescriber => Active && Kinds.Contains(StaffKind.Prescriber);

    public StaffResponse ToResponse() => new(Id, Name, [.. Kinds.Select(k => k.Code())], Npi, LicenceNumber, Active, Version);
}

/// <summary>The clinic's staff: prescribers and nurses.</summary>
internal static class StaffStore
{
    private const string InsertStaff = """
        INSERT INTO staff (id, clinic_id, name, kinds, npi, licence_number, active, version, created_at, updated_at)
        SELECT @Id, id, @Name, @Kinds, @Npi, @LicenceNumber, @Active, 1, @Now, @Now FROM clinics WHERE id = @ClinicId
        """;

    /// <summary>Adds a member of staff; false when the clinic does not exist.</summary>
    public static async Task<bool> InsertAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, StaffMember staff, Instant now) =>
        await connection.ExecuteAsync(InsertStaff, Row(clinicId, staff, staff.Version, now), transaction) == 1;

    private const string UpdateStaff = """
        UPDATE staff SET name = @Name, kinds = @Kinds, active = @Active, version = version + 1, updated_at = @Now
        WHERE clinic_id = @ClinicId AND id = @Id AND version = @Version
        """;

    /// <summary>Saves a member of staff if still at <paramref name="version"/>; false when it moved on meanwhile.</summary>
    public static async Task<bool> UpdateAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, StaffMember staff, int version, Instant now) =>
        await connection.ExecuteAsync(UpdateStaff, Row(clinicId, staff, version, now), transaction) == 1;

    private static object Row(Guid clinicId, StaffMember staff, int version, Instant now) => new
    {
        staff.Id,
        ClinicId = clinicId,
        staff.Name,
        Kinds = ClinicalCodes.Join(staff.Kinds),
        staff.Npi,
        staff.LicenceNumber,
        staff.Active,
        Version = version,
        Now = now,
    };

    private const string SelectStaff = """
        SELECT id, name, kinds, npi, licence_number, active, version FROM staff WHERE clinic_id = @ClinicId AND id = @Id
        """;

    /// <summary>The member of staff if they are in this clinic.</summary>
    public static async Task<StaffMember?> FindAsync(DbConnection connection, Guid clinicId, Guid id, DbTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<StaffRow>(SelectStaff, new { ClinicId = clinicId, Id = id }, transaction))?.ToMember();

    private const string SelectStaffList = """
        SELECT id, name, kinds, npi, licence_number, active, version FROM staff
        WHERE clinic_id = @ClinicId AND id > @After
        ORDER BY id
        """ + SqlDialect.TakeRows;

    /// <summary>Staff in id order after <paramref name="after"/>, those of <paramref name="kind"/> only when given.</summary>
    public static async Task<IReadOnlyList<StaffMember>> ListAsync(DbConnection connection, Guid clinicId, StaffKind? kind, Guid after, int take)
    {
        // The kind filter is applied here, so a page may come back short; it reads further until it is full.
        var found = new List<StaffMember>();
        while (true)
        {
            var rows = (await connection.QueryAsync<StaffRow>(connection.Sql(SelectStaffList), new { ClinicId = clinicId, After = after, Take = take })).AsList();
            found.AddRange(rows.Select(r => r.ToMember()).Where(s => kind is not { } k || s.Kinds.Contains(k)));
            if (rows.Count < take || found.Count >= take)
            {
                return found.Take(take).ToList();
            }

            after = rows[^1].Id;
        }
    }

    private sealed class StaffRow
    {
        public Guid Id { get; init; }

        public string Name { get; init; } = "";

        public string Kinds { get; init; } = "";

        public string? Npi { get; init; }

        public string? LicenceNumber { get; init; }

        public bool Active { get; init; }

        public int Version { get; init; }

        public StaffMember ToMember() => new(Id, Name, ClinicalCodes.Split<StaffKind>(Kinds), Npi, LicenceNumber, Active, Version);
    }
}
