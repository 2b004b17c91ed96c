namespace KetamineScheduling.Api.Http;

/// <summary>
/// Thrown inside a write transaction when the database refuses a write another request got to first (a chair
/// or patient slot already claimed). Throwing rolls the whole transaction back; <see cref="Problems"/> turns it
/// into a 409.
/// </summary>
internal sealed class ConflictException(string detail) : Exception(detail);
