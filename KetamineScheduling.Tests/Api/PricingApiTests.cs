using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace KetamineScheduling.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class PricingApiTests(ApiFactory factory)
{
    private static readonly object SeriesOfSix = new { name = "Induction series of 6", phase = "Induction", sessions = 6, price = "2400.00" };
    private static readonly object ThreeMonthly = new { name = "3 monthly", installments = 3, intervalDays = 30, depositPercent = 20 };

    private static object PriceList(object[]? packages = null, string induction = "450.00", string currency = "USD") => new
    {
        currency,
        sessionPrices = new { induction, maintenance = "400.00", booster = "500.00" },
        packages = packages ?? [],
        paymentPlans = new[] { ThreeMonthly },
    };

    [Fact]
    public async Task A_price_list_put_is_read_back_as_written_with_its_etag()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();

        using var put = await clinic.Client.PutAsJsonAsync($"{clinic.Base}/price-list", PriceList([SeriesOfSix]));
        var created = await ClinicDriver.ReadAsync(put, HttpStatusCode.Created);
        using var get = await clinic.Client.GetAsync($"{clinic.Base}/price-list");
        var read = await ClinicDriver.ReadAsync(get, HttpStatusCode.OK);

        Assert.Equal("\"1\"", put.Headers.ETag?.Tag);
        Assert.Equal("\"1\"", get.Headers.ETag?.Tag);
        Assert.Equal(created.ToJsonString(), read.ToJsonString());
        Assert.Equal("USD", (string)read["currency"]!);
        Assert.Equal("450.00", (string)read["sessionPrices"]!["induction"]!);
        Assert.Equal("2400.00", (string)read["packages"]![0]!["price"]!);
        Assert.Equal("Induction", (string)read["packages"]![0]!["phase"]!);
        Assert.Equal(20, (int)read["paymentPlans"]![0]!["depositPercent"]!);
    }

    [Fact]
    public async Task Replacing_a_price_list_needs_the_current_version_in_if_match()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        await PutAsync(clinic, PriceList(), HttpStatusCode.Created);

        await PutAsync(clinic, PriceList(induction: "460.00"), HttpStatusCode.PreconditionRequired);
        await PutAsync(clinic, PriceList(induction: "460.00"), HttpStatusCode.PreconditionFailed, "\"7\"");
        var replaced = await PutAsync(clinic, PriceList(induction: "460.00"), HttpStatusCode.OK, "\"1\"");
        await PutAsync(clinic, PriceList(induction: "470.00"), HttpStatusCode.PreconditionFailed, "\"1\"");

        Assert.Equal(2, (int)replaced["version"]!);
        Assert.Equal("460.00", (string)(await clinic.GetAsync($"{clinic.Base}/price-list"))["sessionPrices"]!["induction"]!);
    }

    [Fact]
    public async Task A_clinic_without_a_price_list_has_none_to_read_and_no_estimates()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var plan = await AddSixPlusFourPlanAsync(clinic, await clinic.AddPatientAsync());

        await clinic.GetAsync($"{clinic.Base}/price-list", HttpStatusCode.NotFound);
        var problem = await clinic.GetAsync($"{clinic.Base}/treatment-plans/{plan}/estimate", HttpStatusCode.Conflict);

        Assert.Contains("no price list", (string)problem["detail"]!);
    }

    [Fact]
    public async Task A_six_plus_four_plan_costs_4300_at_session_prices_and_4000_with_the_induction_series_of_six()
    {
        var without = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        await PutAsync(without, PriceList(), HttpStatusCode.Created);
        var with = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        await PutAsync(with, PriceList([SeriesOfSix]), HttpStatusCode.Created);

        var plain = await EstimateAsync(without, await AddSixPlusFourPlanAsync(without, await without.AddPatientAsync()));
        var packaged = await EstimateAsync(with, await AddSixPlusFourPlanAsync(with, await with.AddPatientAsync()));

        Assert.Equal("4300.00", (string)plain["total"]!);
        Assert.Equal(
            """[{"description":"Induction sessions","sessions":6,"unitPrice":"450.00","amount":"2700.00"},{"description":"Maintenance sessions","sessions":4,"unitPrice":"400.00","amount":"1600.00"}]""",
            plain["lines"]!.ToJsonString());
        Assert.Empty(plain["packagesApplied"]!.AsArray());
        Assert.Equal("4000.00", (string)packaged["total"]!);
        Assert.Equal(
            """[{"description":"1 × Induction series of 6","sessions":6,"unitPrice":"2400.00","amount":"2400.00"},{"description":"Maintenance sessions","sessions":4,"unitPrice":"400.00","amount":"1600.00"}]""",
            packaged["lines"]!.ToJsonString(Unescaped));
        Assert.Equal(
            """[{"name":"Induction series of 6","phase":"Induction","quantity":1,"sessions":6,"saving":"300.00"}]""",
            packaged["packagesApplied"]!.ToJsonString());
        Assert.Equal("""[{"dueDate":"2027-01-11","amount":"4000.00"}]""", packaged["installments"]!.ToJsonString());
    }

    [Fact]
    public async Task Three_installments_after_a_20_percent_deposit_add_up_to_the_total_exactly_and_fall_30_days_apart()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        await PutAsync(clinic, PriceList([SeriesOfSix]), HttpStatusCode.Created);
        var plan = await AddSixPlusFourPlanAsync(clinic, await clinic.AddPatientAsync());

        var estimate = await EstimateAsync(clinic, plan, "?paymentPlan=3%20monthly");

        Assert.Equal("3 monthly", (string)estimate["paymentPlan"]!);
        Assert.Equal(
            """[{"dueDate":"2027-01-11","amount":"800.00"},{"dueDate":"2027-02-10","amount":"1066.67"},{"dueDate":"2027-03-12","amount":"1066.67"},{"dueDate":"2027-04-11","amount":"1066.66"}]""",
            estimate["installments"]!.ToJsonString());
        Assert.Equal(decimal.Parse((string)estimate["total"]!, System.Globalization.CultureInfo.InvariantCulture),
            estimate["installments"]!.AsArray().Sum(i => decimal.Parse((string)i!["amount"]!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task An_unknown_payment_plan_is_a_400_naming_the_plans_offered()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        await PutAsync(clinic, PriceList(), HttpStatusCode.Created);
        var plan = await AddSixPlusFourPlanAsync(clinic, await clinic.AddPatientAsync());

        var problem = await clinic.GetAsync($"{clinic.Base}/treatment-plans/{plan}/estimate?paymentPlan=weekly", HttpStatusCode.BadRequest);

        Assert.Contains("\"3 monthly\"", (string)problem["errors"]!["paymentPlan"]![0]!);
    }

    [Fact]
    public async Task A_quote_keeps_the_prices_it_was_given_at_after_the_price_list_changes()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        await PutAsync(clinic, PriceList([SeriesOfSix]), HttpStatusCode.Created);
        var plan = await AddSixPlusFourPlanAsync(clinic, await clinic.AddPatientAsync());

        using var created = await clinic.Client.PostAsJsonAsync($"{clinic.Base}/treatment-plans/{plan}/quotes", new { paymentPlan = "3 monthly" });
        var quote = await ClinicDriver.ReadAsync(created, HttpStatusCode.Created);
        await PutAsync(clinic, PriceList(induction: "500.00"), HttpStatusCode.OK, "\"1\"");
        var read = await clinic.GetAsync(created.Headers.Location!.OriginalString);
        var now = await EstimateAsync(clinic, plan);

        Assert.Equal(quote.ToJsonString(), read.ToJsonString());
        Assert.Equal("4000.00", (string)read["estimate"]!["total"]!);
        Assert.Equal(1, (int)read["estimate"]!["priceListVersion"]!);
        Assert.Equal("800.00", (string)read["estimate"]!["installments"]![0]!["amount"]!);
        Assert.Equal("4600.00", (string)now["total"]!);
        Assert.Equal(2, (int)now["priceListVersion"]!);
    }

    [Fact]
    public async Task A_quote_and_a_price_change_each_leave_an_event_in_the_change_feed()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        await PutAsync(clinic, PriceList(), HttpStatusCode.Created);
        var plan = await AddSixPlusFourPlanAsync(clinic, await clinic.AddPatientAsync());
        var quote = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan}/quotes", null, HttpStatusCode.Created);

        var events = (await clinic.GetAsync($"{clinic.Base}/events"))["items"]!.AsArray();

        Assert.Contains(events, e => (string)e!["type"]! == "price-list.updated" && (string)e["resourceId"]! == clinic.ClinicId);
        Assert.Contains(events, e => (string)e!["type"]! == "quote.created" && (string)e["resourceId"]! == (string)quote["id"]!);
    }

    [Theory]
    [InlineData("sessionPrices.induction", "450", "USD", "Must be an amount with 2 decimals, such as 450.00.")]
    [InlineData("sessionPrices.induction", "450.5", "USD", "Must be an amount with 2 decimals, such as 450.00.")]
    [InlineData("sessionPrices.induction", "-450.00", "USD", "Must be an amount with 2 decimals, such as 450.00.")]
    [InlineData("sessionPrices.induction", "1,450.00", "USD", "Must be an amount with 2 decimals, such as 450.00.")]
    [InlineData("sessionPrices.induction", "450.00", "JPY", "Must be a whole amount without decimals, such as 45000.")]
    [InlineData("packages[0].price", "2400", "USD", "Must be an amount with 2 decimals, such as 450.00.")]
    [InlineData("currency", "450.00", "XYZ", "Must be an ISO 4217 code")]
    public async Task A_bad_amount_or_currency_is_a_400_naming_the_field(string field, string induction, string currency, string message)
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var package = field.StartsWith("packages", StringComparison.Ordinal) ? new { name = "Series", phase = "Induction", sessions = 6, price = "2400" } : SeriesOfSix;
        var body = PriceList([package], currency == "JPY" ? "450.00" : induction, currency);

        var problem = await PutAsync(clinic, body, HttpStatusCode.BadRequest);

        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"errors should name {field}: {problem}");
        Assert.StartsWith(message, (string)errors[field]![0]!, StringComparison.Ordinal);
        await clinic.GetAsync($"{clinic.Base}/price-list", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_patients_app_sees_its_own_plans_estimate_and_not_another_patients()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        await PutAsync(clinic, PriceList(), HttpStatusCode.Created);
        var patient = await clinic.AddPatientAsync();
        var mine = await AddSixPlusFourPlanAsync(clinic, patient);
        var theirs = await AddSixPlusFourPlanAsync(clinic, await clinic.AddPatientAsync());
        var app = clinic.WithKey((await clinic.IssueKeyAsync("patient-app", patient)).Key);

        await app.GetAsync($"{clinic.Base}/treatment-plans/{mine}/estimate");
        await app.GetAsync($"{clinic.Base}/treatment-plans/{theirs}/estimate", HttpStatusCode.NotFound);
    }

    /// <summary>Writes non-ASCII text such as "×" as itself, so expected JSON reads as the client sees it.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task<JsonObject> PutAsync(ClinicDriver clinic, object body, HttpStatusCode expected, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{clinic.Base}/price-list") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await clinic.Client.SendAsync(request);
        return await ClinicDriver.ReadAsync(response, expected);
    }

    /// <summary>A draft plan from Monday 11 January 2027: 6 induction sessions two days apart, then 4 maintenance sessions 28 days apart.</summary>
    private static async Task<string> AddSixPlusFourPlanAsync(ClinicDriver clinic, string patientId) =>
        (string)(await clinic.PostAsync($"{clinic.Base}/treatment-plans", new
        {
            patientId,
            startDate = "2027-01-11",
            preferredStartTime = "10:00",
            induction = new { sessions = 6, intervalDays = 2, maxIntervalDays = 3 },
            maintenance = new { sessions = 4, intervalDays = 28 },
        }, HttpStatusCode.Created))["id"]!;

    private static Task<JsonObject> EstimateAsync(ClinicDriver clinic, string planId, string query = "") =>
        clinic.GetAsync($"{clinic.Base}/treatment-plans/{planId}/estimate{query}");
}
