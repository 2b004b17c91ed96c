using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Pricing;
using NodaTime;

namespace KetamineScheduling.Tests.Domain.Properties;

/// <summary>Estimates for all price lists, plans and payment plans: the money always adds up.</summary>
public sealed class PricingProperties
{
    private static readonly Gen<Currency> Currencies = Gen.Elements(Currency.Known.Values.AsEnumerable());

    /// <summary>A whole amount of minor units, up to 5,000 major units.</summary>
    private static Gen<decimal> Amount(Currency currency) =>
        Gen.Choose(0, 5_000 * (int)(1 / currency.MinorUnit)).Select(units => units * currency.MinorUnit);

    private static Gen<PaymentPlan> PaymentPlans =>
        from installments in Gen.Choose(1, 24)
        from interval in Gen.Choose(1, 60)
        from deposit in Gen.Choose(0, 9_999)
        select new PaymentPlan("plan", installments, interval, deposit / 100m);

    private static readonly Gen<(PriceList Prices, SessionCounts Sessions, PaymentPlan Plan)> Cases =
        from currency in Currencies
        from induction in Amount(currency)
        from maintenance in Amount(currency)
        from booster in Amount(currency)
        from packages in Gen.ListOf(
            from phase in Gen.Elements(Phase.Induction, Phase.Maintenance)
            from sessions in Gen.Choose(1, 12)
            from price in Amount(currency).Select(a => a * 3)
            select (phase, sessions, price))
        from counts in Gen.Three(Gen.Choose(0, 30))
        from plan in PaymentPlans
        let list = packages.Select((p, i) => new SessionPackage($"Package {i}", p.phase, p.sessions, p.price)).ToImmutableArray()
        select (new PriceList(currency, new SessionPrices(induction, maintenance, booster), list, [plan]),
                new SessionCounts(counts.Item1, counts.Item2, counts.Item3), plan);

    private static readonly LocalDate Start = new(2027, 1, 4);

    [Fact]
    public void Installments_always_sum_to_the_total_exactly() =>
        Checks.ForAll(Cases, c =>
        {
            var estimate = Estimate.For(c.Prices, c.Sessions, Start, c.Plan);
            Assert.Equal(estimate.Total, estimate.Installments.Sum(i => i.Amount));
            Assert.Equal(estimate.Total, estimate.Lines.Sum(l => l.Amount));
        }, runs: 500);

    [Fact]
    public void Every_installment_is_a_whole_non_negative_number_of_minor_units_and_parts_differ_by_at_most_one() =>
        Checks.ForAll(Cases, c =>
        {
            var estimate = Estimate.For(c.Prices, c.Sessions, Start, c.Plan);
            Assert.All(estimate.Installments, i => Assert.True(i.Amount >= 0 && c.Prices.Currency.IsWhole(i.Amount), $"{i.Amount} is not whole {c.Prices.Currency.Code}"));
            var parts = estimate.Installments.TakeLast(c.Plan.Installments).Select(i => i.Amount).ToList();
            Assert.Equal(c.Plan.Installments, parts.Count);
            Assert.True(parts.Max() - parts.Min() <= c.Prices.Currency.MinorUnit);
            Assert.Equal(parts.OrderByDescending(p => p), parts);
        }, runs: 500);

    [Fact]
    public void Installments_fall_every_interval_from_the_start_after_a_deposit_on_the_start_date() =>
        Checks.ForAll(Cases, c =>
        {
            var estimate = Estimate.For(c.Prices, c.Sessions, Start, c.Plan);
            var parts = estimate.Installments.TakeLast(c.Plan.Installments).Select(i => i.DueDate);
            Assert.Equal(Enumerable.Range(1, c.Plan.Installments).Select(k => Start.PlusDays(k * c.Plan.IntervalDays)), parts);
            var deposit = estimate.Installments.SkipLast(c.Plan.Installments).ToList();
            Assert.All(deposit, d => Assert.Equal(Start, d.DueDate));
            Assert.True(deposit.Sum(d => d.Amount) <= estimate.Total * c.Plan.DepositPercent / 100m);
        }, runs: 300);

    [Fact]
    public void Applying_packages_never_makes_the_total_higher_than_without_them() =>
        Checks.ForAll(Cases, c =>
        {
            var with = Estimate.For(c.Prices, c.Sessions, Start, c.Plan);
            var without = Estimate.For(new PriceList(c.Prices.Currency, c.Prices.SessionPrices, [], c.Prices.PaymentPlans), c.Sessions, Start, c.Plan);
            Assert.True(with.Total <= without.Total, $"{with.Total} with packages, {without.Total} without");
            Assert.Equal(without.Total - with.Total, with.PackagesApplied.Sum(p => p.Saving));
            Assert.All(with.PackagesApplied, p => Assert.True(p.Saving > 0));
        }, runs: 500);

    [Fact]
    public void The_chosen_packages_cost_no_more_than_any_other_mix_of_them() =>
        Checks.ForAll(Cases.Where(c => c.Prices.Packages.Count(p => p.Phase == Phase.Induction) <= 2 && c.Sessions.Induction <= 15), c =>
        {
            var unit = c.Prices.SessionPrices.Induction;
            var packages = c.Prices.Packages.Where(p => p.Phase == Phase.Induction).ToImmutableArray();
            var chosen = Packages.Cheapest(c.Sessions.Induction, unit, packages);
            Assert.Equal(c.Sessions.Induction, chosen.SingleSessions + chosen.Bought.Sum(b => b.Package.Sessions * b.Quantity));
            Assert.Equal(chosen.Cost, chosen.SingleSessions * unit + chosen.Bought.Sum(b => b.Package.Price * b.Quantity));
            Assert.Equal(BruteForce(c.Sessions.Induction, unit, packages), chosen.Cost);
        }, runs: 300);

    [Fact]
    public void Amounts_read_back_exactly_as_they_are_written() =>
        Checks.ForAll(from currency in Currencies from amount in Amount(currency) select (currency, amount), c =>
            Assert.Equal(c.amount, c.currency.Parse(c.currency.Format(c.amount))));

    /// <summary>Every mix of up to two packages, by enumeration.</summary>
    private static decimal BruteForce(int sessions, decimal unit, ImmutableArray<SessionPackage> packages)
    {
        var best = sessions * unit;
        var first = packages.ElementAtOrDefault(0);
        var second = packages.ElementAtOrDefault(1);
        for (var a = 0; first is not null && a * first.Sessions <= sessions; a++)
        {
            var left = sessions - a * first.Sessions;
            best = Math.Min(best, a * first.Price + left * unit);
            for (var b = 1; second is not null && b * second.Sessions <= left; b++)
            {
                best = Math.Min(best, a * first.Price + b * second.Price + (left - b * second.Sessions) * unit);
            }
        }

        for (var b = 1; first is null && second is not null && b * second.Sessions <= sessions; b++)
        {
            best = Math.Min(best, b * second.Price + (sessions - b * second.Sessions) * unit);
        }

        return best;
    }
}
