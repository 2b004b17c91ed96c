namespace KetamineScheduling.Domain.Clinical;

/// <summary>
/// Why a clinical entry was not accepted, naming the field as the API reports it.
/// </summary>
/// <param name="Field">The field's path in the request body, for example <c>answers</c>, <c>answers[8]</c> or <c>vitals.spo2</c>.</param>
/// <param name="Message">A sentence for the person who entered it, with the numbers, for example "Must be from 0 to 3; it was 4."</param>
public sealed record FieldProblem(string Field, string Message)
{
    /// <summary>A value outside <paramref name="min"/> to <paramref name="max"/> (both included), in the API's words for a range.</summary>
    public static FieldProblem OutOfRange(string field, decimal min, decimal max, decimal value) =>
        new(field, $"Must be from {Number(min)} to {Number(max)}; it was {Number(value)}.");

    /// <summary>A number as a clinician writes it: 4, 3.5, never 4.00.</summary>
    internal static string Number(decimal value) => value.ToString("0.##########");
}
