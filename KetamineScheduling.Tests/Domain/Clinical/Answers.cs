using KetamineScheduling.Domain.Clinical;

namespace KetamineScheduling.Tests.Domain.Clinical;

/// <summary>Questionnaire answers built for a test: a given total, filled from item 1 on.</summary>
internal static class Answers
{
    /// <summary>
    /// Answers to <paramref name="instrument"/> summing to <paramref name="total"/>, each item as high as it goes
    /// from the first on, leaving PHQ-9 item 9 at 0 unless <paramref name="selfHarm"/> is given.
    /// </summary>
    public static int[] Totalling(Instrument instrument, int total, int selfHarm = 0)
    {
        var (items, itemMax) = instrument switch
        {
            Instrument.Phq9 => (9, 3),
            Instrument.Gad7 => (7, 3),
            Instrument.Pcl5 => (20, 4),
            _ => (1, 10),
        };
        var answers = new int[items];
        var left = total;
        if (instrument == Instrument.Phq9)
        {
            answers[8] = selfHarm;
            left -= selfHarm;
        }

        for (var i = 0; i < items && left > 0; i++)
        {
            if (instrument == Instrument.Phq9 && i == 8)
            {
                continue;
            }

            answers[i] = Math.Min(itemMax, left);
            left -= answers[i];
        }

        Assert.True(left == 0, $"{total} cannot be reached on {instrument} with item 9 at {selfHarm}");
        return answers;
    }
}
