namespace KetamineScheduling.Domain.Clinical;

/// <summary>The US National Provider Identifier a prescriber is known by.</summary>
/// <remarks>
/// Ten digits; the last is a Luhn check digit over the first nine, prefixed with 80840 (the health industry
/// identifier prefix), as the CMS "NPI check digit" standard gives it. Example: 1234567893.
/// </remarks>
public static class Npi
{
    private const string Prefix = "80840";

    /// <summary>Whether <paramref name="npi"/> is ten ASCII digits whose check digit is right.</summary>
    public static bool IsValid(string? npi)
    {
        if (npi is not { Length: 10 } || !npi.All(char.IsAsciiDigit))
        {
            return false;
        }

        return CheckDigit(Prefix + npi[..9]) == npi[9] - '0';
    }

    /// <summary>The Luhn digit that completes <paramref name="digits"/>: double every second digit from the right.</summary>
    private static int CheckDigit(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[^(i + 1)] - '0';
            if (i % 2 == 0)
            {
                digit *= 2;
                digit = digit > 9 ? digit - 9 : digit;
            }

            sum += digit;
        }

        return (10 - sum % 10) % 10;
    }
}

/// <summary>The shape of an ICD-10-CM diagnosis code.</summary>
public static class Icd10Cm
{
    /// <summary>
    /// Whether <paramref name="code"/> looks like an ICD-10-CM code: a capital letter, a digit, a capital letter or
    /// a digit, then optionally a dot and one to four capital letters or digits (F33.2, F43.10, G89.29, F32). It
    /// checks the shape only, not that the code exists.
    /// </summary>
    public static bool HasShape(string? code)
    {
        if (code is not { Length: >= 3 } || !char.IsAsciiLetterUpper(code[0]) || !char.IsAsciiDigit(code[1]) || !LetterOrDigit(code[2]))
        {
            return false;
        }

        return code.Length == 3 || (code[3] == '.' && code.Length is >= 5 and <= 8 && code[4..].All(LetterOrDigit));
    }

    private static bool LetterOrDigit(char c) => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c);
}
