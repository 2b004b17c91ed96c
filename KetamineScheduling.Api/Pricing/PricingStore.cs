using System.Data.Common;
using System.Text.Json;
using Dapper;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using NodaTime;

namespace KetamineScheduling.Api.Pricing;

/// <summary>A clinic's price list as stored: the list as its JSON describes it, with its version.</summary>
internal sealed record StoredPriceList(PriceListRequest Body, int Version, Instant UpdatedAt);

/// <summary>Price lists, one per clinic, and the quotes frozen from them.</summary>
internal static class PricingStore
{
    /// <summary>The API's own JSON rules, so what is stored reads back exactly as it was written.</summary>
    private static readonly JsonSerializerOptions Json = ClinicJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private const string SelectPriceList = "SELECT body, version, updated_at FROM price_lists WHERE clinic_id = @ClinicId";

    /// <summary>The clinic's price list, or null when it has none yet.</summary>
    public static async Task<StoredPriceList?> FindPriceListAsync(DbConnection connection, Guid clinicId, DbTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<PriceListRow>(SelectPriceList, new { ClinicId = clinicId }, transaction);
        return row is null ? null : new StoredPriceList(JsonSerializer.Deserialize<PriceListRequest>(row.Body, Json)!, row.Version, row.UpdatedAt);
    }

    private const string InsertPriceList = """
        INSERT INTO price_lists (clinic_id, body, version, updated_at) VALUES (@ClinicId, @Body, 1, @Now)
        """;

    /// <summary>Writes the clinic's first price list, as version 1; a concurrent first write loses with a conflict.</summary>
    public static async Task InsertPriceListAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, PriceListRequest body, Instant now)
    {
        try
        {
            await connection.ExecuteAsync(InsertPriceList, new { ClinicId = clinicId, Body = JsonSerializer.Serialize(body, Json), Now = now }, transaction);
        }
        catch (DbException e) when (Database.IsUniqueViolation(e, out _))
        {
            throw new ConflictException("Another request created this clinic's price list at the same time; fetch it and try again with If-Match.");
        }
    }

    private const string UpdatePriceList = """
        UPDATE price_lists SET body = @Body, version = version + 1, updated_at = @Now
        WHERE clinic_id = @ClinicId AND version = @Version
        """;

    /// <summary>Replaces the price list at <paramref name="version"/>; the new version, or null when it had moved on.</summary>
    public static async Task<int?> UpdatePriceListAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, PriceListRequest body, int version, Instant now) =>
        await connection.ExecuteAsync(UpdatePriceList, new { ClinicId = clinicId, Body = JsonSerializer.Serialize(body, Json), Version = version, Now = now }, transaction) == 1
            ? version + 1
            : null;

    private const string InsertQuote = """
        INSERT INTO quotes (id, clinic_id, plan_id, patient_id, price_list_version, estimate, created_at)
        VALUES (@Id, @ClinicId, @PlanId, @PatientId, @PriceListVersion, @Estimate, @CreatedAt)
        """;

    /// <summary>Freezes <paramref name="quote"/>: its estimate is stored as answered, and never recomputed.</summary>
    public static async Task InsertQuoteAsync(DbConnection connection, DbTransaction transaction, Guid clinicId, QuoteResponse quote) =>
        await connection.ExecuteAsync(InsertQuote, new
        {
            quote.Id,
            ClinicId = clinicId,
            quote.PlanId,
            quote.PatientId,
            quote.Estimate.PriceListVersion,
            Estimate = JsonSerializer.Serialize(quote.Estimate, Json),
            quote.CreatedAt,
        }, transaction);

    private const string SelectQuote = """
        SELECT id, plan_id, patient_id, estimate, created_at FROM quotes
        WHERE clinic_id = @ClinicId AND plan_id = @PlanId AND id = @Id
        """;

    /// <summary>The quote if it was given for this plan in this clinic.</summary>
    public static async Task<QuoteResponse?> FindQuoteAsync(DbConnection connection, Guid clinicId, Guid planId, Guid id)
    {
        var row = await connection.QuerySingleOrDefaultAsync<QuoteRow>(SelectQuote, new { ClinicId = clinicId, PlanId = planId, Id = id });
        return row is null ? null : new QuoteResponse(row.Id, row.PlanId, row.PatientId, row.CreatedAt, JsonSerializer.Deserialize<EstimateResponse>(row.Estimate, Json)!);
    }

    private sealed class PriceListRow
    {
        public string Body { get; init; } = "";

        public int Version { get; init; }

        public Instant UpdatedAt { get; init; }
    }

    private sealed class QuoteRow
    {
        public Guid Id { get; init; }

        public Guid PlanId { get; init; }

        public Guid PatientId { get; init; }

        public string Estimate { get; init; } = "";

        public Instant CreatedAt { get; init; }
    }
}
