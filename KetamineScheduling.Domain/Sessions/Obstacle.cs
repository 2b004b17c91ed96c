namespace KetamineScheduling.Domain.Sessions;

/// <summary>Why a session cannot be held at a given chair and time.</summary>
public enum Obstacle
{
    /// <summary>The start has already passed.</summary>
    InThePast,

    /// <summary>The clinic is closed that day (no opening hours that weekday, or a closed date).</summary>
    ClinicClosed,

    /// <summary>The start is not on the clinic's slot grid.</summary>
    OffSlotGrid,

    /// <summary>The chair time (infusion, observation and cleaning) does not fit inside opening hours.</summary>
    OutsideOpeningHours,

    /// <summary>The chair is occupied by another session for part of the time.</summary>
    ChairTaken,

    /// <summary>The patient is in another session for part of the time.</summary>
    PatientBusy,

    /// <summary>As many infusions as the clinic allows already start in that slot.</summary>
    StartsPerSlotFull,

    /// <summary>The session is checked in, done or called off, so it can no longer move.</summary>
    NotMovable,

    /// <summary>The move would put the plan's sessions out of their order.</summary>
    OutOfOrder,

    /// <summary>The move would leave an induction gap longer than the largest interval, or the induction longer than its span.</summary>
    InductionBroken,

    /// <summary>The clinic has no chairs, so no start could be tried.</summary>
    NoChairs,

    /// <summary>The move would put a maintenance session later after the one before it than its interval and slack allow.</summary>
    MaintenanceLate,

    /// <summary>No nurse is on shift for the whole infusion and observation.</summary>
    NoNurseOnShift,

    /// <summary>Every nurse on shift then is setting up another session's IV during this one's set-up time.</summary>
    NurseSettingUp,

    /// <summary>Every nurse on shift then already watches as many patients as the clinic allows.</summary>
    NursesFull,
}
