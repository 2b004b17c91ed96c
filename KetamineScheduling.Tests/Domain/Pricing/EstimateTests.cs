using System.Collections.Immutable;
using System.Globalization;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Pricing;
using NodaTime;

namespace KetamineScheduling.Tests.Domain.Pricing;

/// <summary>The estimates a front desk would quote, worked by hand.</summary>
public sealed class EstimateTests
{
    private static readonly Currency Usd = Currency.Find("USD")!;
    private static readonly LocalDate Start = new(2027, 1, 11);
    private static readonly SessionPrices Prices = new(450.00m, 400.00m, 500.00m);
    private static readonly SessionPackage SeriesOfSix = new("Induction series of 6", Phase.Induction, 6, 2400.00m);
    private static readonly PaymentPlan ThreeMonthly = new("3 monthly", 3, 30, 20m);

    [Fact]
    public void A_six_plus_four_plan_without_packages_costs_each_session_at_its_price()
    {
        var estimate = Estimate.For(new PriceList(Usd, Prices, [], []), new SessionCounts(6, 4), Start);

        Assert.Equal(
            [new EstimateLine("Induction sessions", 6, 450.00m, 2700.00m), new EstimateLine("Maintenance sessions", 4, 400.00m, 1600.00m)],
            estimate.Lines.AsEnumerable());
        Assert.Empty(estimate.PackagesApplied);
        Assert.Equal(4300.00m, estimate.Total);
        Assert.Equal([new Installment(Start, 4300.00m)], estimate.Installments.AsEnumerable());
    }

    [Fact]
    public void A_six_plus_four_plan_with_the_induction_series_of_six_buys_the_series_and_saves_300()
    {
        var estimate = Estimate.For(new PriceList(Usd, Prices, [SeriesOfSix], []), new SessionCounts(6, 4), Start);

        Assert.Equal(
            [new EstimateLine("1 × Induction series of 6", 6, 2400.00m, 2400.00m), new EstimateLine("Maintenance sessions", 4, 400.00m, 1600.00m)],
            estimate.Lines.AsEnumerable());
        Assert.Equal([new AppliedPackage("Induction series of 6", Phase.Induction, 1, 6, 300.00m)], estimate.PackagesApplied.AsEnumerable());
        Assert.Equal(4000.00m, estimate.Total);
    }

    [Fact]
    public void A_package_dearer_than_its_sessions_is_not_bought()
    {
        var dear = SeriesOfSix with { Price = 2700.01m };

        var estimate = Estimate.For(new PriceList(Usd, Prices, [dear], []), new SessionCounts(6, 4), Start);

        Assert.Empty(estimate.PackagesApplied);
        Assert.Equal(4300.00m, estimate.Total);
    }

    [Fact]
    public void An_induction_package_never_covers_maintenance_sessions()
    {
        var estimate = Estimate.For(new PriceList(Usd, Prices, [SeriesOfSix with { Sessions = 4, Price = 1000.00m }], []), new SessionCounts(2, 8), Start);

        Assert.Empty(estimate.PackagesApplied);
        Assert.Equal(2 * 450.00m + 8 * 400.00m, estimate.Total);
    }

    [Fact]
    public void The_cheapest_mix_is_found_where_buying_the_best_value_package_first_is_not_cheapest()
    {
        // Per session the 5-pack is cheapest (80), but 6 sessions cost 400 + 100 that way, and 420 as two 3-packs.
        var packages = ImmutableArray.Create(new SessionPackage("Five", Phase.Induction, 5, 400m), new SessionPackage("Three", Phase.Induction, 3, 210m));

        var choice = Packages.Cheapest(6, 100m, packages);

        Assert.Equal(420m, choice.Cost);
        Assert.Equal([(packages[1], 2)], choice.Bought.AsEnumerable());
        Assert.Equal(0, choice.SingleSessions);
    }

    [Fact]
    public void A_three_installment_plan_with_a_20_percent_deposit_takes_the_deposit_on_the_start_date_and_then_equal_parts()
    {
        var estimate = Estimate.For(new PriceList(Usd, Prices, [SeriesOfSix], [ThreeMonthly]), new SessionCounts(6, 4), Start, ThreeMonthly);

        Assert.Equal(
            [
                new Installment(Start, 800.00m),
                new Installment(Start.PlusDays(30), 1066.67m),
                new Installment(Start.PlusDays(60), 1066.67m),
                new Installment(Start.PlusDays(90), 1066.66m),
            ],
            estimate.Installments.AsEnumerable());
        Assert.Equal(4000.00m, estimate.Installments.Sum(i => i.Amount));
        Assert.Equal("3 monthly", estimate.PaymentPlan);
    }

    [Fact]
    public void A_deposit_is_rounded_down_to_a_minor_unit_and_the_parts_take_up_the_rest()
    {
        var payments = Schedule.Spread(100.01m, Usd, Start, new PaymentPlan("odd", 2, 14, 12.5m));

        // 12.5% of 100.01 is 12.50125: the deposit is 12.50, and 87.51 is split 43.76 + 43.75.
        Assert.Equal([12.50m, 43.76m, 43.75m], payments.Select(p => p.Amount));
    }

