using System.Globalization;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Pricing;

namespace KetamineScheduling.Tests.Domain.Pricing;

/// <summary>What a clinic may put in its price list, and how its currency's amounts are written.</summary>
public sealed class PriceListTests
{
    private static readonly Currency Usd = Currency.Find("USD")!;
    private static readonly SessionPrices Prices = new(450.00m, 400.00m, 500.00m);
    private static readonly SessionPackage SeriesOfSix = new("Induction series of 6", Phase.Induction, 6, 2400.00m);
    private static readonly PaymentPlan ThreeMonthly = new("3 monthly", 3, 30, 20m);

    [Theory]
    [InlineData("-1.00", "400.00", "500.00", "2400.00")]
    [InlineData("450.00", "400.005", "500.00", "2400.00")]
    [InlineData("450.00", "400.00", "-0.01", "2400.00")]
    [InlineData("450.00", "400.00", "500.00", "2400.005")]
    [InlineData("450.00", "400.00", "500.00", "-2400.00")]
    public void A_price_below_zero_or_finer_than_a_cent_is_refused_wherever_it_is(string induction, string maintenance, string booster, string package) =>
        Assert.Throws<ArgumentException>(() => new PriceList(
            Usd,
            new SessionPrices(Amount(induction), Amount(maintenance), Amount(booster)),
            [SeriesOfSix with { Price = Amount(package) }],
            []));

    [Fact]
    public void A_package_must_cover_at_least_one_session_and_have_its_own_name()
    {
        Assert.Equal(2, new PriceList(Usd, Prices, [SeriesOfSix, SeriesOfSix with { Name = "Series of 3", Sessions = 3 }], []).Packages.Length);
        Assert.Throws<ArgumentException>(() => new PriceList(Usd, Prices, [SeriesOfSix with { Sessions = 0 }], []));
        Assert.Throws<ArgumentException>(() => new PriceList(Usd, Prices, [SeriesOfSix, SeriesOfSix with { Sessions = 3 }], []));
    }

    [Theory]
    [InlineData(0, 30, "20")]
    [InlineData(3, 0, "20")]
    [InlineData(3, 30, "-1")]
    [InlineData(3, 30, "100")]
    public void A_payment_plan_needs_an_installment_an_interval_of_a_day_and_a_deposit_from_0_to_under_100_percent(int installments, int intervalDays, string depositPercent) =>
        Assert.Throws<ArgumentException>(() => new PriceList(Usd, Prices, [], [new PaymentPlan("plan", installments, intervalDays, Amount(depositPercent))]));

    [Fact]
    public void Payment_plans_with_no_deposit_or_just_under_all_of_it_are_allowed_each_under_its_own_name()
    {
        var plans = new PriceList(Usd, Prices, [], [ThreeMonthly with { DepositPercent = 0m }, ThreeMonthly with { Name = "Mostly up front", DepositPercent = 99.99m }]).PaymentPlans;

        Assert.Equal([0m, 99.99m], plans.Select(p => p.DepositPercent));
        Assert.Throws<ArgumentException>(() => new PriceList(Usd, Prices, [], [ThreeMonthly, ThreeMonthly with { Installments = 6 }]));
    }

    [Fact]
    public void A_payment_plan_is_found_by_its_exact_name()
    {
        var prices = new PriceList(Usd, Prices, [], [ThreeMonthly]);

        Assert.Equal(ThreeMonthly, prices.FindPaymentPlan("3 monthly"));
        Assert.Null(prices.FindPaymentPlan("3 Monthly"));
    }

    [Fact]
    public void A_price_list_without_packages_or_payment_plans_has_none()
    {
        var prices = new PriceList(Usd, Prices, default, default);

        Assert.Empty(prices.Packages);
        Assert.Empty(prices.PaymentPlans);
    }

    [Fact]
    public void A_price_list_needs_a_currency_and_session_prices()
    {
        Assert.Throws<ArgumentNullException>(() => new PriceList(null!, Prices, [], []));
        Assert.Throws<ArgumentNullException>(() => new PriceList(Usd, null!, [], []));
    }

    [Theory]
    [InlineData("USD", "Must be an amount with 2 decimals, such as 450.00.")]
    [InlineData("JPY", "Must be a whole amount without decimals, such as 45000.")]
    [InlineData("KWD", "Must be an amount with 3 decimals, such as 450.000.")]
    public void The_amount_rule_tells_the_clinic_how_to_write_an_amount_in_its_currency(string code, string rule) =>
        Assert.Equal(rule, Currency.Find(code)!.AmountRule);

    private static decimal Amount(string text) => decimal.Parse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
