using System.Data.Common;
using Dapper;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Waitlist;

/// <summary>
/// The waitlist's entries, in queue order (<c>queued_at</c>, then id). An entry's offer is a reservation; the entry
/// knows its reservation, and <see cref="SettleAsync"/> brings entries up to date with what became of their offers.
/// </summary>
internal static class WaitlistStore
{
    private static readonly string Waiting = nameof(WaitlistStatus.Waiting);
    private static readonly string Offered = nameof(WaitlistStatus.Offered);

    private const string InsertEntry = """
        INSERT INTO waitlist_entries (id, clinic_id, patient_id, plan_id, earliest_date, latest_date, days_of_week, earliest_time, latest_time,
            infusion_minutes, note, status, reservation_id, queued_at, version, created_at, updated_at)
        VALUES (@Id, @ClinicId, @PatientId, @PlanId, @EarliestDate, @LatestDate, @DaysOfWeek, @EarliestTime, @LatestTime,
            @InfusionMinutes, @Note, @Status, NULL, @CreatedAt, 1, @CreatedAt, @CreatedAt)
        """;

    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, WaitlistRow entry) =>
        connection.ExecuteAsync(InsertEntry, entry, transaction);

    private const string SelectColumns = """
        SELECT id, clinic_id, patient_id, plan_id, earliest_date, latest_date, days_of_week, earliest_time, latest_time,
            infusion_minutes, note, status, reservation_id, queued_at, version, created_at
        FROM waitlist_entries
        """;

    private const string SelectEntry = SelectColumns + " WHERE clinic_id = @ClinicId AND id = @Id";

    public static async Task<WaitlistRow?> FindAsync(DbConnection connection, Guid clinicId, Guid id, DbTransaction? transaction = null) =>
        await connection.QuerySingleOrDefaultAsync<WaitlistRow>(SelectEntry, new { ClinicId = clinicId, Id = id }, transaction);

    private const string SelectQueue = SelectColumns + " WHERE clinic_id = @ClinicId AND status IN @Statuses ORDER BY queued_at, id";

    /// <summary>The clinic's entries in <paramref name="statuses"/>, in queue order.</summary>
    public static async Task<IReadOnlyList<WaitlistRow>> QueueAsync(DbConnection connection, Guid clinicId, IEnumerable<WaitlistStatus> statuses, DbTransaction? transaction = null) =>
        (await connection.QueryAsync<WaitlistRow>(SelectQueue, new { ClinicId = clinicId, Statuses = statuses.Select(s => s.ToString()).ToList() }, transaction)).AsList();

    private const string MoveEntry = """
        UPDATE waitlist_entries SET status = @Status, reservation_id = @ReservationId, version = version + 1, updated_at = @Now
        WHERE id = @Id AND status = @From
        """;

    /// <summary>
    /// Moves an entry from <paramref name="from"/> to <paramref name="to"/>, with the reservation it is offered (null
    /// to keep none); false when it was no longer in <paramref name="from"/>, so an entry is never offered twice at once.
    /// </summary>
    public static async Task<bool> MoveAsync(DbConnection connection, DbTransaction transaction, Guid id, WaitlistStatus from, WaitlistStatus to, Guid? reservationId, Instant now) =>
        await connection.ExecuteAsync(MoveEntry, new { Id = id, From = from.ToString(), Status = to.ToString(), ReservationId = reservationId, Now = now }, transaction) == 1;

    private const string BookConverted = """
        UPDATE waitlist_entries SET status = @Booked, version = version + 1, updated_at = @Now
        WHERE clinic_id = @ClinicId AND status = @Offered AND reservation_id IN (SELECT id FROM reservations WHERE status = @Converted)
        """;

    private const string RequeueLapsed = """
        UPDATE waitlist_entries SET status = @Waiting, reservation_id = NULL, queued_at = @Now, version = version + 1, updated_at = @Now
        WHERE clinic_id = @ClinicId AND status = @Offered AND reservation_id IN (SELECT id FROM reservations WHERE status IN @Lapsed)
        """;

    /// <summary>
    /// Brings offered entries up to date with their reservations: one booked (by its accept or by a booking naming
    /// it) is booked; one that expired or was released goes to the back of the queue, so its time passes to the next
    /// entry. Expired reservations must have been marked first (<see cref="Reservations.ReservationStore.ExpireAsync"/>).
    /// </summary>
    public static async Task SettleAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, Instant now)
    {
        await connection.ExecuteAsync(BookConverted, new { ClinicId = clinicId, Booked = nameof(WaitlistStatus.Booked), Offered, Converted = nameof(ReservationStatus.Converted), Now = now }, transaction);
        await connection.ExecuteAsync(RequeueLapsed, new
        {
            ClinicId = clinicId,
            Waiting,
            Offered,
            Lapsed = new[] { nameof(ReservationStatus.Expired), nameof(ReservationStatus.Released) },
            Now = now,
        }, transaction);
    }
}

/// <summary>A waitlist entry as stored.</summary>
internal sealed record WaitlistRow
{
    public Guid Id { get; init; }

    public Guid ClinicId { get; init; }

    public Guid PatientId { get; init; }

    public Guid? PlanId { get; init; }

    public LocalDate EarliestDate { get; init; }

    public LocalDate LatestDate { get; init; }

    /// <summary>ISO day names separated by commas; null for every day.</summary>
    public string? DaysOfWeek { get; init; }

    public LocalTime? EarliestTime { get; init; }

    public LocalTime? LatestTime { get; init; }

    public int InfusionMinutes { get; init; }

    public string? Note { get; init; }

    public string Status { get; init; } = "";

    /// <summary>The reservation it is (or was last) offered.</summary>
    public Guid? ReservationId { get; init; }

    /// <summary>Its place in the queue: when it joined, or when its last offer lapsed.</summary>
    public Instant QueuedAt { get; init; }

    public int Version { get; init; }

    public Instant CreatedAt { get; init; }

    public IReadOnlyList<IsoDayOfWeek> Days =>
        DaysOfWeek is null ? [] : [.. DaysOfWeek.Split(',').Select(Enum.Parse<IsoDayOfWeek>)];

    public WaitlistWindow ToWindow() => new(EarliestDate, LatestDate, Days, EarliestTime, LatestTime);
}
