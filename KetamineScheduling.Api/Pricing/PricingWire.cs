using System.Collections.Immutable;
using System.Globalization;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Domain.Pricing;

namespace KetamineScheduling.Api.Pricing;

/// <summary>Between the price list's and the estimate's JSON, where money is a decimal string, and the domain.</summary>
internal static class PricingWire
{
    /// <summary>Most packages, and most payment plans, one price list holds.</summary>
    public const int MaxEntries = 20;

    private const int MaxNameLength = 100;

    /// <summary>
    /// The price list a request describes, or null with every problem added to <paramref name="validation"/>,
    /// each naming its field (<c>sessionPrices.induction</c>, <c>packages[0].price</c>).
    /// </summary>
    public static PriceList? Read(PriceListRequest request, Validation validation)
    {
        var currency = Currency.Find(request.Currency);
        if (currency is null)
        {
            validation.Add("currency", $"Must be an ISO 4217 code in upper case, one of: {string.Join(", ", Currency.Known.Keys.Order(StringComparer.Ordinal))}.");
        }

        var prices = request.SessionPrices;
        var induction = Money(validation, currency, "sessionPrices.induction", prices.Induction);
        var maintenance = Money(validation, currency, "sessionPrices.maintenance", prices.Maintenance);
        var booster = Money(validation, currency, "sessionPrices.booster", prices.Booster);

        var packages = ImmutableArray.CreateBuilder<SessionPackage>();
        var bodies = request.Packages ?? [];
        CheckCount(validation, "packages", bodies.Count);
        for (var i = 0; i < bodies.Count; i++)
        {
            var field = $"packages[{i}]";
            if (bodies[i] is not { } body)
            {
                validation.Add(field, "Is required.");
                continue;
            }

            CheckName(validation, field, body.Name, bodies.Take(i).Select(b => b?.Name));
            validation.Range($"{field}.sessions", body.Sessions, 1, 60);
            if (Money(validation, currency, $"{field}.price", body.Price) is { } price)
            {
                packages.Add(new SessionPackage(body.Name, body.Phase, body.Sessions, price));
            }
        }

        var plans = ImmutableArray.CreateBuilder<PaymentPlan>();
        var planBodies = request.PaymentPlans ?? [];
        CheckCount(validation, "paymentPlans", planBodies.Count);
        for (var i = 0; i < planBodies.Count; i++)
        {
            var field = $"paymentPlans[{i}]";
            if (planBodies[i] is not { } body)
            {
                validation.Add(field, "Is required.");
                continue;
            }

            CheckName(validation, field, body.Name, planBodies.Take(i).Select(b => b?.Name));
            validation.Range($"{field}.installments", body.Installments, 1, 60);
            validation.Range($"{field}.intervalDays", body.IntervalDays, 1, 366);
            if (body.DepositPercent is < 0 or >= 100 || decimal.Round(body.DepositPercent, 2) != body.DepositPercent)
            {
                validation.Add($"{field}.depositPercent", "Must be from 0 to below 100, with at most 2 decimals, such as 20.");
            }

            plans.Add(new PaymentPlan(body.Name, body.Installments, body.IntervalDays, body.DepositPercent));
        }

        return validation.IsValid
            ? new PriceList(currency!, new SessionPrices(induction!.Value, maintenance!.Value, booster!.Value), packages.ToImmutable(), plans.ToImmutable())
            : null;
    }

    /// <summary>The request that describes <paramref name="prices"/>: how a price list is stored and answered.</summary>
    public static PriceListRequest ToRequest(PriceList prices)
    {
        var c = prices.Currency;
        return new PriceListRequest(
            c.Code,
            new SessionPricesBody(c.Format(prices.SessionPrices.Induction), c.Format(prices.SessionPrices.Maintenance), c.Format(prices.SessionPrices.Booster)),
            [.. prices.Packages.Select(p => new PackageBody(p.Name, p.Phase, p.Sessions, c.Format(p.Price)))],
            [.. prices.PaymentPlans.Select(p => new PaymentPlanBody(p.Name, p.Installments, p.IntervalDays, p.DepositPercent))]);
    }

    /// <summary>The stored price list's answer.</summary>
    public static PriceListResponse ToResponse(StoredPriceList stored) =>
        new(stored.Body.Currency, stored.Body.SessionPrices, stored.Body.Packages ?? [], stored.Body.PaymentPlans ?? [], stored.Version, stored.UpdatedAt);

    /// <summary>An estimate's answer, for <paramref name="planId"/> of <paramref name="patientId"/>.</summary>
    public static EstimateResponse ToResponse(Estimate estimate, Guid planId, Guid patientId, int priceListVersion)
    {
        var c = estimate.Currency;
        return new EstimateResponse(
            planId,
            patientId,
            c.Code,
            priceListVersion,
            estimate.PaymentPlan,
            [.. estimate.Lines.Select(l => new EstimateLineResponse(l.Description, l.Sessions, c.Format(l.UnitPrice), c.Format(l.Amount)))],
            [.. estimate.PackagesApplied.Select(p => new AppliedPackageResponse(p.Name, p.Phase, p.Quantity, p.Sessions, c.Format(p.Saving)))],
            c.Format(estimate.Total),
            [.. estimate.Installments.Select(i => new InstallmentResponse(i.DueDate, c.Format(i.Amount)))]);
    }

    /// <summary>
    /// An amount in <paramref name="currency"/>, written with exactly its minor-unit digits; null, with the
    /// field's problem added, otherwise. Without a valid currency only a missing amount is reported.
    /// </summary>
    private static decimal? Money(Validation validation, Currency? currency, string field, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            validation.Add(field, currency?.AmountRule ?? "Is required.");
            return null;
        }

        if (currency is null)
        {
            return null;
        }

        if (currency.Parse(text) is { } amount)
        {
            return amount;
        }

        validation.Add(field, currency.AmountRule);
        return null;
    }

    private static void CheckName(Validation validation, string field, string? name, IEnumerable<string?> earlier)
    {
        validation.Required($"{field}.name", name).Name($"{field}.name", name, MaxNameLength);
        if (name is not null && earlier.Contains(name, StringComparer.Ordinal))
        {
            validation.Add($"{field}.name", "Must be unique in the price list; an earlier entry has this name.");
        }
    }

    private static void CheckCount(Validation validation, string field, int count)
    {
        if (count > MaxEntries)
        {
            validation.Add(field, string.Create(CultureInfo.InvariantCulture, $"Must hold at most {MaxEntries}; it held {count}."));
        }
    }
}
