using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using KetamineScheduling.Domain.Clinical;
using static KetamineScheduling.Domain.Clinical.Severity;

namespace KetamineScheduling.Tests.Domain.Properties;

/// <summary>Scoring, the course and identifiers, against the published tables written out again here.</summary>
public sealed partial class ClinicalProperties
{
    /// <summary>Each instrument's item count, item maximum and bands as its authors publish them (the issue's table).</summary>
    private static readonly Dictionary<Instrument, (int Items, int ItemMax, (int From, int To, Severity Severity)[] Bands)> Published = new()
    {
        [Instrument.Phq9] = (9, 3, [(0, 4, Minimal), (5, 9, Mild), (10, 14, Moderate), (15, 19, ModeratelySevere), (20, 27, Severe)]),
        [Instrument.Gad7] = (7, 3, [(0, 4, Minimal), (5, 9, Mild), (10, 14, Moderate), (15, 21, Severe)]),
        [Instrument.Pcl5] = (20, 4, [(0, 32, Mild), (33, 80, Moderate)]),
        [Instrument.PainNrs] = (1, 10, [(0, 0, None), (1, 3, Mild), (4, 6, Moderate), (7, 10, Severe)]),
    };

    private static readonly Gen<Instrument> Instruments = Gen.Elements(Enum.GetValues<Instrument>().AsEnumerable());

    /// <summary>An instrument and any total it can reach.</summary>
    private static readonly Gen<(Instrument Instrument, int Total)> Totals =
        from instrument in Instruments
        let published = Published[instrument]
        from total in Gen.Choose(0, published.Items * published.ItemMax)
        select (instrument, total);

    /// <summary>An instrument and a full set of answers, each within the item range.</summary>
    private static readonly Gen<(Instrument Instrument, int[] Answers)> ValidAnswers =
        from instrument in Instruments
        let published = Published[instrument]
        from answers in Gen.ArrayOf(Gen.Choose(0, published.ItemMax), published.Items)
        select (instrument, answers);

    /// <summary>An instrument and answers that are wrong in count, in a value, or both.</summary>
    private static readonly Gen<(Instrument Instrument, int[] Answers)> InvalidAnswers =
        (from instrument in Instruments
         let published = Published[instrument]
         from count in Gen.Frequency((1, Gen.Choose(0, 25)), (2, Gen.Constant(published.Items)))
         from answers in Gen.ArrayOf(Gen.Frequency((6, Gen.Choose(0, published.ItemMax)), (1, Gen.Choose(-3, 15))), count)
         select (instrument, answers))
        .Where(c => c.answers.Length != Published[c.instrument].Items || c.answers.Any(a => a < 0 || a > Published[c.instrument].ItemMax));

    [Fact]
    public void Every_possible_total_of_each_instrument_falls_in_exactly_one_band_the_published_one() =>
        Checks.ForAll(Totals, c =>
        {
            var scale = InstrumentScale.Of(c.Instrument);
            var published = Assert.Single(Published[c.Instrument].Bands, b => b.From <= c.Total && c.Total <= b.To);
            var band = Assert.Single(scale.Bands, b => b.Contains(c.Total));
            Assert.Equal((published.From, published.To, published.Severity), (band.From, band.To, band.Severity));
            Assert.Equal(published.Severity, scale.SeverityOf(c.Total));
        }, runs: 500);

    [Fact]
    public void Valid_answers_always_score_within_the_instruments_range_with_the_published_band_and_flags() =>
        Checks.ForAll(ValidAnswers, c =>
        {
            var result = Scoring.Score(c.Instrument, c.Answers);

            Assert.True(result.Succeeded, string.Join("; ", result.Problems));
            var score = result.Score!;
            var published = Published[c.Instrument];
            Assert.Equal(c.Answers.Sum(), score.Total);
            Assert.InRange(score.Total, 0, published.Items * published.ItemMax);
            Assert.Equal(published.Bands.Single(b => b.From <= score.Total && score.Total <= b.To).Severity, score.Severity);
            var flags = new List<string>();
            if (c.Instrument == Instrument.Phq9 && c.Answers[8] > 0)
            {
                flags.Add("self-harm-item-positive");
            }

            if (c.Instrument == Instrument.Pcl5 && score.Total >= 33)
            {
                flags.Add("probable-ptsd");
            }

            Assert.Equal(flags, score.RiskFlags.Select(f => f.Code()));
        }, runs: 500);

    [Fact]
    public void Invalid_answers_name_the_count_when_it_is_wrong_and_each_out_of_range_index_once() =>
        Checks.ForAll(InvalidAnswers, c =>
        {
            var result = Scoring.Score(c.Instrument, c.Answers);
            var published = Published[c.Instrument];

            Assert.False(result.Succeeded);
            Assert.Null(result.Score);
            var expected = Enumerable.Range(0, c.Answers.Length).Where(i => c.Answers[i] < 0 || c.Answers[i] > published.ItemMax).Select(i => $"answers[{i}]");
            Assert.Equal(c.Answers.Length != published.Items ? ["answers", .. expected] : expected, result.Problems.Select(p => p.Field));
            foreach (var problem in result.Problems.Where(p => p.Field != "answers"))
            {
                var index = int.Parse(IndexPattern().Match(problem.Field).Groups[1].Value);
                Assert.InRange(index, 0, c.Answers.Length - 1);
                Assert.Equal($"Must be from 0 to {published.ItemMax}; it was {c.Answers[index]}.", problem.Message);
            }
        }, runs: 500);

    [Fact]
    public void The_course_status_follows_the_fall_from_baseline_with_remission_first() =>
        Checks.ForAll(
            from measure in Instruments
            let max = Published[measure].Items * Published[measure].ItemMax
            from baseline in Gen.Choose(1, max)
            from latest in Gen.Choose(0, max)
            select (measure, baseline, latest),
            c =>
            {
                var course = Course.Evaluate(c.measure, c.baseline, c.latest, null, CourseStage.InductionRunning, CourseThresholds.Default);

                // Whole-number arithmetic: a fall of at least half the baseline is 2 * fall >= baseline.
                var fall = c.baseline - c.latest;
                var expected =
                    c.measure is Instrument.Phq9 or Instrument.Gad7 && c.latest <= 4 ? CourseStatus.Remission
                    : 2 * fall >= c.baseline ? CourseStatus.Response
                    : 4 * fall >= c.baseline ? CourseStatus.PartialResponse
                    : CourseStatus.NonResponse;
                Assert.Equal(expected, course.Status);
                var change = course.ChangeFromBaselinePercent!.Value;
                Assert.InRange(Math.Abs(change - (decimal)(-100.0 * fall / c.baseline)), 0m, 0.05m);
            },
            runs: 500);

    [Fact]
    public void Every_nine_digits_have_exactly_one_check_digit_making_a_valid_npi() =>
        Checks.ForAll(
            Gen.ArrayOf(Gen.Choose(0, 9), 9).Select(d => string.Concat(d)),
            prefix => Assert.Single(Enumerable.Range(0, 10), d => Npi.IsValid($"{prefix}{d}")));

    [GeneratedRegex(@"^answers\[(\d+)\]$")]
    private static partial Regex IndexPattern();
}
