using System.Collections.Immutable;

namespace KetamineScheduling.Domain.Clinical;

/// <summary>A scored questionnaire: its total, what the total means and any answer a clinician must see at once.</summary>
public sealed record Score
{
    public Score(Instrument instrument, int total, IEnumerable<RiskFlag> riskFlags)
    {
        var scale = InstrumentScale.Of(instrument);
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(total, scale.MaxTotal);
        ArgumentNullException.ThrowIfNull(riskFlags);
        Instrument = instrument;
        Total = total;
        Severity = scale.SeverityOf(total);
        RiskFlags = [.. riskFlags.Distinct().Order()];
    }

    public Instrument Instrument { get; }

    /// <summary>The sum of the answers, from 0 to the instrument's <see cref="InstrumentScale.MaxTotal"/>.</summary>
    public int Total { get; }

    /// <summary>The band the total falls in.</summary>
    public Severity Severity { get; }

    /// <summary>The risk flags raised, each once, in a fixed order; empty when there are none.</summary>
    public ImmutableArray<RiskFlag> RiskFlags { get; }

    public bool Equals(Score? other) =>
        other is not null && (Instrument, Total) == (other.Instrument, other.Total) && RiskFlags.SequenceEqual(other.RiskFlags);

    public override int GetHashCode() => HashCode.Combine(Instrument, Total, RiskFlags.Length);
}

/// <summary>A questionnaire's score, or every problem with its answers.</summary>
public sealed record ScoringResult
{
    private ScoringResult(Score? score, ImmutableArray<FieldProblem> problems)
    {
        Score = score;
        Problems = problems;
    }

    /// <summary>The score; <see langword="null"/> when the answers have problems.</summary>
    public Score? Score { get; }

    /// <summary>
    /// What is wrong with the answers; empty when they were scored. A wrong count names <c>answers</c>, and each
    /// answer out of range names its index, <c>answers[8]</c>, so the API can report them as given.
    /// </summary>
    public ImmutableArray<FieldProblem> Problems { get; }

    public bool Succeeded => Score is not null;

    internal static ScoringResult Scored(Score score) => new(score, []);

    internal static ScoringResult Rejected(ImmutableArray<FieldProblem> problems) => new(null, problems);
}

/// <summary>Scores the clinic's questionnaires as their authors publish them: the total is the sum of the answers.</summary>
public static class Scoring
{
    /// <summary>The request field that holds the answers, as the API names it.</summary>
    public const string AnswersField = "answers";

    /// <summary>
    /// Scores <paramref name="answers"/> (item 1 first) on <paramref name="instrument"/>: the total, its severity
    /// band and the risk flags. A wrong number of answers, and every answer out of the item range, is a problem
    /// rather than a score; nothing is clamped or guessed.
    /// </summary>
    public static ScoringResult Score(Instrument instrument, IReadOnlyList<int> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var scale = InstrumentScale.Of(instrument);
        var problems = ImmutableArray.CreateBuilder<FieldProblem>();
        if (answers.Count != scale.Items)
        {
            problems.Add(new(AnswersField, $"{scale.Name} takes {Answers(scale.Items)}; {Given(answers.Count)}."));
        }

        for (var i = 0; i < answers.Count; i++)
        {
            if (answers[i] < InstrumentScale.ItemMin || answers[i] > scale.ItemMax)
            {
                problems.Add(FieldProblem.OutOfRange($"{AnswersField}[{i}]", InstrumentScale.ItemMin, scale.ItemMax, answers[i]));
            }
        }

        if (problems.Count > 0)
        {
            return ScoringResult.Rejected(problems.ToImmutable());
        }

        var total = answers.Sum();
        return ScoringResult.Scored(new Score(instrument, total, RiskFlagsOf(instrument, answers, total)));
    }

    private static IEnumerable<RiskFlag> RiskFlagsOf(Instrument instrument, IReadOnlyList<int> answers, int total)
    {
        if (instrument == Instrument.Phq9 && answers[Phq9.SelfHarmItemIndex] > 0)
        {
            yield return RiskFlag.SelfHarmItemPositive;
        }

        if (instrument == Instrument.Pcl5 && total >= Pcl5.ProbablePtsdCutOff)
        {
            yield return RiskFlag.ProbablePtsd;
        }
    }

    private static string Answers(int count) => count == 1 ? "1 answer" : $"{count} answers";

    private static string Given(int count) => count == 1 ? "1 was given" : $"{count} were given";
}
