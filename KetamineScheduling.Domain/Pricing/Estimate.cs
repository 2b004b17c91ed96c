using System.Collections.Immutable;
using KetamineScheduling.Domain.Plans;
using NodaTime;

namespace KetamineScheduling.Domain.Pricing;

/// <summary>The sessions of a plan that an estimate prices, counted by kind.</summary>
/// <param name="Induction">The plan's planned induction sessions.</param>
/// <param name="Maintenance">The plan's planned maintenance sessions.</param>
/// <param name="Boosters">
/// Sessions booked for the plan outside its planned series (no sequence number), and not cancelled. A new plan
/// has none; they appear when the clinic books a booster against the plan.
/// </param>
public sealed record SessionCounts(int Induction, int Maintenance, int Boosters = 0);

/// <summary>One line of an estimate: sessions at the session price, or packages at the package price.</summary>
/// <param name="Description">What the line is for: "Induction sessions", "1 × Induction series of 6".</param>
/// <param name="Sessions">How many sessions the line covers.</param>
/// <param name="UnitPrice">The price of one session on a session line, of one package on a package line.</param>
/// <param name="Amount">What the line costs.</param>
public sealed record EstimateLine(string Description, int Sessions, decimal UnitPrice, decimal Amount);

/// <summary>A package the estimate bought because it made the plan cheaper.</summary>
/// <param name="Name">The package's name in the price list.</param>
/// <param name="Phase">The phase it covers.</param>
/// <param name="Quantity">How many of it are bought.</param>
/// <param name="Sessions">The sessions they cover together.</param>
/// <param name="Saving">What they save against the same sessions at the session price.</param>
public sealed record AppliedPackage(string Name, Phase Phase, int Quantity, int Sessions, decimal Saving);

/// <summary>One payment: what is due, on which local date.</summary>
public sealed record Installment(LocalDate DueDate, decimal Amount);

/// <summary>
/// What a treatment plan will cost under a price list, line by line, and when it is paid. Amounts are whole
/// minor units of <see cref="Currency"/>; <see cref="Installments"/> add up to <see cref="Total"/> exactly.
/// </summary>
public sealed record Estimate(
    Currency Currency,
    ImmutableArray<EstimateLine> Lines,
    ImmutableArray<AppliedPackage> PackagesApplied,
    decimal Total,
    string? PaymentPlan,
    ImmutableArray<Installment> Installments)
{
    /// <summary>
    /// Prices <paramref name="sessions"/> under <paramref name="prices"/>, buying packages wherever they make a
    /// phase cheaper, and spreads the total over <paramref name="paymentPlan"/> from <paramref name="startDate"/>.
    /// </summary>
    /// <param name="prices">The clinic's price list.</param>
    /// <param name="sessions">The plan's sessions by kind.</param>
    /// <param name="startDate">The plan's start date: the deposit's due date, and where installment dates count from.</param>
    /// <param name="paymentPlan">
    /// How the patient pays; null pays the total in one payment on the start date.
    /// </param>
    /// <remarks>
    /// Each phase is priced on its own: the cheapest mix of that phase's packages and single sessions
    /// (<see cref="Packages.Cheapest"/>). Boosters are always priced singly; no package covers them.
    /// </remarks>
    public static Estimate For(PriceList prices, SessionCounts sessions, LocalDate startDate, PaymentPlan? paymentPlan = null)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(sessions);
        if (sessions.Induction < 0 || sessions.Maintenance < 0 || sessions.Boosters < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sessions), "Session counts are never negative.");
        }

        var lines = ImmutableArray.CreateBuilder<EstimateLine>();
        var applied = ImmutableArray.CreateBuilder<AppliedPackage>();
        foreach (var (phase, count) in new[] { (Phase.Induction, sessions.Induction), (Phase.Maintenance, sessions.Maintenance) })
        {
            var unit = prices.SessionPrices.For(phase);
            var options = prices.Packages.Where(p => p.Phase == phase).ToImmutableArray();
            var choice = Packages.Cheapest(count, unit, options);
            foreach (var (package, quantity) in choice.Bought)
            {
                var covered = package.Sessions * quantity;
                var amount = package.Price * quantity;
                lines.Add(new EstimateLine($"{quantity} × {package.Name}", covered, package.Price, amount));
                applied.Add(new AppliedPackage(package.Name, phase, quantity, covered, unit * covered - amount));
            }

            if (choice.SingleSessions > 0)
            {
                lines.Add(new EstimateLine($"{phase} sessions", choice.SingleSessions, unit, unit * choice.SingleSessions));
            }
        }

        if (sessions.Boosters > 0)
        {
            var booster = prices.SessionPrices.Booster;
            lines.Add(new EstimateLine("Booster sessions", sessions.Boosters, booster, booster * sessions.Boosters));
        }

        var total = lines.Sum(l => l.Amount);
        return new Estimate(prices.Currency, lines.ToImmutable(), applied.ToImmutable(), total, paymentPlan?.Name,
            Schedule.Spread(total, prices.Currency, startDate, paymentPlan));
    }
}

