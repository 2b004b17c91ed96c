using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using NodaTime;

namespace KetamineScheduling.Api.Webhooks;

/// <summary>
/// Webhook subscriptions, where each one's delivery has got to, and the log of delivery attempts.
/// </summary>
/// <remarks>
/// <c>[cursor]</c> is the feed position of the last event delivered (or passed over, not being subscribed to);
/// <c>attempt</c> counts the failed attempts at the event after it, and <c>next_attempt_at</c> is when that event
/// may be tried again. Brackets quote <c>cursor</c>, a reserved word on SQL Server; SQLite accepts them too.
/// </remarks>
internal static class WebhookStore
{
    private const string InsertWebhook = """
        INSERT INTO webhooks (id, clinic_id, url, event_types, secret, [cursor], attempt, created_at)
        VALUES (@Id, @ClinicId, @Url, @EventTypes, @Secret, @Cursor, 0, @Now)
        """;

    /// <summary>
    /// Registers a webhook that receives the events committed from now on: its cursor starts at the feed's head,
    /// so an event committing meanwhile is delivered rather than lost. <paramref name="protectedSecret"/> is the signing
    /// secret as <see cref="WebhookSecrets.Protect"/> encrypted it, never the secret itself.
    /// </summary>
    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Guid id, string url, IReadOnlyList<string>? events, string protectedSecret, Instant now)
    {
        var head = await FeedReader.HeadAsync(connection, transaction);
        await connection.ExecuteAsync(InsertWebhook, new
        {
            Id = id,
            ClinicId = clinicId,
            Url = url,
            EventTypes = events is null ? null : string.Join(',', events),
            Secret = protectedSecret,
            Cursor = head,
            Now = now,
        }, transaction);
    }

    private const string SelectColumns = "SELECT id, url, event_types, created_at, attempt, next_attempt_at FROM webhooks";

    private const string SelectWebhook = SelectColumns + " WHERE clinic_id = @ClinicId AND id = @Id AND deleted_at IS NULL";

    public static async Task<WebhookRow?> FindAsync(DbConnection connection, Guid clinicId, Guid id) =>
        await connection.QuerySingleOrDefaultAsync<WebhookRow>(SelectWebhook, new { ClinicId = clinicId, Id = id });

    private const string SelectWebhooks = SelectColumns + """
         WHERE clinic_id = @ClinicId AND id > @After AND deleted_at IS NULL ORDER BY id
        """ + SqlDialect.TakeRows;

    /// <summary>The clinic's webhooks in id order after <paramref name="after"/>.</summary>
    public static async Task<IReadOnlyList<WebhookRow>> ListAsync(DbConnection connection, Guid clinicId, Guid after, int take) =>
        (await connection.QueryAsync<WebhookRow>(connection.Sql(SelectWebhooks), new { ClinicId = clinicId, After = after, Take = take })).AsList();

    private const string SelectRegistered = "SELECT COUNT(*) FROM webhooks WHERE clinic_id = @ClinicId AND id = @Id";

    /// <summary>Whether the clinic ever registered this webhook, deleted or not: its delivery log outlives it.</summary>
    public static async Task<bool> WasRegisteredAsync(DbConnection connection, Guid clinicId, Guid id, DbTransaction? transaction = null) =>
        await connection.ExecuteScalarAsync<int>(SelectRegistered, new { ClinicId = clinicId, Id = id }, transaction) == 1;

    private const string SoftDelete = "UPDATE webhooks SET deleted_at = @Now WHERE clinic_id = @ClinicId AND id = @Id AND deleted_at IS NULL";

    /// <summary>Stops a webhook; its row and delivery log stay. False when there was none to stop.</summary>
    public static async Task<bool> DeleteAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Guid id, Instant now) =>
        await connection.ExecuteAsync(SoftDelete, new { ClinicId = clinicId, Id = id, Now = now }, transaction) == 1;

    private const string SelectAttempts = """
        SELECT id, event_id, attempt, attempted_at, status_code, error, succeeded FROM webhook_attempts
        WHERE webhook_id = @WebhookId AND id < @Before ORDER BY id DESC
        """ + SqlDialect.TakeRows;

    /// <summary>A webhook's delivery attempts, newest first, older than attempt <paramref name="before"/>.</summary>
    public static async Task<IReadOnlyList<AttemptRow>> AttemptsAsync(DbConnection connection, Guid webhookId, long before, int take) =>
        (await connection.QueryAsync<AttemptRow>(connection.Sql(SelectAttempts), new { WebhookId = webhookId, Before = before, Take = take })).AsList();

    private const string SelectDueSqlite = """
        SELECT w.id FROM webhooks w
        WHERE w.deleted_at IS NULL
          AND (w.next_attempt_at IS NULL OR w.next_attempt_at <= @Now)
          AND (w.lease_until IS NULL OR w.lease_until <= @Now)
          AND EXISTS (SELECT 1 FROM events e WHERE e.clinic_id = w.clinic_id AND e.id > w.[cursor])
        ORDER BY w.id
        LIMIT @Take
        """;

    private const string SelectDueSqlServer = """
        SELECT TOP (@Take) w.id FROM webhooks w
        WHERE w.deleted_at IS NULL
          AND (w.next_attempt_at IS NULL OR w.next_attempt_at <= @Now)
          AND (w.lease_until IS NULL OR w.lease_until <= @Now)
          AND EXISTS (SELECT 1 FROM events e WHERE e.clinic_id = w.clinic_id
              AND e.position > CAST(w.[cursor] AS binary(8)) AND e.position < MIN_ACTIVE_ROWVERSION())
        ORDER BY w.id
        """;

    /// <summary>Webhooks with committed events to deliver, not waiting out a backoff, and not leased by an instance.</summary>
    public static async Task<IReadOnlyList<Guid>> DueAsync(Database db, Instant now, int take, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(
            connection.Pick(SelectDueSqlite, SelectDueSqlServer), new { Now = now, Take = take }, cancellationToken: cancellationToken))).AsList();
    }

    private const string TakeLease = """
        UPDATE webhooks SET lease_owner = @Owner, lease_until = @Until
        WHERE id = @Id AND deleted_at IS NULL AND (lease_until IS NULL OR lease_until <= @Now)
        """;

    /// <summary>
    /// Leases a webhook to <paramref name="owner"/> until <paramref name="until"/>, so that one instance at a
    /// time delivers its events; false when another holds it.
    /// </summary>
    public static async Task<bool> TryLeaseAsync(Database db, Guid id, string owner, Instant now, Instant until, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            TakeLease, new { Id = id, Owner = owner, Now = now, Until = until }, cancellationToken: cancellationToken)) == 1;
    }

    private const string EndLease = "UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE id = @Id AND lease_owner = @Owner";

    public static async Task ReleaseAsync(Database db, Guid id, string owner)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(EndLease, new { Id = id, Owner = owner });
    }

    private const string SelectForDelivery = """
        SELECT id, clinic_id, url, event_types, secret, [cursor], attempt FROM webhooks WHERE id = @Id AND deleted_at IS NULL
        """;

    /// <summary>What delivery needs of a webhook, secret included; null once it is deleted.</summary>
    public static async Task<DeliveryTarget?> TargetAsync(Database db, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DeliveryTarget>(new CommandDefinition(SelectForDelivery, new { Id = id }, cancellationToken: cancellationToken));
    }

    // Deleted webhooks too: their rows stay, and so would their secrets.
    private const string SelectPlainSecrets = @"SELECT id, secret FROM webhooks WHERE secret LIKE 'whsec\_%' ESCAPE '\'";

    private const string ProtectSecret = "UPDATE webhooks SET secret = @Protected WHERE id = @Id AND secret = @Plain";

    /// <summary>
    /// Replaces every secret still stored in plain text (see <see cref="WebhookSecrets.IsPlain"/>) with
    /// <paramref name="protect"/>'s encryption of it; returns how many.
    /// </summary>
    public static async Task<int> ProtectPlainSecretsAsync(Database db, Func<string, string> protect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(protect);
        await using var connection = await db.OpenAsync(cancellationToken);
        var plain = (await connection.QueryAsync<StoredSecret>(new CommandDefinition(SelectPlainSecrets, cancellationToken: cancellationToken))).AsList();
        var count = 0;
        // LIKE ignores case on SQLite; only the exact prefix marks a plain secret.
        foreach (var row in plain.Where(p => WebhookSecrets.IsPlain(p.Secret)))
        {
            count += await connection.ExecuteAsync(new CommandDefinition(
                ProtectSecret, new { row.Id, Plain = row.Secret, Protected = protect(row.Secret) }, cancellationToken: cancellationToken));
        }

        return count;
    }

    private const string UpdateProgress = """
        UPDATE webhooks SET [cursor] = @Cursor, attempt = @Attempt, next_attempt_at = @NextAttemptAt, lease_until = @LeaseUntil
        WHERE id = @Id AND lease_owner = @Owner AND deleted_at IS NULL
        """;

    private const string InsertAttempt = """
        INSERT INTO webhook_attempts (webhook_id, event_id, attempt, attempted_at, status_code, error, succeeded)
        VALUES (@Id, @EventId, @Attempt, @AttemptedAt, @StatusCode, @Error, @Succeeded)
        """;

    /// <summary>
    /// Records one attempt at <paramref name="progress"/>'s event and where delivery now stands, together; false
    /// (and nothing recorded) when the lease was lost or the webhook deleted meanwhile.
    /// </summary>
    public static Task<bool> RecordAsync(Database db, Guid id, string owner, DeliveryProgress progress, Attempt? attempt, CancellationToken cancellationToken) =>
        db.WriteAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync(UpdateProgress, new
            {
                Id = id,
                Owner = owner,
                progress.Cursor,
                progress.Attempt,
                progress.NextAttemptAt,
                progress.LeaseUntil,
            }, transaction) != 1)
            {
                return false;
            }

            if (attempt is not null)
            {
                await connection.ExecuteAsync(InsertAttempt, new
                {
                    Id = id,
                    attempt.EventId,
                    Attempt = attempt.Number,
                    attempt.AttemptedAt,
                    attempt.StatusCode,
                    attempt.Error,
                    attempt.Succeeded,
                }, transaction);
            }

            return true;
        }, cancellationToken);
}

