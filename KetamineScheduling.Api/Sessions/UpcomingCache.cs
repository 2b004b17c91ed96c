using System.Text.Json;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NodaTime;

namespace KetamineScheduling.Api.Sessions;

/// <summary>
/// Patients' first page of upcoming sessions, as JSON, for the mobile apps that ask for it again and again.
/// </summary>
/// <remarks>
/// A page is served only while it is still the answer: no change to the patient's sessions or plans has been seen
/// since the request that read it caught up with the database (<see cref="ChangeWatch"/>), on this instance or
/// another, and none of its sessions has ended yet (an ended session leaves the list). So a booking made through
/// any instance is in the next list any instance serves. The pages take at most <see cref="MaxBytes"/> of JSON;
/// past that the least used go.
/// </remarks>
internal sealed class UpcomingCache(ChangeWatch watch, IOptions<JsonOptions> json) : IDisposable
{
    /// <summary>64 MiB: some ten thousand pages of a dozen sessions.</summary>
    private const long MaxBytes = 64L << 20;

    private readonly MemoryCache pages = new(new MemoryCacheOptions { SizeLimit = MaxBytes });

    /// <summary>
    /// The patient's first page as of now, from memory while it is still the answer, otherwise from
    /// <paramref name="load"/>; null when <paramref name="load"/> finds no such patient.
    /// </summary>
    public async Task<SerializedOk<Page<SessionResponse>>?> GetOrLoadAsync(
        Guid clinicId, Guid patientId, Instant now, Func<Task<Page<SessionResponse>?>> load, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        var sight = await watch.CatchUpAsync(cancellationToken);
        if (pages.TryGetValue(patientId, out Kept? kept) && kept!.ClinicId == clinicId && now < kept.ValidUntil && !watch.ChangedSince(patientId, kept.Round))
        {
            return new(kept.Json);
        }

        if (await load() is not { } page)
        {
            return null;
        }

        var written = Serialize(page);

        // A patient's sessions never overlap, so the first to start is the first to end and leave the list.
        var validUntil = page.Items.Count == 0 ? Instant.MaxValue : page.Items[0].End.ToInstant();
        if (!watch.ChangedSince(patientId, sight.Round))
        {
            pages.Set(patientId, new Kept(clinicId, written, validUntil, sight.Round), new MemoryCacheEntryOptions { Size = written.Length });
        }

        return new(written);
    }

    /// <summary><paramref name="page"/> as the answer, not kept: a later page, or another page size.</summary>
    public SerializedOk<Page<SessionResponse>> Write(Page<SessionResponse> page) => new(Serialize(page));

    public void Dispose() => pages.Dispose();

    private byte[] Serialize(Page<SessionResponse> page) => JsonSerializer.SerializeToUtf8Bytes(page, json.Value.SerializerOptions);

    private sealed record Kept(Guid ClinicId, byte[] Json, Instant ValidUntil, long Round);
}