/// <summary>The cheapest way to buy a number of sessions of one phase: how many of each package, the rest singly.</summary>
/// <param name="Bought">Each package bought, with how many; only packages bought at least once.</param>
/// <param name="SingleSessions">The sessions left over, bought at the session price.</param>
/// <param name="Cost">What it all costs.</param>
public sealed record PackageChoice(ImmutableArray<(SessionPackage Package, int Quantity)> Bought, int SingleSessions, decimal Cost);

/// <summary>Choosing packages for a phase.</summary>
public static class Packages
{
    /// <summary>
    /// The cheapest way to buy <paramref name="sessions"/> sessions from <paramref name="packages"/> and single
    /// sessions at <paramref name="unitPrice"/>. Packages never cover more sessions than the phase has, so the
    /// patient is never sold a session the plan does not hold; a package is bought only where it lowers the cost,
    /// so the result never costs more than <paramref name="sessions"/> × <paramref name="unitPrice"/>.
    /// </summary>
    /// <remarks>
    /// Exact, not greedy: a small unbounded knapsack over the session count (a course holds tens of sessions, and a
    /// clinic a handful of packages). On a tie the cheaper answer with fewer packages wins: single sessions first,
    /// then packages in price-list order.
    /// </remarks>
    public static PackageChoice Cheapest(int sessions, decimal unitPrice, ImmutableArray<SessionPackage> packages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sessions);
        // cost[n] is the cheapest price of exactly n sessions; last[n] is the package bought last to reach it (-1: a single session).
        var cost = new decimal[sessions + 1];
        var last = new int[sessions + 1];
        for (var n = 1; n <= sessions; n++)
        {
            cost[n] = cost[n - 1] + unitPrice;
            last[n] = -1;
            for (var i = 0; i < packages.Length; i++)
            {
                var package = packages[i];
                if (package.Sessions <= n && cost[n - package.Sessions] + package.Price < cost[n])
                {
                    cost[n] = cost[n - package.Sessions] + package.Price;
                    last[n] = i;
                }
            }
        }

        var quantities = new int[packages.Length];
        var singles = 0;
        for (var n = sessions; n > 0;)
        {
            if (last[n] < 0)
            {
                singles++;
                n--;
            }
            else
            {
                quantities[last[n]]++;
                n -= packages[last[n]].Sessions;
            }
        }

        var bought = packages.Select((p, i) => (Package: p, Quantity: quantities[i])).Where(b => b.Quantity > 0).ToImmutableArray();
        return new PackageChoice(bought, singles, cost[sessions]);
    }
}

/// <summary>Spreading a total over a payment plan.</summary>
public static class Schedule
{
    /// <summary>
    /// The payments of <paramref name="total"/> under <paramref name="plan"/>: the deposit on
    /// <paramref name="startDate"/>, then <see cref="PaymentPlan.Installments"/> parts, the k-th due
    /// k × <see cref="PaymentPlan.IntervalDays"/> days after <paramref name="startDate"/>. Without a plan, the
    /// total is due on the start date.
    /// </summary>
    /// <remarks>
    /// Every payment is a whole number of minor units, and they add up to the total exactly. The deposit is
    /// <see cref="PaymentPlan.DepositPercent"/> of the total rounded down to a minor unit, so it never exceeds the
    /// percentage; a 0% deposit is left out. The rest is split into equal parts of whole minor units, and the minor
    /// units left over (fewer than the number of parts) go one each to the first installments: 1,920.01 over 3 is
    /// 640.01, 640.00, 640.00.
    /// </remarks>
    public static ImmutableArray<Installment> Spread(decimal total, Currency currency, LocalDate startDate, PaymentPlan? plan)
    {
        ArgumentNullException.ThrowIfNull(currency);
        if (total < 0 || !currency.IsWhole(total))
        {
            throw new ArgumentOutOfRangeException(nameof(total), "The total is a whole, non-negative amount.");
        }

        if (plan is null)
        {
            return [new Installment(startDate, total)];
        }

        var units = total / currency.MinorUnit;
        var depositUnits = decimal.Floor(units * plan.DepositPercent / 100m);
        var rest = units - depositUnits;
        var part = decimal.Floor(rest / plan.Installments);
        var leftOver = (int)(rest - part * plan.Installments);
        var payments = ImmutableArray.CreateBuilder<Installment>(plan.Installments + 1);
        if (depositUnits > 0)
        {
            payments.Add(new Installment(startDate, depositUnits * currency.MinorUnit));
        }

        for (var k = 1; k <= plan.Installments; k++)
        {
            var amount = (part + (k <= leftOver ? 1 : 0)) * currency.MinorUnit;
            payments.Add(new Installment(startDate.PlusDays(k * plan.IntervalDays), amount));
        }

        return payments.ToImmutable();
    }
}
