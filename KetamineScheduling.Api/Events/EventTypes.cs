using System.Collections.Frozen;

namespace KetamineScheduling.Api.Events;

/// <summary>The event types the API appends to the change feed: what a webhook may subscribe to.</summary>
internal static class EventTypes
{
    public static readonly FrozenSet<string> All = FrozenSet.ToFrozenSet(
    [
        "clinic.created", "clinic.updated",
        "chair.created",
        "patient.created",
        "plan.created", "plan.booked", "plan.held", "plan.resumed", "plan.discontinued", "plan.completed", "plan.updated",
        "session.booked", "session.rescheduled", "session.cancelled", "session.checked_in", "session.completed", "session.no_show",
        "price-list.updated", "quote.created",
    ], StringComparer.Ordinal);
}
