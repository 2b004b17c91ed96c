using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.OpenApi;

namespace KetamineScheduling.Api.Staff;

/// <summary>A new member of the clinic's staff.</summary>
public sealed record CreateStaffRequest
{
    /// <summary>The name colleagues and patients know them by.</summary>
    [MaxLength(200)]
    public required string Name { get; init; }

    /// <summary>What they do: prescriber, nurse or both; at least one.</summary>
    [MinLength(1), MaxLength(2)]
    [ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.StaffKinds))]
    public required IReadOnlyList<string> Kinds { get; init; }

    /// <summary>The US National Provider Identifier: 10 digits with a valid check digit (Luhn over the prefix 80840).</summary>
    [MaxLength(10)]
    public string? Npi { get; init; }

    /// <summary>The state or national licence number, as issued.</summary>
    [MaxLength(50)]
    public string? LicenceNumber { get; init; }
}

/// <summary>Changes to a member of staff, in the manner of a JSON merge patch: a property left out (or null) keeps its value.</summary>
public sealed record UpdateStaffRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [MaxLength(200)]
    public string? Name { get; init; }

    /// <summary>The whole list of what they do, replacing the old one; at least one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [MinLength(1), MaxLength(2)]
    [ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.StaffKinds))]
    public IReadOnlyList<string>? Kinds { get; init; }

    /// <summary>False when they leave: an inactive prescriber can approve no intake.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Active { get; init; }
}

/// <summary>A member of the clinic's staff.</summary>
/// <param name="Id">Their id: what a plan's prescriberId and a clinician key's staffId name.</param>
/// <param name="Name">Their name.</param>
/// <param name="Kinds">What they do: prescriber, nurse or both.</param>
/// <param name="Npi">Their National Provider Identifier; null when none was given.</param>
/// <param name="LicenceNumber">Their licence number; null when none was given.</param>
/// <param name="Active">Whether they still work here.</param>
/// <param name="Version">Changes with every update; sent as the ETag.</param>
public sealed record StaffResponse(
    Guid Id,
    [property: MaxLength(200)] string Name,
    [property: MaxLength(2), ValuesOf(typeof(ClinicalCodes), nameof(ClinicalCodes.StaffKinds))] IReadOnlyList<string> Kinds,
    [property: MaxLength(10)] string? Npi,
    [property: MaxLength(50)] string? LicenceNumber,
    bool Active,
    [property: Range(1, int.MaxValue)] int Version) : IVersioned;
