namespace KetamineScheduling.Domain.Sessions;

/// <summary>An infusion chair in a clinic: the unit of capacity sessions are booked into.</summary>
public sealed record Chair(Guid Id, string Name);
