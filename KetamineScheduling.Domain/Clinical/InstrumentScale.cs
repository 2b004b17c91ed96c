using System.Collections.Immutable;

namespace KetamineScheduling.Domain.Clinical;

/// <summary>The totals from <paramref name="From"/> to <paramref name="To"/> (both included) that carry one severity.</summary>
public sealed record SeverityBand(int From, int To, Severity Severity)
{
    public bool Contains(int total) => From <= total && total <= To;
}

/// <summary>
/// What an instrument asks and how its total reads: how many items, the answer range of each item (always from
/// 0), and the severity bands that cover every total from 0 to <see cref="MaxTotal"/> without gap or overlap.
/// </summary>
public sealed record InstrumentScale
{
    internal InstrumentScale(Instrument instrument, string name, int items, int itemMax, params (int From, Severity Severity)[] bands)
    {
        Instrument = instrument;
        Name = name;
        Items = items;
        ItemMax = itemMax;
        Bands = [.. bands.Select((b, i) => new SeverityBand(b.From, i + 1 < bands.Length ? bands[i + 1].From - 1 : MaxTotal, b.Severity))];
    }

    public Instrument Instrument { get; }

    /// <summary>The name clinicians know it by, for sentences: "PHQ-9".</summary>
    public string Name { get; }

    /// <summary>How many answers one completed questionnaire has.</summary>
    public int Items { get; }

    /// <summary>The lowest answer an item takes.</summary>
    public const int ItemMin = 0;

    /// <summary>The highest answer an item takes.</summary>
    public int ItemMax { get; }

    /// <summary>The highest possible total: every item at its highest.</summary>
    public int MaxTotal => Items * ItemMax;

    /// <summary>The severity bands from the lowest totals to the highest.</summary>
    public ImmutableArray<SeverityBand> Bands { get; }

    /// <summary>The scale of <paramref name="instrument"/>.</summary>
    public static InstrumentScale Of(Instrument instrument) => instrument switch
    {
        Instrument.Phq9 => Phq9.Scale,
        Instrument.Gad7 => Gad7.Scale,
        Instrument.Pcl5 => Pcl5.Scale,
        Instrument.PainNrs => PainNrs.Scale,
        _ => throw new ArgumentOutOfRangeException(nameof(instrument), instrument, "Not an instrument."),
    };

    /// <summary>The severity of <paramref name="total"/>, which must be from 0 to <see cref="MaxTotal"/>.</summary>
    public Severity SeverityOf(int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(total, MaxTotal);
        return Bands.First(b => b.Contains(total)).Severity;
    }
}
