using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Data;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace KetamineScheduling.Tests.Data;

/// <summary>What every engine behind <see cref="Database"/> must do; one empty subclass per engine runs it.</summary>
public abstract class DatabaseContractTests(DatabaseFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    // The last millisecond of a leap day, so a field-order or precision slip shows.
    private static readonly Instant LeapDayEnd = Instant.FromUtc(2024, 2, 29, 23, 59, 59).PlusNanoseconds(999_000_000);

    [SkippableFact]
    public async Task Migrations_run_twice_without_error()
    {
        var database = await fixture.CreateEmptyAsync();

        await Migrations.ApplyAsync(database, NullLogger.Instance, None);
        await Migrations.ApplyAsync(database, NullLogger.Instance, None);

        Assert.True(await database.IsReadyAsync(None));
    }

    [SkippableFact]
    public async Task Migrations_started_together_apply_each_script_once()
    {
        var empty = await fixture.CreateEmptyAsync();

        // Separate instances, as separate processes would have.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var instance = new Database(empty.Provider, empty.ConnectionString);
            await Migrations.ApplyAsync(instance, NullLogger.Instance, None);
        })));

        await using var connection = await empty.OpenAsync(None);
        var journal = await connection.QueryAsync<string>("SELECT ScriptName FROM schema_versions");
        Assert.Equal(Migrations.ScriptNames(empty.Provider), journal.Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Ready_only_when_every_migration_is_in_the_journal()
    {
        var database = await fixture.CreateEmptyAsync();
        Assert.False(await database.IsReadyAsync(None));

        await Migrations.ApplyAsync(database, NullLogger.Instance, None);
        Assert.True(await database.IsReadyAsync(None));

        await database.WriteAsync((connection, transaction) =>
            connection.ExecuteAsync("DELETE FROM schema_versions", transaction: transaction), None);
        Assert.False(await database.IsReadyAsync(None));
    }

    [SkippableFact]
    public async Task A_session_row_round_trips()
    {
        var database = fixture.Migrated;
        var clinic = await SeedClinicAsync(database);
        var session = new SessionRow(
            Guid.NewGuid(), clinic.ClinicId, null, clinic.PatientId, clinic.ChairId, null,
            new LocalDateTime(2024, 12, 31, 23, 59, 59), LeapDayEnd, LeapDayEnd.Plus(Duration.FromMinutes(40)), 40);

        await InsertSessionAsync(database, session);

        await using var connection = await database.OpenAsync(None);
        var read = await connection.QuerySingleAsync<SessionRow>(
            """
            SELECT id AS Id, clinic_id AS ClinicId, plan_id AS PlanId, patient_id AS PatientId, chair_id AS ChairId,
                   sequence AS Sequence, local_start AS LocalStart, start_utc AS StartUtc, end_utc AS EndUtc,
                   infusion_minutes AS InfusionMinutes
            FROM sessions WHERE id = @Id
            """,
            new { session.Id });
        Assert.Equal(session, read);
    }

    [SkippableFact]
    public async Task Integers_and_booleans_fill_record_constructors()
    {
        var database = fixture.Migrated;
        var clinic = await SeedClinicAsync(database);

        await using var connection = await database.OpenAsync(None);
        var read = await connection.QuerySingleAsync<ClinicRow>(
            """
            SELECT slot_minutes AS SlotMinutes, max_starts_per_slot AS MaxStartsPerSlot, patients_may_cancel AS PatientsMayCancel
            FROM clinics WHERE id = @ClinicId
            """,
            new { clinic.ClinicId });
        Assert.Equal(new ClinicRow(15, null, false), read);
    }

    [SkippableFact]
    public async Task Local_dates_and_times_round_trip_into_plain_and_nullable_properties()
    {
        var database = fixture.Migrated;
        var clinic = await SeedClinicAsync(database);
        LocalDate? closed = new LocalDate(2024, 2, 29);

        await database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(
                "INSERT INTO opening_hours (clinic_id, day_of_week, opens, closes) VALUES (@ClinicId, 7, @Opens, @Closes)",
                new { clinic.ClinicId, Opens = LocalTime.Midnight, Closes = new LocalTime(23, 59, 59) }, transaction);
            return await connection.ExecuteAsync(
                "INSERT INTO closed_dates (clinic_id, date, reason) VALUES (@ClinicId, @Closed, NULL)",
                new { clinic.ClinicId, Closed = closed }, transaction);
        }, None);

        await using var read = await database.OpenAsync(None);
        var hours = await read.QuerySingleAsync<(LocalTime Opens, LocalTime? Closes)>(
            "SELECT opens, closes FROM opening_hours WHERE clinic_id = @ClinicId", new { clinic.ClinicId });
        var date = await read.QuerySingleAsync<(LocalDate Date, LocalDate? Again, string? Reason)>(
            "SELECT date, date, reason FROM closed_dates WHERE clinic_id = @ClinicId", new { clinic.ClinicId });
        Assert.Equal((LocalTime.Midnight, new LocalTime(23, 59, 59)), (hours.Opens, hours.Closes));
        Assert.Equal((closed.Value, closed, null), (date.Date, date.Again, date.Reason));
    }

    [SkippableFact]
    public async Task Nullable_guids_and_instants_round_trip_with_and_without_values()
    {
        var database = fixture.Migrated;
        var clinic = await SeedClinicAsync(database);
        var withValues = new ApiKeyRow(Guid.NewGuid(), clinic.ClinicId, clinic.PatientId, LeapDayEnd, LeapDayEnd.Plus(Duration.FromDays(30)), Instant.FromUnixTimeSeconds(0));
        var withNulls = new ApiKeyRow(Guid.NewGuid(), null, null, LeapDayEnd, null, null);

        await InsertApiKeyAsync(database, withValues);
        await InsertApiKeyAsync(database, withNulls);

        Assert.Equal(withValues, await ReadApiKeyAsync(database, withValues.Id));
        Assert.Equal(withNulls, await ReadApiKeyAsync(database, withNulls.Id));
    }

    [SkippableFact]
    public async Task Audit_events_appended_in_one_batch_read_back_field_for_field_nulls_included()
    {
        var database = fixture.Migrated;
        var clinic = Guid.NewGuid();
        AuditEvent[] written =
        [
            new() { ClinicId = clinic, ActorKeyId = Guid.NewGuid(), ActorRole = "scheduler", Action = "BookSession", ResourceType = "session",
                    ResourceId = Guid.NewGuid().ToString(), PatientId = Guid.NewGuid(), Outcome = "succeeded", StatusCode = 201, RequestId = "0HN:01", OccurredAt = LeapDayEnd },
            new() { ClinicId = clinic, Action = "GetSession", ResourceType = "session", Outcome = "denied", StatusCode = 401, RequestId = "0HN:02", OccurredAt = LeapDayEnd },
        ];

        await database.WriteAsync(async (connection, transaction) =>
        {
            await AuditStore.AppendAsync(connection, transaction, written);
            return written.Length;
        }, None);

        var read = await AuditStore.ListAsync(database, clinic, null, LeapDayEnd, null, long.MaxValue, 10, None);
        Assert.Equal(written, read.Reverse().Select(e => e with { Id = 0 }));
        Assert.True(read[0].Id > read[1].Id);
    }

    [SkippableFact]
    public async Task Values_finer_than_the_column_are_truncated_not_rounded()
    {
        var database = fixture.Migrated;
        var clinic = await SeedClinicAsync(database);
        var key = new ApiKeyRow(Guid.NewGuid(), null, null, LeapDayEnd.PlusNanoseconds(999_999), null, null);

        await InsertApiKeyAsync(database, key);

        Assert.Equal(key with { CreatedAt = LeapDayEnd }, await ReadApiKeyAsync(database, key.Id));
        await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "INSERT INTO opening_hours (clinic_id, day_of_week, opens, closes) VALUES (@ClinicId, 1, @Opens, @Opens)",
            new { clinic.ClinicId, Opens = new LocalTime(9, 30, 15, 999) }, transaction), None);
        await using var connection = await database.OpenAsync(None);
        Assert.Equal(new LocalTime(9, 30, 15), await connection.QuerySingleAsync<LocalTime>(
            "SELECT opens FROM opening_hours WHERE clinic_id = @ClinicId", new { clinic.ClinicId }));
    }

    [SkippableFact]
    public async Task A_list_of_ids_passed_as_text_matches()
    {
        var database = fixture.Migrated;
        var clinic = await SeedClinicAsync(database);
        string[] ids = [clinic.ChairId.ToString("D"), Guid.NewGuid().ToString("D")];

        await using var connection = await database.OpenAsync(None);
        var found = await connection.QueryAsync<Guid>("SELECT id FROM chairs WHERE id IN @ids", new { ids });

        Assert.Equal([clinic.ChairId], found);
    }

    [SkippableFact]
    public async Task A_duplicate_primary_key_is_a_unique_violation_in_its_table()
    {
        var database = fixture.Migrated;
        var clinic = await SeedClinicAsync(database);
        var session = new SessionRow(Guid.NewGuid(), clinic.ClinicId, null, clinic.PatientId, clinic.ChairId, null,
            new LocalDateTime(2025, 1, 6, 9, 0), LeapDayEnd, LeapDayEnd, 40);
        await InsertSessionAsync(database, session);
        const string claim = "INSERT INTO chair_claims (chair_id, slot, session_id) VALUES (@ChairId, 5800000, @Id)";
        await database.WriteAsync((c, t) => c.ExecuteAsync(claim, new { session.ChairId, session.Id }, t), None);

        var error = await Record.ExceptionAsync(() =>
            database.WriteAsync((c, t) => c.ExecuteAsync(claim, new { session.ChairId, session.Id }, t), None));

        Assert.True(Database.IsUniqueViolation(error!, out var table), error?.ToString());
        Assert.Equal("chair_claims", table);
    }

    [SkippableFact]
    public async Task A_duplicate_unique_key_is_a_unique_violation_in_its_table()
    {
        var database = fixture.Migrated;
        var clinic = await SeedClinicAsync(database);

        var error = await Record.ExceptionAsync(() => database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO patients (id, clinic_id, external_id, display_name, created_at) VALUES (@Id, @ClinicId, 'P-1', 'Again', @LeapDayEnd)",
            new { Id = Guid.NewGuid(), clinic.ClinicId, LeapDayEnd }, t), None));

        Assert.True(Database.IsUniqueViolation(error!, out var table), error?.ToString());
        Assert.Equal("patients", table);
    }

    [SkippableFact]
    public async Task A_missing_foreign_key_is_not_a_unique_violation()
    {
        var database = fixture.Migrated;

        var error = await Record.ExceptionAsync(() => database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO chairs (id, clinic_id, name, created_at) VALUES (@Id, @Id, 'Orphan', @LeapDayEnd)",
            new { Id = Guid.NewGuid(), LeapDayEnd }, t), None));

        Assert.NotNull(error);
        Assert.False(Database.IsUniqueViolation(error, out var table));
        Assert.Null(table);
    }

    [SkippableFact]
    public async Task A_write_that_throws_leaves_nothing_behind()
    {
        var database = fixture.Migrated;
        var clinicId = Guid.NewGuid();

        await Assert.ThrowsAsync<InvalidOperationException>(() => database.WriteAsync<int>(async (connection, transaction) =>
        {
            await InsertClinicAsync(connection, transaction, clinicId);
            throw new InvalidOperationException("The booking changed its mind.");
        }, None));

        await using var read = await database.OpenAsync(None);
        Assert.Equal(0, await read.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM clinics WHERE id = @clinicId", new { clinicId }));
    }

    [SkippableFact]
    public async Task Writers_that_read_before_writing_queue_instead_of_failing()
    {
        var database = fixture.Migrated;
        var clinic = await SeedClinicAsync(database);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(day => Task.Run(() => database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM closed_dates WHERE clinic_id = @ClinicId", new { clinic.ClinicId }, transaction);
            // Keep the read and the write apart long enough for the others to interleave.
            await Task.Delay(20);
            return await connection.ExecuteAsync(
                "INSERT INTO closed_dates (clinic_id, date) VALUES (@ClinicId, @Date)",
                new { clinic.ClinicId, Date = new LocalDate(2025, 1, 1).PlusDays(day) }, transaction);
        }, None))));

        await using var read = await database.OpenAsync(None);
        Assert.Equal(8, await read.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM closed_dates WHERE clinic_id = @ClinicId", new { clinic.ClinicId }));
    }

    private sealed record SeededClinic(Guid ClinicId, Guid ChairId, Guid PatientId);

    private sealed record SessionRow(
        Guid Id, Guid ClinicId, Guid? PlanId, Guid PatientId, Guid ChairId, int? Sequence,
        LocalDateTime LocalStart, Instant StartUtc, Instant EndUtc, int InfusionMinutes);

    private sealed record ClinicRow(int SlotMinutes, int? MaxStartsPerSlot, bool PatientsMayCancel);

    private sealed record ApiKeyRow(Guid Id, Guid? ClinicId, Guid? PatientId, Instant CreatedAt, Instant? ExpiresAt, Instant? RevokedAt);

    private static Task<int> InsertClinicAsync(DbConnection connection, DbTransaction transaction, Guid clinicId) =>
        connection.ExecuteAsync(
            """
            INSERT INTO clinics (id, name, time_zone, slot_minutes, turnover_minutes, observation_minutes, version, created_at, updated_at)
            VALUES (@clinicId, 'Test clinic', 'Europe/London', 15, 15, 60, 1, @LeapDayEnd, @LeapDayEnd)
            """,
            new { clinicId, LeapDayEnd }, transaction);

    private static Task<SeededClinic> SeedClinicAsync(Database database) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var seeded = new SeededClinic(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
            await InsertClinicAsync(connection, transaction, seeded.ClinicId);
            await connection.ExecuteAsync(
                "INSERT INTO chairs (id, clinic_id, name, created_at) VALUES (@ChairId, @ClinicId, 'Chair 1', @LeapDayEnd)",
                new { seeded.ChairId, seeded.ClinicId, LeapDayEnd }, transaction);
            await connection.ExecuteAsync(
                "INSERT INTO patients (id, clinic_id, external_id, display_name, created_at) VALUES (@PatientId, @ClinicId, 'P-1', 'Pat', @LeapDayEnd)",
                new { seeded.PatientId, seeded.ClinicId, LeapDayEnd }, transaction);
            return seeded;
        }, None);

    private static Task<int> InsertSessionAsync(Database database, SessionRow session) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            """
            INSERT INTO sessions (id, clinic_id, plan_id, patient_id, chair_id, sequence, status, local_start, time_zone,
                                  start_utc, end_utc, occupied_until_utc, infusion_minutes, observation_minutes,
                                  turnover_minutes, version, created_at, updated_at)
            VALUES (@Id, @ClinicId, @PlanId, @PatientId, @ChairId, @Sequence, 'Booked', @LocalStart, 'Europe/London',
                    @StartUtc, @EndUtc, @EndUtc, @InfusionMinutes, 60, 15, 1, @StartUtc, @StartUtc)
            """,
            session, transaction), None);

    private static Task<int> InsertApiKeyAsync(Database database, ApiKeyRow key) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            """
            INSERT INTO api_keys (id, clinic_id, patient_id, name, role, key_hash, key_prefix, created_at, expires_at, revoked_at)
            VALUES (@Id, @ClinicId, @PatientId, 'Test key', 'Clinic', @Hash, 'ks_test', @CreatedAt, @ExpiresAt, @RevokedAt)
            """,
            new { key.Id, key.ClinicId, key.PatientId, Hash = key.Id.ToString("N"), key.CreatedAt, key.ExpiresAt, key.RevokedAt },
            transaction), None);

    private static async Task<ApiKeyRow> ReadApiKeyAsync(Database database, Guid id)
    {
        await using var connection = await database.OpenAsync(None);
        return await connection.QuerySingleAsync<ApiKeyRow>(
            """
            SELECT id AS Id, clinic_id AS ClinicId, patient_id AS PatientId, created_at AS CreatedAt,
                   expires_at AS ExpiresAt, revoked_at AS RevokedAt
            FROM api_keys WHERE id = @id
            """,
            new { id });
    }
}
