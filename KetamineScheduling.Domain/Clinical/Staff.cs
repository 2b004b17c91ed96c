namespace KetamineScheduling.Domain.Clinical;

/// <summary>What a member of the clinic's staff does; one person may be both.</summary>
public enum StaffKind
{
    /// <summary>Prescribes ketamine: decides intakes and overrides readiness.</summary>
    [WireCode("prescriber")]
    Prescriber,

    /// <summary>Supervises infusions: records readiness, dosing and discharge.</summary>
    [WireCode("nurse")]
    Nurse,
}

/// <summary>When in a visit an assessment was taken.</summary>
public enum AssessmentTiming
{
    /// <summary>Before treatment starts: what the course is judged against.</summary>
    [WireCode("baseline")]
    Baseline,

    [WireCode("pre-infusion")]
    PreInfusion,

    [WireCode("post-infusion")]
    PostInfusion,

    /// <summary>Between visits, or after the course.</summary>
    [WireCode("follow-up")]
    FollowUp,
}
