using System.Data.Common;
using System.Security.Claims;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Pricing;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Pricing;

/// <summary>Routes for prices: the clinic's price list, a plan's estimate, and quotes frozen from it.</summary>
internal static class PricingApi
{
    public static IEndpointRouteBuilder MapPricing(this IEndpointRouteBuilder routes)
    {
        var prices = routes.MapGroup("/v1/clinics/{clinicId:guid}/price-list").WithTags("Prices").Audited("price_list", idRouteValue: "clinicId");
        prices.WithETags();
        prices.MapPut("/", PutPriceList)
            // A replacement that races another answers 409 by ConflictException, which no arm of the handler shows.
            .Describe("PutPriceList", "Create or replace the clinic's price list: session prices, packages and payment plans", StatusCodes.Status409Conflict)
            .AllowRoles(Roles.ClinicAdmin);
        prices.MapGet("/", GetPriceList)
            .Describe("GetPriceList", "Get the clinic's price list")
            .AllowRoles(Roles.Staff);

        var plan = routes.MapGroup("/v1/clinics/{clinicId:guid}/treatment-plans/{planId:guid}").WithTags("Prices");
        plan.MapGet("/estimate", GetEstimate)
            .Describe("GetTreatmentPlanEstimate", "Price a treatment plan under the clinic's price list, with its payments")
            .AllowRoles(Roles.StaffAndPatientApp)
            .Audited("quote", readsPatientData: true, idRouteValue: "planId");
        plan.MapPost("/quotes", CreateQuote)
            .Describe("CreateQuote", "Freeze the plan's estimate as a quote, unchanged by later price changes")
            .AllowRoles(Roles.Staff)
            .Audited("quote", readsPatientData: true);
        plan.MapGet("/quotes/{quoteId:guid}", GetQuote)
            .Describe("GetQuote", "Get a quote as it was given")
            .AllowRoles(Roles.StaffAndPatientApp)
            .Audited("quote", readsPatientData: true);
        return routes;
    }

