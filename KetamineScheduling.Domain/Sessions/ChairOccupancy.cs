using System.Collections.Frozen;
using System.Collections.Immutable;
using KetamineScheduling.Domain.Nursing;
using NodaTime;

namespace KetamineScheduling.Domain.Sessions;

/// <summary>
/// The chair and patient time already booked in a clinic, indexed by chair and local date, by patient and local
/// date, and by start instant, so a check costs the bookings of one chair on one day rather than all bookings.
/// </summary>
/// <remarks>
/// Immutable. <see cref="With"/> and <see cref="Without"/> layer changes over an index without copying it: that
/// is how a plan's sessions see each other while it is being placed, and how a session being moved stops
/// blocking itself.
/// </remarks>
public sealed class ChairOccupancy
{
    private readonly FrozenDictionary<(Guid, LocalDate), ImmutableArray<Booking>> byChair;
    private readonly FrozenDictionary<(Guid, LocalDate), ImmutableArray<Booking>> byPatient;
    private readonly FrozenDictionary<Instant, ImmutableArray<Booking>> byStart;
    private readonly FrozenDictionary<(Guid, LocalDate), ImmutableArray<Booking>> byNurse;
    private readonly FrozenSet<Guid> hides;
    private readonly ChairOccupancy? below;

    /// <param name="bookings">The time held.</param>
    /// <param name="roster">The nurses on shift over the same dates, where the clinic counts nurses.</param>
    public ChairOccupancy(IEnumerable<Booking> bookings, NurseRoster? roster = null)
        : this(bookings, FrozenSet<Guid>.Empty, null)
    {
        Roster = roster ?? NurseRoster.Off;
    }

    private ChairOccupancy(IEnumerable<Booking> bookings, FrozenSet<Guid> hides, ChairOccupancy? below)
    {
        ArgumentNullException.ThrowIfNull(bookings);
        var list = bookings as IReadOnlyCollection<Booking> ?? bookings.ToList();
        byChair = list.GroupBy(b => (b.ChairId, b.Date)).ToFrozenDictionary(g => g.Key, g => g.OrderBy(b => b.Start).ToImmutableArray());
        byPatient = list.GroupBy(b => (b.PatientId, b.Date)).ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray());
        byStart = list.GroupBy(b => b.Start).ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray());
        byNurse = list.Where(b => b.NurseId is not null).GroupBy(b => (b.NurseId!.Value, b.Date)).ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray());
        this.hides = hides;
        this.below = below;
        Roster = below?.Roster ?? NurseRoster.Off;
    }

    /// <summary>The nurses on shift, and the clinic's staffing rule; <see cref="NurseRoster.Off"/> where nurses are not counted.</summary>
    public NurseRoster Roster { get; }

    /// <summary>No bookings at all.</summary>
    public static ChairOccupancy Empty { get; } = new([]);

    /// <summary>This occupancy plus <paramref name="bookings"/>.</summary>
    public ChairOccupancy With(params IEnumerable<Booking> bookings) => new(bookings, FrozenSet<Guid>.Empty, this);

    /// <summary>This occupancy as if the given sessions held no time: used while those sessions are being moved.</summary>
    public ChairOccupancy Without(IEnumerable<Guid> sessionIds) => new([], sessionIds.ToFrozenSet(), this);

    /// <summary>Whether <paramref name="chairId"/> is free for the whole of <paramref name="booking"/>'s chair time.</summary>
    public bool ChairIsFree(Guid chairId, Booking booking)
    {
        ArgumentNullException.ThrowIfNull(booking);
        return !Visible(o => o.byChair.GetValueOrDefault((chairId, booking.Date)))
            .Any(b => b.Start < booking.ChairFreeAt && booking.Start < b.ChairFreeAt);
    }

    /// <summary>Whether the patient is free while <paramref name="booking"/> would keep them in a chair.</summary>
    public bool PatientIsFree(Booking booking)
    {
        ArgumentNullException.ThrowIfNull(booking);
        return !Visible(o => o.byPatient.GetValueOrDefault((booking.PatientId, booking.Date)))
            .Any(b => b.Start < booking.PatientLeavesAt && booking.Start < b.PatientLeavesAt);
    }

    /// <summary>How many sessions start at <paramref name="start"/> across the clinic.</summary>
    public int StartsAt(Instant start) => Visible(o => o.byStart.GetValueOrDefault(start)).Count();

    /// <summary>The sessions a nurse sets up and watches that start on one local date.</summary>
    public IEnumerable<Booking> OfNurse(Guid nurseId, LocalDate date) => Visible(o => o.byNurse.GetValueOrDefault((nurseId, date)));

    /// <summary>The bookings of one chair on one local date, earliest first.</summary>
    public IEnumerable<Booking> OnChair(Guid chairId, LocalDate date) =>
        Visible(o => o.byChair.GetValueOrDefault((chairId, date))).OrderBy(b => b.Start);

    /// <summary>
    /// The bookings a lookup finds in every layer, top first, leaving out those a layer above has hidden. A
    /// session hidden and then added again (a move) is seen once, at its new time.
    /// </summary>
    private IEnumerable<Booking> Visible(Func<ChairOccupancy, ImmutableArray<Booking>> lookup)
    {
        List<FrozenSet<Guid>>? hidden = null;
        for (var layer = this; layer is not null; layer = layer.below)
        {
            var found = lookup(layer);
            if (!found.IsDefaultOrEmpty)
            {
                foreach (var booking in found)
                {
                    if (hidden is null || !hidden.Exists(h => h.Contains(booking.SessionId)))
                    {
                        yield return booking;
                    }
                }
            }

            if (layer.hides.Count > 0)
            {
                (hidden ??= []).Add(layer.hides);
            }
        }
    }
}
