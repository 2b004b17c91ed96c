using System.ComponentModel.DataAnnotations;
using NodaTime;

namespace KetamineScheduling.Api.Nursing;

/// <summary>A nurse's shift on one date, in the clinic's local time.</summary>
/// <param name="Date">The clinic's local date.</param>
/// <param name="Starts">When the shift starts, local time (HH:mm).</param>
/// <param name="Ends">When it ends, local time (HH:mm), at least 15 minutes after it starts on the same date.</param>
public sealed record CreateShiftRequest(LocalDate Date, LocalTime Starts, LocalTime Ends);

/// <summary>A nurse's shift.</summary>
/// <param name="Id">The shift's id.</param>
/// <param name="StaffId">The nurse on duty.</param>
/// <param name="Date">The clinic's local date.</param>
/// <param name="Starts">When the shift starts, local time.</param>
/// <param name="Ends">When it ends, local time.</param>
/// <param name="CreatedAt">When it was recorded.</param>
public sealed record ShiftResponse(Guid Id, Guid StaffId, LocalDate Date, LocalTime Starts, LocalTime Ends, Instant CreatedAt);

/// <summary>The shifts on one date, by start and then nurse.</summary>
/// <param name="Date">The clinic's local date.</param>
/// <param name="Items">The shifts.</param>
public sealed record ShiftList(LocalDate Date, [property: MaxLength(1000)] IReadOnlyList<ShiftResponse> Items);
