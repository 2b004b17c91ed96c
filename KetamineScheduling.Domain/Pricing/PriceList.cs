using System.Collections.Immutable;
using KetamineScheduling.Domain.Plans;

namespace KetamineScheduling.Domain.Pricing;

/// <summary>
/// What one session costs, by the kind of session. Amounts are in the price list's currency, in whole minor units.
/// </summary>
/// <param name="Induction">One session of the induction series.</param>
/// <param name="Maintenance">One maintenance session.</param>
/// <param name="Booster">One booster: a session booked for the plan outside its planned series.</param>
public sealed record SessionPrices(decimal Induction, decimal Maintenance, decimal Booster)
{
    /// <summary>The price of one session of <paramref name="phase"/>.</summary>
    public decimal For(Phase phase) => phase == Phase.Induction ? Induction : Maintenance;
}

/// <summary>
/// Several sessions of one phase sold together, such as "Induction series of 6" for 2,400.00. A package applies
/// only to sessions of its own phase.
/// </summary>
/// <param name="Name">What the clinic calls it; unique in its price list.</param>
/// <param name="Phase">The phase whose sessions it covers.</param>
/// <param name="Sessions">How many sessions one package covers, 1 or more.</param>
/// <param name="Price">The price of one package.</param>
public sealed record SessionPackage(string Name, Phase Phase, int Sessions, decimal Price);

/// <summary>
/// A way to pay for a course over time: a deposit on the plan's start date, then equal installments.
/// </summary>
/// <param name="Name">What the clinic calls it; unique in its price list, and how an estimate asks for it.</param>
/// <param name="Installments">How many installments follow the deposit, 1 or more.</param>
/// <param name="IntervalDays">Days between installments; the first is due this many days after the start date.</param>
/// <param name="DepositPercent">The share of the total due on the start date, 0 (no deposit) to below 100.</param>
/// <example>"3 monthly" with 3 installments every 30 days and a 20% deposit: on a 2,400.00 course, 480.00 on the start
/// date, then 640.00 after 30, 60 and 90 days.</example>
public sealed record PaymentPlan(string Name, int Installments, int IntervalDays, decimal DepositPercent);

/// <summary>
/// A clinic's prices: what a session costs, the packages it sells and the payment plans it offers, all in one
/// currency. Money is <see cref="decimal"/> in whole minor units of <see cref="Currency"/>, never binary floating point.
/// </summary>
public sealed record PriceList
{
    public PriceList(Currency currency, SessionPrices sessionPrices, ImmutableArray<SessionPackage> packages, ImmutableArray<PaymentPlan> paymentPlans)
    {
        ArgumentNullException.ThrowIfNull(currency);
        ArgumentNullException.ThrowIfNull(sessionPrices);
        packages = packages.IsDefault ? [] : packages;
        paymentPlans = paymentPlans.IsDefault ? [] : paymentPlans;
        if (new[] { sessionPrices.Induction, sessionPrices.Maintenance, sessionPrices.Booster }.Concat(packages.Select(p => p.Price))
            .Any(amount => amount < 0 || !currency.IsWhole(amount)))
        {
            throw new ArgumentException($"Every price is a whole, non-negative amount of {currency.Code}.", nameof(sessionPrices));
        }

        if (packages.Any(p => p.Sessions < 1) || packages.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != packages.Length)
        {
            throw new ArgumentException("Every package covers at least one session and has its own name.", nameof(packages));
        }

        if (paymentPlans.Any(p => p.Installments < 1 || p.IntervalDays < 1 || p.DepositPercent is < 0 or >= 100) ||
            paymentPlans.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != paymentPlans.Length)
        {
            throw new ArgumentException("Every payment plan has at least one installment, an interval of a day or more, a deposit under 100% and its own name.", nameof(paymentPlans));
        }

        Currency = currency;
        SessionPrices = sessionPrices;
        Packages = packages;
        PaymentPlans = paymentPlans;
    }

    public Currency Currency { get; }

    public SessionPrices SessionPrices { get; }

    public ImmutableArray<SessionPackage> Packages { get; }

    public ImmutableArray<PaymentPlan> PaymentPlans { get; }

    /// <summary>The payment plan with this name (exactly), or null.</summary>
    public PaymentPlan? FindPaymentPlan(string name) => PaymentPlans.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}