/// <summary>A webhook as the API shows it: never its secret.</summary>
internal sealed class WebhookRow
{
    public Guid Id { get; init; }

    public string Url { get; init; } = "";

    /// <summary>Comma-separated; null for every type.</summary>
    public string? EventTypes { get; init; }

    public Instant CreatedAt { get; init; }

    public int Attempt { get; init; }

    public Instant? NextAttemptAt { get; init; }

    public WebhookResponse ToResponse() => new(Id, Url, Split(EventTypes), CreatedAt, Attempt, NextAttemptAt);

    public static IReadOnlyList<string>? Split(string? types) => types?.Split(',');
}

/// <summary>A webhook as delivery needs it.</summary>
internal sealed class DeliveryTarget
{
    public Guid Id { get; init; }

    public Guid ClinicId { get; init; }

    public string Url { get; init; } = "";

    public string? EventTypes { get; init; }

    /// <summary>The secret as stored: encrypted (see <see cref="WebhookSecrets.Reveal"/>).</summary>
    public string Secret { get; init; } = "";

    /// <summary>The feed position of the last event delivered or passed over.</summary>
    public long Cursor { get; init; }

    /// <summary>Failed attempts so far at the event after <see cref="Cursor"/>.</summary>
    public int Attempt { get; init; }

    public bool Wants(string type) => EventTypes is null || EventTypes.Split(',').Contains(type, StringComparer.Ordinal);