    private static async Task<Results<Ok<PriceListResponse>, Created<PriceListResponse>, ValidationProblem, NotFoundProblem, IfMatchProblem>> PutPriceList(
        Guid clinicId, PriceListRequest request, IfMatch ifMatch, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        if (PricingWire.Read(request, validation) is not { } prices)
        {
            return validation.Problem();
        }

        var body = PricingWire.ToRequest(prices);
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<PriceListResponse>, Created<PriceListResponse>, ValidationProblem, NotFoundProblem, IfMatchProblem>>(async (connection, transaction) =>
        {
            if (await ClinicStore.FindAsync(connection, clinicId, transaction) is null)
            {
                return NotFoundProblem.Of("clinic", clinicId);
            }

            // The first price list needs no If-Match: there is no version to have seen. Replacing one does, so
            // that a change made by someone else is never overwritten unseen.
            var current = await PricingStore.FindPriceListAsync(connection, clinicId, transaction);
            if (current is null)
            {
                if (ifMatch.Refusal(0) is { } stale)
                {
                    return stale;
                }

                await PricingStore.InsertPriceListAsync(connection, transaction, clinicId, body, now);
                await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "price-list.updated", "price_list", clinicId, null, 1, now));
                return TypedResults.Created($"/v1/clinics/{clinicId}/price-list", PricingWire.ToResponse(new StoredPriceList(body, 1, now)));
            }

            if (ifMatch.Refusal(current.Version, required: true) is { } refusal)
            {
                return refusal;
            }

            var version = await PricingStore.UpdatePriceListAsync(connection, transaction, clinicId, body, current.Version, now)
                ?? throw new ConflictException("The price list changed while it was being replaced; fetch it and try again.");
            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "price-list.updated", "price_list", clinicId, null, version, now));
            return TypedResults.Ok(PricingWire.ToResponse(new StoredPriceList(body, version, now)));
        }, cancellationToken);
    }

    private static async Task<Results<Ok<PriceListResponse>, NotFoundProblem>> GetPriceList(Guid clinicId, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await PricingStore.FindPriceListAsync(connection, clinicId) is { } stored
            ? TypedResults.Ok(PricingWire.ToResponse(stored))
            : NotFoundProblem.Of("price list of clinic", clinicId);
    }

    private static async Task<Results<Ok<EstimateResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> GetEstimate(
        Guid clinicId, Guid planId, string? paymentPlan, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var priced = await PriceAsync(connection, null, clinicId, planId, paymentPlan, Caller.From(user));
        return priced switch
        {
            { Invalid: { } invalid } => invalid,
            { NotFound: { } notFound } => notFound,
            { NoPriceList: { } noPriceList } => noPriceList,
            _ => TypedResults.Ok(priced.Estimate!),
        };
    }

    private static async Task<Results<Created<QuoteResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> CreateQuote(
        Guid clinicId, Guid planId, CreateQuoteRequest? request, ClaimsPrincipal user, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();

        // Priced inside the write transaction, so the quote records exactly the price-list version it was priced at.
        return await db.WriteAsync<Results<Created<QuoteResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>>(async (connection, transaction) =>
        {
            var priced = await PriceAsync(connection, transaction, clinicId, planId, request?.PaymentPlan, Caller.From(user));
            if (priced.Estimate is not { } estimate)
            {
                return priced switch
                {
                    { Invalid: { } invalid } => invalid,
                    { NotFound: { } notFound } => notFound,
                    _ => priced.NoPriceList!,
                };
            }

            var quote = new QuoteResponse(Guid.CreateVersion7(), planId, estimate.PatientId, now, estimate);
            await PricingStore.InsertQuoteAsync(connection, transaction, clinicId, quote);
            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "quote.created", "quote", quote.Id, quote.PatientId, 1, now));
            return TypedResults.Created($"/v1/clinics/{clinicId}/treatment-plans/{planId}/quotes/{quote.Id}", quote);
        }, cancellationToken);
    }

    private static async Task<Results<Ok<QuoteResponse>, NotFoundProblem>> GetQuote(
        Guid clinicId, Guid planId, Guid quoteId, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await PricingStore.FindQuoteAsync(connection, clinicId, planId, quoteId) is { } quote && Caller.From(user).MaySee(quote.PatientId)
            ? TypedResults.Ok(quote)
            : NotFoundProblem.Of("quote", quoteId);
    }

    /// <summary>
    /// The plan's estimate under the clinic's current price list, or why there is none: the plan is not found
    /// (or is another patient's, for a patient's app), the clinic has no price list, or the payment plan is unknown.
    /// </summary>
    private static async Task<Priced> PriceAsync(DbConnection connection, DbTransaction? transaction, Guid clinicId, Guid planId, string? paymentPlanName, Caller caller)
    {
        if (await PlanStore.FindAsync(connection, clinicId, planId, transaction) is not { } stored || !caller.MaySee(stored.Plan.PatientId))
        {
            return new Priced(NotFound: NotFoundProblem.Of("treatment plan", planId));
        }

        if (await PricingStore.FindPriceListAsync(connection, clinicId, transaction) is not { } list)
        {
            return new Priced(NoPriceList: ConflictProblem.Of("The clinic has no price list yet; a clinic admin sets one with PUT /price-list."));
        }

        var prices = PricingWire.Read(list.Body, new Validation())!;
        PaymentPlan? paymentPlan = null;
        if (paymentPlanName is not null && (paymentPlan = prices.FindPaymentPlan(paymentPlanName)) is null)
        {
            var names = prices.PaymentPlans.Select(p => $"\"{p.Name}\"").ToList();
            return new Priced(Invalid: new Validation().Add("paymentPlan", names.Count == 0
                ? "The clinic's price list offers no payment plans; leave paymentPlan out."
                : $"Must be one of the price list's payment plans: {string.Join(", ", names)}.").Problem());
        }

        var sessions = await SessionStore.ForPlanAsync(connection, clinicId, planId, transaction);
        var estimate = Estimate.For(prices, Count(stored.Plan, sessions), stored.Plan.StartDate, paymentPlan);
        return new Priced(PricingWire.ToResponse(estimate, planId, stored.Plan.PatientId, list.Version));
    }

    /// <summary>
    /// The plan's planned sessions by phase, and its boosters: sessions booked for the plan outside its series
    /// (no sequence number) that were not cancelled.
    /// </summary>
    private static SessionCounts Count(TreatmentPlan plan, IReadOnlyList<SessionRow> booked) => new(
        plan.Sessions.Count(s => s.Phase == Phase.Induction),
        plan.Sessions.Count(s => s.Phase == Phase.Maintenance),
        booked.Count(s => s.Sequence is null && s.ToSession().Status != SessionStatus.Cancelled));

    /// <summary>An estimate, or the one answer that refuses it.</summary>
    private sealed record Priced(EstimateResponse? Estimate = null, ValidationProblem? Invalid = null, NotFoundProblem? NotFound = null, ConflictProblem? NoPriceList = null);
}
