namespace KetamineScheduling.Domain.Nursing;

/// <summary>
/// How a clinic staffs its chairs with nurses. A nurse sets up each IV alone, so during a session's first
/// <see cref="SetupMinutes"/> its nurse sets up no other; and from the start until observation ends the session is
/// one of that nurse's at most <see cref="PatientsPerNurse"/> patients. Off, a clinic books chairs as if nurses were
/// never short.
/// </summary>
public sealed record NurseStaffing
{
    /// <summary>The fewest patients a nurse may watch at once.</summary>
    public const int MinPatientsPerNurse = 1;

    /// <summary>The most patients a nurse may watch at once.</summary>
    public const int MaxPatientsPerNurse = 8;

    /// <summary>Four patients a nurse, unless the clinic says otherwise.</summary>
    public const int DefaultPatientsPerNurse = 4;

    /// <summary>The longest set-up a clinic may set.</summary>
    public const int MaxSetupMinutes = 60;

    /// <summary>Fifteen minutes to place an IV and start the pump, unless the clinic says otherwise.</summary>
    public const int DefaultSetupMinutes = 15;

    public NurseStaffing(bool enabled, int patientsPerNurse = DefaultPatientsPerNurse, int setupMinutes = DefaultSetupMinutes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patientsPerNurse, MinPatientsPerNurse);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(patientsPerNurse, MaxPatientsPerNurse);
        ArgumentOutOfRangeException.ThrowIfNegative(setupMinutes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(setupMinutes, MaxSetupMinutes);
        Enabled = enabled;
        PatientsPerNurse = patientsPerNurse;
        SetupMinutes = setupMinutes;
    }

    /// <summary>Nurses are not counted: the default, and how every clinic booked before nurse staffing existed.</summary>
    public static NurseStaffing Off { get; } = new(false);

    /// <summary>Whether every session needs a nurse on shift with room for it.</summary>
    public bool Enabled { get; }

    /// <summary>How many patients one nurse watches at most at any moment, from infusion start to end of observation.</summary>
    public int PatientsPerNurse { get; }

    /// <summary>Minutes from a session's start in which its nurse sets up its IV and sets up no other.</summary>
    public int SetupMinutes { get; }
}
