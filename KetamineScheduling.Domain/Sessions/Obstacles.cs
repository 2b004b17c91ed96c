namespace KetamineScheduling.Domain.Sessions;

/// <summary>What kind of refusal each <see cref="Obstacle"/> is.</summary>
public static class Obstacles
{
    /// <summary>
    /// Whether the obstacle is another booking or the session's own state standing in the way (a chair or patient
    /// taken, a full slot, no nurse free, a session that can no longer move): a conflict with the clinic's current state, which may
    /// clear when that state changes (HTTP 409). Every other obstacle is the calendar or the plan's rules refusing the
    /// request as asked (HTTP 422).
    /// </summary>
    public static bool IsConflict(this Obstacle obstacle) =>
        obstacle is Obstacle.ChairTaken or Obstacle.PatientBusy or Obstacle.StartsPerSlotFull or Obstacle.NotMovable or
            Obstacle.NoNurseOnShift or Obstacle.NurseSettingUp or Obstacle.NursesFull;

    /// <summary>Whether the obstacle is the clinic's nurses: none on shift, or none with room for another set-up or patient.</summary>
    public static bool IsNurseCapacity(this Obstacle obstacle) =>
        obstacle is Obstacle.NoNurseOnShift or Obstacle.NurseSettingUp or Obstacle.NursesFull;
}
