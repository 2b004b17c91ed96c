using System.Collections.Concurrent;
using System.Data.Common;

namespace KetamineScheduling.Api.Clinics;

/// <summary>
/// Clinics with their calendars, kept per version: every change to a clinic's calendar raises its version, so a
/// caller that has just read the version from the database gets the calendar of exactly that version, from
/// memory when this process has built it before. Safe across processes: nothing is trusted without the version.
/// </summary>
internal sealed class ClinicCache
{
    private readonly ConcurrentDictionary<Guid, Clinic> clinics = new();

    /// <summary>The clinic at <paramref name="version"/>, loading it when this process has an older one or none.</summary>
    public async Task<Clinic?> GetAsync(DbConnection connection, Guid clinicId, int version)
    {
        if (clinics.TryGetValue(clinicId, out var cached) && cached.Version == version)
        {
            return cached;
        }

        var loaded = await ClinicStore.FindAsync(connection, clinicId);
        if (loaded is not null)
        {
            clinics[clinicId] = loaded;
        }

        return loaded;
    }
}