    [Fact]
    public void Yen_have_no_minor_unit_so_every_payment_is_whole_yen()
    {
        var yen = Currency.Find("JPY")!;

        var payments = Schedule.Spread(100_000m, yen, Start, new PaymentPlan("three", 3, 30, 20m));

        Assert.Equal([20_000m, 26_667m, 26_667m, 26_666m], payments.Select(p => p.Amount));
        Assert.Equal("26667", yen.Format(26_667m));
    }

    [Fact]
    public void Boosters_booked_against_the_plan_are_priced_at_the_booster_price()
    {
        var estimate = Estimate.For(new PriceList(Usd, Prices, [SeriesOfSix], []), new SessionCounts(6, 4, Boosters: 2), Start);

        Assert.Equal(new EstimateLine("Booster sessions", 2, 500.00m, 1000.00m), estimate.Lines[^1]);
        Assert.Equal(5000.00m, estimate.Total);
    }

    [Fact]
    public void A_package_that_saves_nothing_is_not_bought()
    {
        var noSaving = SeriesOfSix with { Price = 6 * 450.00m };

        var estimate = Estimate.For(new PriceList(Usd, Prices, [noSaving], []), new SessionCounts(6, 0), Start);

        Assert.Empty(estimate.PackagesApplied);
        Assert.Equal([new EstimateLine("Induction sessions", 6, 450.00m, 2700.00m)], estimate.Lines.AsEnumerable());
    }

    [Fact]
    public void Of_two_packages_that_cost_the_same_the_first_in_the_price_list_is_bought()
    {
        var packages = ImmutableArray.Create(SeriesOfSix, SeriesOfSix with { Name = "Spring offer" });

        var choice = Packages.Cheapest(6, 450.00m, packages);

        Assert.Equal([(SeriesOfSix, 1)], choice.Bought.AsEnumerable());
    }

    [Theory]
    [InlineData(-1, 0, 0)]
    [InlineData(0, -1, 0)]
    [InlineData(0, 0, -1)]
    public void Negative_session_counts_are_refused(int induction, int maintenance, int boosters) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Estimate.For(new PriceList(Usd, Prices, [], []), new SessionCounts(induction, maintenance, boosters), Start));

    [Fact]
    public void A_negative_number_of_sessions_has_no_cheapest_mix() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Packages.Cheapest(-1, 450.00m, [SeriesOfSix]));

    [Fact]
    public void An_estimate_needs_a_price_list_and_session_counts()
    {
        Assert.Throws<ArgumentNullException>(() => Estimate.For(null!, new SessionCounts(6, 4), Start));
        Assert.Throws<ArgumentNullException>(() => Estimate.For(new PriceList(Usd, Prices, [], []), null!, Start));
        Assert.Throws<ArgumentNullException>(() => Schedule.Spread(100.00m, null!, Start, ThreeMonthly));
    }

    [Fact]
    public void A_plan_without_a_deposit_starts_with_its_first_installment()
    {
        var payments = Schedule.Spread(300.00m, Usd, Start, new PaymentPlan("3 monthly, no deposit", 3, 30, 0m));

        Assert.Equal(
            [new Installment(Start.PlusDays(30), 100.00m), new Installment(Start.PlusDays(60), 100.00m), new Installment(Start.PlusDays(90), 100.00m)],
            payments.AsEnumerable());
    }

    [Fact]
    public void A_course_that_costs_nothing_is_paid_in_payments_of_nothing()
    {
        Assert.Equal([new Installment(Start, 0m)], Schedule.Spread(0m, Usd, Start, null).AsEnumerable());
        Assert.Equal([0m, 0m, 0m], Schedule.Spread(0m, Usd, Start, ThreeMonthly).Select(p => p.Amount));
    }

    [Theory]
    [InlineData("-0.01")]
    [InlineData("100.005")]
    public void A_total_below_zero_or_finer_than_a_cent_cannot_be_spread(string total) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Spread(decimal.Parse(total, CultureInfo.InvariantCulture), Usd, Start, ThreeMonthly));

    [Theory]
    [InlineData("USD", "450.00", true)]
    [InlineData("USD", "0.00", true)]
    [InlineData("USD", "450", false)]
    [InlineData("USD", "450.0", false)]
    [InlineData("USD", "450.000", false)]
    [InlineData("USD", "-450.00", false)]
    [InlineData("USD", "1,450.00", false)]
    [InlineData("USD", " 450.00", false)]
    [InlineData("USD", "4.5e2", false)]
    [InlineData("JPY", "45000", true)]
    [InlineData("JPY", "45000.00", false)]
    [InlineData("KWD", "450.000", true)]
    [InlineData("KWD", "450.00", false)]
    public void An_amount_is_read_only_with_exactly_the_currencys_minor_unit_digits(string code, string text, bool valid) =>
        Assert.Equal(valid, Currency.Find(code)!.Parse(text) is not null);

    [Theory]
    [InlineData("usd")]
    [InlineData("XYZ")]
    [InlineData("BTC")]
    [InlineData("")]
    public void A_currency_outside_the_table_is_refused(string code) => Assert.Null(Currency.Find(code));
}
