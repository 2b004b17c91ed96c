namespace KetamineScheduling.Api.Audit;

/// <summary>
/// A request or answer that holds patients' data: the audit trail records an event under each patient it names,
/// as <see cref="Http.IVersioned"/> drives ETags. Implemented explicitly, so it adds nothing to the JSON.
/// </summary>
internal interface IPatientScoped
{
    /// <summary>The patients whose data this holds.</summary>
    IEnumerable<Guid> Patients { get; }
}
