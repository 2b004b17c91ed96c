using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace KetamineScheduling.Domain.Pricing;

/// <summary>
/// A currency a clinic prices in: its ISO 4217 code and the number of digits after the decimal point of its minor
/// unit (2 for the US dollar's cents, 0 for the yen, 3 for the Kuwaiti dinar's fils).
/// </summary>
/// <remarks>
/// Only the currencies in <see cref="Known"/> are accepted. Their minor units are those of the ISO 4217 list
/// (SIX Financial Information, "Current currency &amp; funds code list", table A.1). A clinic in another currency is
/// refused rather than guessed at, because a wrong minor unit would round every price the patient sees.
/// </remarks>
public sealed partial record Currency
{
    private Currency(string code, int minorDigits)
    {
        Code = code;
        MinorDigits = minorDigits;
        MinorUnit = 1m / Pow10(minorDigits);
    }

    /// <summary>The three-letter ISO 4217 code, upper case: <c>USD</c>.</summary>
    public string Code { get; }

    /// <summary>Digits after the decimal point: 2 for USD, 0 for JPY, 3 for KWD.</summary>
    public int MinorDigits { get; }

    /// <summary>The smallest amount that can be charged: 0.01 for USD, 1 for JPY, 0.001 for KWD.</summary>
    public decimal MinorUnit { get; }

    /// <summary>
    /// The currencies a price list may use, with their ISO 4217 minor units. Add a line here to accept another.
    /// </summary>
    public static readonly FrozenDictionary<string, Currency> Known = new Currency[]
    {
        new("USD", 2), new("EUR", 2), new("GBP", 2), new("CAD", 2), new("AUD", 2), new("NZD", 2), new("CHF", 2),
        new("SEK", 2), new("NOK", 2), new("DKK", 2), new("PLN", 2), new("CZK", 2), new("MXN", 2), new("BRL", 2),
        new("ZAR", 2), new("SGD", 2), new("HKD", 2), new("INR", 2), new("ILS", 2), new("AED", 2),
        new("JPY", 0), new("KRW", 0), new("ISK", 0),
        new("KWD", 3), new("BHD", 3), new("OMR", 3), new("JOD", 3),
    }.ToFrozenDictionary(c => c.Code, StringComparer.Ordinal);

    /// <summary>The currency with this ISO 4217 code (upper case, exactly), or null when it is not one of <see cref="Known"/>.</summary>
    public static Currency? Find(string? code) => code is not null && Known.TryGetValue(code, out var currency) ? currency : null;

    /// <summary>Whether <paramref name="amount"/> is a whole number of minor units: 450.00 is, 450.005 is not (in USD).</summary>
    public bool IsWhole(decimal amount) => decimal.Round(amount, MinorDigits) == amount;

    /// <summary>
    /// <paramref name="amount"/> with exactly <see cref="MinorDigits"/> decimals and no grouping: <c>2400.00</c>,
    /// <c>60000</c> (JPY), <c>12.500</c> (KWD).
    /// </summary>
    public string Format(decimal amount) => decimal.Round(amount, MinorDigits).ToString("F" + MinorDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads an amount written the way <see cref="Format"/> writes it: digits, then a point and exactly
    /// <see cref="MinorDigits"/> digits (none for a currency without a minor unit). No sign, no grouping, no
    /// exponent, at most 12 digits before the point; null when <paramref name="text"/> is anything else.
    /// </summary>
    public decimal? Parse(string? text)
    {
        if (text is null || !AmountPattern().IsMatch(text))
        {
            return null;
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var decimals = point < 0 ? 0 : text.Length - point - 1;
        return decimals == MinorDigits ? decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>An example amount in this currency, for messages: <c>450.00</c>, <c>45000</c>, <c>450.000</c>.</summary>
    public string Example => Format(MinorDigits == 0 ? 45000m : 450m);

    /// <summary>How an amount in this currency must be written, for a validation message.</summary>
    public string AmountRule => MinorDigits == 0
        ? $"Must be a whole amount without decimals, such as {Example}."
        : $"Must be an amount with {MinorDigits} decimals, such as {Example}.";

    [GeneratedRegex(@"^[0-9]{1,12}(\.[0-9]{1,4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex AmountPattern();

    private static decimal Pow10(int digits)
    {
        var result = 1m;
        for (var i = 0; i < digits; i++)
        {
            result *= 10;
        }

        return result;
    }
}
