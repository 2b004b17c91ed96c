using Dapper;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Tests.Api;
using Microsoft.Data.Sqlite;

namespace KetamineScheduling.Tests.Data;

/// <summary>
/// Migration 0010 makes chair names unique in a clinic. A database from before it may already hold duplicates;
/// the migration renames them instead of failing.
/// </summary>
public sealed class ChairNameMigrationTests
{
    private const string Corrections = "0010_corrections.sql";

    [Fact]
    public async Task Chairs_of_one_name_in_an_old_database_are_renamed_so_the_migration_succeeds()
    {
        using var file = new TempDatabase("chair-names");
        await using var connection = new SqliteConnection($"Data Source={file.Path};Pooling=False");
        await connection.OpenAsync();
        var scripts = Migrations.ScriptNames(DatabaseProvider.Sqlite);
        foreach (var script in scripts.TakeWhile(s => !s.EndsWith(Corrections, StringComparison.Ordinal)))
        {
            await connection.ExecuteAsync(Read(script));
        }

        await connection.ExecuteAsync("""
            INSERT INTO clinics (id, name, time_zone, slot_minutes, turnover_minutes, observation_minutes, max_starts_per_slot, patients_may_cancel, version, created_at, updated_at)
            VALUES ('c1', 'One', 'Europe/London', 15, 15, 30, NULL, 0, 1, '2027-01-01', '2027-01-01'),
                   ('c2', 'Two', 'Europe/London', 15, 15, 30, NULL, 0, 1, '2027-01-01', '2027-01-01');
            INSERT INTO chairs (id, clinic_id, name, created_at) VALUES
                ('aaaaaaaa-1', 'c1', 'Chair 1', '2027-01-01T08:00'),
                ('bbbbbbbb-2', 'c1', 'Chair 1 (2)', '2027-01-01T09:00'),
                ('cccccccc-3', 'c1', 'chair 1', '2027-01-01T10:00'),
                ('dddddddd-4', 'c1', 'Chair 1', '2027-01-01T11:00'),
                ('eeeeeeee-5', 'c2', 'Chair 1', '2027-01-01T08:00');
            """);

        await connection.ExecuteAsync(Read(scripts.Single(s => s.EndsWith(Corrections, StringComparison.Ordinal))));

        var names = (await connection.QueryAsync<(string Id, string Name)>("SELECT id, name FROM chairs ORDER BY id")).ToDictionary(r => r.Id, r => r.Name);
        Assert.Equal("Chair 1", names["aaaaaaaa-1"]);
        Assert.Equal("Chair 1 (2)", names["bbbbbbbb-2"]);
        Assert.Equal("chair 1 (2) [cccccccc]", names["cccccccc-3"]);
        Assert.Equal("Chair 1 (3)", names["dddddddd-4"]);
        Assert.Equal("Chair 1", names["eeeeeeee-5"]);
        var duplicate = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO chairs (id, clinic_id, name, created_at) VALUES ('ffffffff-6', 'c1', 'CHAIR 1', '2027-01-02')"));
        Assert.True(Database.IsUniqueViolation(duplicate, out var table) && table == "chairs");
    }

    private static string Read(string resource)
    {
        using var stream = typeof(Migrations).Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
