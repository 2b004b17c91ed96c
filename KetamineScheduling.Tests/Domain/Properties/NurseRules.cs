using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Nursing;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Tests.Domain.Properties;

/// <summary>A session's time with its patient, and its nurse, worked out here from its minutes rather than by the domain.</summary>
internal sealed record Nursed(Guid Id, Instant Start, Instant Leaves, Guid? Nurse)
{
    public static Nursed Of(Session session)
    {
        var start = session.Start.ToInstant();
        return new(session.Id, start, start + Duration.FromMinutes(session.Length.InfusionMinutes + session.Length.ObservationMinutes), session.NurseId);
    }
}

/// <summary>
/// When each nurse is on duty, read off the wall clock as opening hours are (<see cref="Rules.FirstReaching"/>): a
/// shift starts the first time the clinic's clock shows its start, and ends the first time it shows its end.
/// </summary>
internal sealed class Duty
{
    private readonly ClinicCalendar calendar;

    private readonly ILookup<(Guid Nurse, LocalDate Date), NurseShift> shifts;

    public Duty(ClinicCalendar calendar, IEnumerable<NurseShift> shifts)
    {
        this.calendar = calendar;
        var list = shifts.ToList();
        this.shifts = list.ToLookup(s => (s.NurseId, s.Date));
        Nurses = [.. list.Select(s => s.NurseId).Distinct()];
    }

    /// <summary>Every nurse with a shift, in the order the shifts list them.</summary>
    public IReadOnlyList<Guid> Nurses { get; }

    /// <summary>
    /// Whether one shift of <paramref name="nurse"/> runs from before <paramref name="session"/> starts until after its
    /// patient leaves. Shifts of the days either side count too, so a shift is not found by its date alone.
    /// </summary>
    public bool Covers(Guid nurse, Nursed session)
    {
        var date = session.Start.InZone(calendar.Zone).Date;
        return Enumerable.Range(-1, 3).SelectMany(d => shifts[(nurse, date.PlusDays(d))]).Any(s =>
            Rules.FirstReaching(calendar.Zone, s.Date + s.Starts) <= session.Start &&
            session.Leaves <= Rules.FirstReaching(calendar.Zone, s.Date + s.Ends));
    }
}

/// <summary>
/// The nurse rule of the issue written again from shifts and minutes, so the properties do not check
/// <see cref="NurseRoster"/> against itself: every session has one nurse on shift from its start until its patient
/// leaves; no two of a nurse's set-ups (each session's first <see cref="NurseStaffing.SetupMinutes"/>) overlap; and at
/// no moment does a nurse watch more than <see cref="NurseStaffing.PatientsPerNurse"/> patients.
/// </summary>
internal static class NurseRules
{
    /// <summary>What stops <paramref name="nurse"/> taking <paramref name="session"/> beside the sessions <paramref name="others"/> already hold, or null.</summary>
    public static Obstacle? Refuses(NurseStaffing staffing, Duty duty, IEnumerable<Nursed> others, Guid nurse, Nursed session)
    {
        if (!duty.Covers(nurse, session))
        {
            return Obstacle.NoNurseOnShift;
        }

        var theirs = others.Where(o => o.Nurse == nurse && o.Id != session.Id).ToList();
        if (MostAtOnce([.. theirs, session], session) > staffing.PatientsPerNurse)
        {
            return Obstacle.NursesFull;
        }

        return theirs.Exists(o => SetUpTogether(staffing, o, session)) ? Obstacle.NurseSettingUp : null;
    }

    /// <summary>
    /// Null when some nurse can take <paramref name="session"/>; otherwise why none can, as the clinic is told: no nurse
    /// on shift for it, or some nurse on shift already full, or else every nurse on shift setting up.
    /// </summary>
    public static Obstacle? NoneCanTake(NurseStaffing staffing, Duty duty, IReadOnlyList<Nursed> others, Nursed session)
    {
        var refusals = new List<Obstacle>();
        foreach (var nurse in duty.Nurses)
        {
            if (Refuses(staffing, duty, others, nurse, session) is not { } refusal)
            {
                return null;
            }

            refusals.Add(refusal);
        }

        return refusals.Contains(Obstacle.NursesFull) ? Obstacle.NursesFull
            : refusals.Contains(Obstacle.NurseSettingUp) ? Obstacle.NurseSettingUp
            : Obstacle.NoNurseOnShift;
    }

    /// <summary>Every way <paramref name="all"/> together break the rule, each a sentence naming the sessions and the nurse.</summary>
    public static IEnumerable<string> Breaches(NurseStaffing staffing, Duty duty, IReadOnlyList<Nursed> all)
    {
        foreach (var session in all)
        {
            if (session.Nurse is not { } nurse)
            {
                yield return $"{session.Id} has no nurse";
            }
            else if (!duty.Covers(nurse, session))
            {
                yield return $"{session.Id} runs from {session.Start} to {session.Leaves}, outside every shift of nurse {nurse}";
            }
        }

        foreach (var theirs in all.Where(s => s.Nurse is not null).GroupBy(s => s.Nurse!.Value))
        {
            var list = theirs.ToList();
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    if (SetUpTogether(staffing, list[i], list[j]))
                    {
                        yield return $"nurse {theirs.Key} sets up {list[i].Id} at {list[i].Start} and {list[j].Id} at {list[j].Start} together";
                    }
                }

                var most = MostAtOnce(list, list[i]);
                if (most > staffing.PatientsPerNurse)
                {
                    yield return $"nurse {theirs.Key} watches {most} patients during {list[i].Id} from {list[i].Start}";
                }
            }
        }
    }

    private static bool SetUpTogether(NurseStaffing staffing, Nursed a, Nursed b)
    {
        var setup = Duration.FromMinutes(staffing.SetupMinutes);
        return setup > Duration.Zero && a.Start < b.Start + setup && b.Start < a.Start + setup;
    }

    /// <summary>
    /// The most of <paramref name="sessions"/> watched at once while <paramref name="during"/> lasts. Counting at
    /// every start inside it is enough: the number watched only rises when a session starts.
    /// </summary>
    private static int MostAtOnce(IReadOnlyList<Nursed> sessions, Nursed during) =>
        sessions
            .Select(s => s.Start)
            .Where(t => during.Start <= t && t < during.Leaves)
            .Append(during.Start)
            .Max(t => sessions.Count(s => s.Start <= t && t < s.Leaves));
}
