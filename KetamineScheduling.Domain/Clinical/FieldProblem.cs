namespace KetamineScheduling.Domain.Clinical;

/// <summary>
/// Why a clinical entry was not accepted, naming the field as the API reports it.
/// </summary>
/// <param name="Field">The field's path in the request body, for example <c>answers</c> or <c>answers[8]</c>.</param>
/// <param name="Message">A sentence for the person who entered it, with the numbers, for example "Must be from 0 to 3; it was 4."</param>
public sealed record FieldProblem(string Field, string Message);
