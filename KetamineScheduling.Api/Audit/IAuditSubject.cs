namespace KetamineScheduling.Api.Audit;

/// <summary>
/// An answer that names the clinic and the resource it is about, for a route whose values name neither: the
/// calendar feed a phone fetches by its secret token alone. Implemented explicitly, so it adds nothing to the JSON.
/// </summary>
internal interface IAuditSubject
{
    /// <summary>The clinic whose trail the request's events belong to.</summary>
    Guid ClinicId { get; }

    /// <summary>The resource the request acted on.</summary>
    Guid ResourceId { get; }
}