    /// <summary>This target once the event at <paramref name="position"/> is delivered.</summary>
    public DeliveryTarget After(long position) => new()
    {
        Id = Id,
        ClinicId = ClinicId,
        Url = Url,
        EventTypes = EventTypes,
        Secret = Secret,
        Cursor = position,
        Attempt = 0,
    };
}

/// <summary>A webhook's secret as it is stored.</summary>
internal sealed class StoredSecret
{
    public Guid Id { get; init; }

    public string Secret { get; init; } = "";
}

/// <summary>One row of the delivery log.</summary>
internal sealed class AttemptRow
{
    public long Id { get; init; }

    public long EventId { get; init; }

    public int Attempt { get; init; }

    public Instant AttemptedAt { get; init; }

    public int? StatusCode { get; init; }

    public string? Error { get; init; }

    public bool Succeeded { get; init; }

    public WebhookAttemptResponse ToResponse() => new(EventId, Attempt, AttemptedAt, StatusCode, Error, Succeeded);
}

/// <summary>Where a webhook's delivery stands after an attempt, or after passing over events it does not want.</summary>
/// <param name="Cursor">The feed position of the last event delivered or passed over.</param>
/// <param name="Attempt">Failed attempts at the next event.</param>
/// <param name="NextAttemptAt">When the next event may be tried; null for at once.</param>
/// <param name="LeaseUntil">The lease, extended.</param>
internal sealed record DeliveryProgress(long Cursor, int Attempt, Instant? NextAttemptAt, Instant LeaseUntil);

/// <summary>One attempt to deliver one event.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="Number">1 for the first attempt at this event.</param>
/// <param name="AttemptedAt">When it was sent.</param>
/// <param name="StatusCode">The receiver's status, or null when it could not be reached.</param>
/// <param name="Error">Why it failed; null when it succeeded.</param>
/// <param name="Succeeded">Whether the receiver answered 2xx.</param>
internal sealed record Attempt(long EventId, int Number, Instant AttemptedAt, int? StatusCode, string? Error, bool Succeeded);
