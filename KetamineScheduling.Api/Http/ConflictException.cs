using KetamineScheduling.Domain.Sessions;

namespace KetamineScheduling.Api.Http;

/// <summary>
/// Thrown inside a write transaction when the database refuses a write another request got to first (a chair
/// or patient slot already claimed). Throwing rolls the whole transaction back; <see cref="Problems"/> turns it
/// into a 409, with <see cref="Extensions"/> as the problem's extra members.
/// </summary>
internal sealed class ConflictException(string detail, IReadOnlyDictionary<string, object?>? extensions = null) : Exception(detail)
{
    /// <summary>A conflict the domain names, as the <c>obstacle</c> member clients already read on refusals.</summary>
    public ConflictException(string detail, Obstacle obstacle)
        : this(detail, new Dictionary<string, object?> { ["obstacle"] = obstacle.ToString() })
    {
    }

    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
}
