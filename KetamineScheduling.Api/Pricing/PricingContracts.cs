using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Domain.Plans;
using NodaTime;

namespace KetamineScheduling.Api.Pricing;

/// <summary>
/// The price of one session of each kind, as decimal strings with exactly the currency's minor-unit digits:
/// "450.00" in USD, "45000" in JPY, "450.000" in KWD.
/// </summary>
/// <param name="Induction">One induction session.</param>
/// <param name="Maintenance">One maintenance session.</param>
/// <param name="Booster">One booster: a session booked for a plan outside its planned series.</param>
public sealed record SessionPricesBody(string Induction, string Maintenance, string Booster);

/// <summary>Sessions of one phase sold together, such as "Induction series of 6" for "2400.00".</summary>
/// <param name="Name">Unique in the price list, at most 100 characters.</param>
/// <param name="Phase">Induction or Maintenance: the package covers only that phase's sessions.</param>
/// <param name="Sessions">Sessions in one package, 1 to 60.</param>
/// <param name="Price">The price of one package, a decimal string like the session prices.</param>
public sealed record PackageBody(string Name, Phase Phase, int Sessions, string Price);

/// <summary>A deposit on the plan's start date, then equal installments.</summary>
/// <param name="Name">Unique in the price list, at most 100 characters; an estimate asks for it by this name.</param>
/// <param name="Installments">Installments after the deposit, 1 to 60.</param>
/// <param name="IntervalDays">Days between installments, 1 to 366; the first falls this many days after the start date.</param>
/// <param name="DepositPercent">Share of the total due on the start date: 0 (none) to below 100, at most 2 decimals.</param>
public sealed record PaymentPlanBody(string Name, int Installments, int IntervalDays, decimal DepositPercent);

/// <summary>A clinic's whole price list; a PUT replaces it.</summary>
/// <param name="Currency">ISO 4217 code, upper case, such as USD, EUR, GBP, JPY or KWD.</param>
/// <param name="SessionPrices">The price of one session of each kind.</param>
/// <param name="Packages">Packages the clinic sells, at most 20; an estimate buys them where they make a plan cheaper.</param>
/// <param name="PaymentPlans">Payment plans the clinic offers, at most 20.</param>
public sealed record PriceListRequest(
    string Currency,
    SessionPricesBody SessionPrices,
    IReadOnlyList<PackageBody>? Packages = null,
    IReadOnlyList<PaymentPlanBody>? PaymentPlans = null);

/// <summary>A clinic's price list as stored.</summary>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="SessionPrices">The price of one session of each kind.</param>
/// <param name="Packages">The packages the clinic sells.</param>
/// <param name="PaymentPlans">The payment plans it offers.</param>
/// <param name="Version">Changes with every update; sent as the ETag, and recorded in every quote.</param>
/// <param name="UpdatedAt">When it was last written.</param>
public sealed record PriceListResponse(
    string Currency,
    SessionPricesBody SessionPrices,
    IReadOnlyList<PackageBody> Packages,
    IReadOnlyList<PaymentPlanBody> PaymentPlans,
    int Version,
    Instant UpdatedAt) : IVersioned;

/// <summary>One line of an estimate.</summary>
/// <param name="Description">"Induction sessions", "Maintenance sessions", "Booster sessions", or "1 × Induction series of 6".</param>
/// <param name="Sessions">The sessions the line covers.</param>
/// <param name="UnitPrice">The price of one session on a session line, of one package on a package line.</param>
/// <param name="Amount">What the line costs.</param>
public sealed record EstimateLineResponse(string Description, int Sessions, string UnitPrice, string Amount);

/// <summary>A package the estimate bought because it made the plan cheaper.</summary>
/// <param name="Name">The package's name.</param>
/// <param name="Phase">The phase it covers.</param>
/// <param name="Quantity">How many are bought.</param>
/// <param name="Sessions">Sessions they cover together.</param>
/// <param name="Saving">What they save against the same sessions at the session price.</param>
public sealed record AppliedPackageResponse(string Name, Phase Phase, int Quantity, int Sessions, string Saving);

/// <summary>One payment: the amount due on a local date.</summary>
public sealed record InstallmentResponse(LocalDate DueDate, string Amount);

/// <summary>
/// What a treatment plan costs under the clinic's price list, and when it is paid. Amounts are decimal strings
/// with exactly the currency's minor-unit digits; <paramref name="Installments"/> add up to <paramref name="Total"/> exactly.
/// </summary>
/// <param name="PlanId">The plan priced.</param>
/// <param name="PatientId">The plan's patient.</param>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="PriceListVersion">The version of the price list the plan was priced at.</param>
/// <param name="PaymentPlan">The payment plan asked for; null when paid in full on the start date.</param>
/// <param name="Lines">Packages and sessions, by phase.</param>
/// <param name="PackagesApplied">Packages bought because they make the plan cheaper.</param>
/// <param name="Total">The whole course.</param>
/// <param name="Installments">The deposit (if any) on the plan's start date, then each installment; one payment of the total without a payment plan.</param>
public sealed record EstimateResponse(
    Guid PlanId,
    Guid PatientId,
    string Currency,
    int PriceListVersion,
    string? PaymentPlan,
    IReadOnlyList<EstimateLineResponse> Lines,
    IReadOnlyList<AppliedPackageResponse> PackagesApplied,
    string Total,
    IReadOnlyList<InstallmentResponse> Installments) : IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [PatientId];
}

/// <summary>Freeze an estimate of the plan as a quote.</summary>
/// <param name="PaymentPlan">The payment plan's name; left out, the total is due on the start date.</param>
public sealed record CreateQuoteRequest(string? PaymentPlan = null);

/// <summary>An estimate frozen when it was given, unchanged by later price changes.</summary>
/// <param name="Id">The quote's id.</param>
/// <param name="PlanId">The plan quoted.</param>
/// <param name="PatientId">The plan's patient.</param>
/// <param name="CreatedAt">When it was given.</param>
/// <param name="Estimate">The estimate as it stood then, with the price-list version it used.</param>
public sealed record QuoteResponse(Guid Id, Guid PlanId, Guid PatientId, Instant CreatedAt, EstimateResponse Estimate) : IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [PatientId];
}
