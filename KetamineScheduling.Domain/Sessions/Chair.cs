namespace KetamineScheduling.Domain.Sessions;

/// <summary>An infusion chair in a clinic: the unit of capacity sessions are booked into.</summary>
/// <param name="Id">The chair's id.</param>
/// <param name="Name">How the clinic names it; unique in the clinic.</param>
/// <param name="InService">
/// Whether the chair takes new bookings. A chair out of service (broken, being serviced) keeps the sessions already
/// booked on it until the clinic moves them, but nothing new is placed on it.
/// </param>
public sealed record Chair(Guid Id, string Name, bool InService = true);
