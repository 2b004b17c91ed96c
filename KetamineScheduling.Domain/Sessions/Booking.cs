using NodaTime;

namespace KetamineScheduling.Domain.Sessions;

/// <summary>
/// Time already held in a clinic: a chair from <see cref="Start"/> until <see cref="ChairFreeAt"/>, and a patient
/// from <see cref="Start"/> until <see cref="PatientLeavesAt"/>. Ends are excluded, so back-to-back sessions do not
/// overlap.
/// </summary>
/// <param name="SessionId">The session holding the time.</param>
/// <param name="ChairId">The chair held.</param>
/// <param name="PatientId">The patient seated.</param>
/// <param name="Date">The clinic's local date of the start; the occupancy index files bookings under it.</param>
/// <param name="Start">When the session starts.</param>
/// <param name="PatientLeavesAt">When infusion and observation are over.</param>
/// <param name="ChairFreeAt">When cleaning is over.</param>
/// <param name="NurseId">The nurse who sets up and watches the session, where the clinic counts nurses.</param>
public sealed record Booking(Guid SessionId, Guid ChairId, Guid PatientId, LocalDate Date, Instant Start, Instant PatientLeavesAt, Instant ChairFreeAt, Guid? NurseId = null);
