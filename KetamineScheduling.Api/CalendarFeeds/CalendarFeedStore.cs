using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using NodaTime;

namespace KetamineScheduling.Api.CalendarFeeds;

/// <summary>
/// Patients' calendar feeds, and the sessions a feed shows. A feed's token is never stored: only its
/// <see cref="CalendarFeedToken.Hash"/>, which is what a fetch looks the feed up by.
/// </summary>
internal static class CalendarFeedStore
{
    private const string InsertFeed = """
        INSERT INTO calendar_feeds (id, clinic_id, patient_id, token_hash, created_at, revoked_at)
        SELECT @Id, clinic_id, id, @TokenHash, @Now, NULL FROM patients WHERE clinic_id = @ClinicId AND id = @PatientId
        """;

    /// <summary>Stores a new feed of a patient by its token's hash; false when the clinic has no such patient.</summary>
    public static async Task<bool> InsertAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Guid patientId, Guid id, string tokenHash, Instant now) =>
        await connection.ExecuteAsync(InsertFeed, new { Id = id, ClinicId = clinicId, PatientId = patientId, TokenHash = tokenHash, Now = now }, transaction) == 1;

    private const string SelectFeeds = """
        SELECT id, clinic_id, patient_id, created_at, revoked_at FROM calendar_feeds
        WHERE clinic_id = @ClinicId AND patient_id = @PatientId AND id > @After ORDER BY id
        """ + SqlDialect.TakeRows;

    /// <summary>A patient's feeds in id order after <paramref name="after"/>, revoked ones included.</summary>
    public static async Task<IReadOnlyList<CalendarFeedRow>> ListAsync(DbConnection connection, Guid clinicId, Guid patientId, Guid after, int take) =>
        (await connection.QueryAsync<CalendarFeedRow>(connection.Sql(SelectFeeds), new { ClinicId = clinicId, PatientId = patientId, After = after, Take = take })).AsList();

    private const string RevokeFeed = """
        UPDATE calendar_feeds SET revoked_at = @Now WHERE clinic_id = @ClinicId AND patient_id = @PatientId AND id = @Id AND revoked_at IS NULL
        """;

    /// <summary>Revokes a live feed of the patient; false when there was none to revoke.</summary>
    public static async Task<bool> RevokeAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Guid patientId, Guid id, Instant now) =>
        await connection.ExecuteAsync(RevokeFeed, new { ClinicId = clinicId, PatientId = patientId, Id = id, Now = now }, transaction) == 1;

    private const string SelectFeedExists = """
        SELECT COUNT(*) FROM calendar_feeds WHERE clinic_id = @ClinicId AND patient_id = @PatientId AND id = @Id
        """;

    /// <summary>Whether the patient has or had this feed, revoked or not.</summary>
    public static async Task<bool> ExistsAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Guid patientId, Guid id) =>
        await connection.ExecuteScalarAsync<int>(SelectFeedExists, new { ClinicId = clinicId, PatientId = patientId, Id = id }, transaction) == 1;

    private const string SelectByHash = """
        SELECT id, clinic_id, patient_id, created_at, revoked_at FROM calendar_feeds WHERE token_hash = @TokenHash
        """;

    /// <summary>The feed whose token has the hash <paramref name="tokenHash"/>, revoked or not.</summary>
    public static async Task<CalendarFeedRow?> FindByHashAsync(DbConnection connection, string tokenHash) =>
        await connection.QuerySingleOrDefaultAsync<CalendarFeedRow>(SelectByHash, new { TokenHash = tokenHash });

    private const string SelectSessions = """
        SELECT id, status, time_zone, start_utc, end_utc, version, updated_at FROM sessions
        WHERE clinic_id = @ClinicId AND patient_id = @PatientId AND start_utc >= @From AND start_utc < @To
        ORDER BY start_utc, id
        """;

    /// <summary>The patient's sessions, in every status, starting from <paramref name="from"/> (included) to <paramref name="to"/> (excluded).</summary>
    public static async Task<IReadOnlyList<FeedSession>> SessionsAsync(DbConnection connection, Guid clinicId, Guid patientId, Instant from, Instant to) =>
        (await connection.QueryAsync<FeedSession>(SelectSessions, new { ClinicId = clinicId, PatientId = patientId, From = from, To = to })).AsList();
}

/// <summary>A calendar feed as stored, without its token.</summary>
internal sealed class CalendarFeedRow
{
    public Guid Id { get; init; }

    public Guid ClinicId { get; init; }

    public Guid PatientId { get; init; }

    public Instant CreatedAt { get; init; }

    public Instant? RevokedAt { get; init; }

    public CalendarFeedResponse ToResponse() => new(Id, PatientId, CreatedAt, RevokedAt);
}

/// <summary>What a calendar feed shows of one session.</summary>
internal sealed class FeedSession
{
    public Guid Id { get; init; }

    /// <summary>A <see cref="Domain.Sessions.SessionStatus"/> name.</summary>
    public string Status { get; init; } = "";

    /// <summary>The IANA zone the session was booked in: the clinic's.</summary>
    public string TimeZone { get; init; } = "";

    /// <summary>When the infusion starts.</summary>
    public Instant StartUtc { get; init; }

    /// <summary>When the patient may leave: infusion plus observation, cleaning left out.</summary>
    public Instant EndUtc { get; init; }

    /// <summary>Raised by every change to the session.</summary>
    public int Version { get; init; }

    public Instant UpdatedAt { get; init; }
}
