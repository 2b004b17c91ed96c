using System.Collections.Frozen;

namespace KetamineScheduling.Api.Events;

/// <summary>The event types the API appends to the change feed: what a webhook may subscribe to.</summary>
internal static class EventTypes
{
    /// <summary>Every type, in the order written here: the order the OpenAPI document lists them in.</summary>
    public static readonly IReadOnlyList<string> Declared =
    [
        "clinic.created", "clinic.updated",
        "chair.created", "chair.updated",
        "patient.created", "patient.updated",
        "plan.created", "plan.booked", "plan.held", "plan.resumed", "plan.discontinued", "plan.completed", "plan.updated",
        "plan.intake-approved", "plan.intake-declined", "plan.booster-due",
        "session.booked", "session.rescheduled", "session.cancelled", "session.checked_in", "session.completed", "session.no_show",
        "session.readiness_recorded", "session.infusion_started", "session.readiness_overridden", "session.nurse_assigned",
        "calendar-feed.created", "calendar-feed.revoked",
        "price-list.updated", "quote.created",
        "staff.created", "staff.updated", "shift.created", "shift.deleted",
        "assessment.recorded", "assessment.retracted", "assessment.risk-flagged",
        "reservation.created", "reservation.expired", "reservation.released", "reservation.converted",
        "waitlist.created", "waitlist.offered", "waitlist.booked", "waitlist.removed",
    ];

    /// <summary>The same types as a set, for checking a name; a frozen set's order follows its hashing, so it is never listed.</summary>
    public static readonly FrozenSet<string> All = Declared.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The kinds of resource the events are about: what comes before the dot of each type.</summary>
    public static readonly IReadOnlyList<string> ResourceTypes = [.. Declared.Select(t => t[..t.IndexOf('.', StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal)];
}
