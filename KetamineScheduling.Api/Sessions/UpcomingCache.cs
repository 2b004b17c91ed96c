using System.Collections.Concurrent;
using System.Text.Json;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NodaTime;

namespace KetamineScheduling.Api.Sessions;

/// <summary>
/// Patients' first page of upcoming sessions, as JSON, for the mobile apps that ask for it again and again.
/// </summary>
/// <remarks>
/// A page is served only while it is still the answer: no change to the patient's sessions or plans has been
/// seen since the round its request caught up with (<see cref="ChangeWatch"/>), on this instance or another, and
/// none of its sessions has ended yet (an ended session leaves the list). The cache holds at most
/// <see cref="MaxBytes"/> of JSON; past that it starts again empty.
/// </remarks>
internal sealed class UpcomingCache(ChangeWatch watch, IOptions<JsonOptions> json)
{
    /// <summary>64 MiB: some three thousand full pages.</summary>
    private const long MaxBytes = 64L << 20;

    private readonly ConcurrentDictionary<Guid, Page> pages = new();
    private long bytes;

    /// <summary>The patient's page as a request caught up at any round may see it at <paramref name="now"/>, or null.</summary>
    public SerializedOk<Page<SessionResponse>>? Find(Guid clinicId, Guid patientId, Instant now) =>
        pages.TryGetValue(patientId, out var page) && page.ClinicId == clinicId && now < page.ValidUntil && !watch.ChangedSince(patientId, page.Round)
            ? new SerializedOk<Page<SessionResponse>>(page.Json)
            : null;

    /// <summary>Writes <paramref name="page"/>, read by a request caught up with <paramref name="round"/>, and keeps it.</summary>
    public SerializedOk<Page<SessionResponse>> Keep(Guid clinicId, Guid patientId, Page<SessionResponse> page, long round)
    {
        var written = Serialize(page);
        // A patient's sessions never overlap, so the first to start is the first to end and leave the list.
        var validUntil = page.Items.Count == 0 ? Instant.MaxValue : page.Items[0].End.ToInstant();
        if (!watch.ChangedSince(patientId, round))
        {
            if (Interlocked.Add(ref bytes, written.Length) > MaxBytes)
            {
                pages.Clear();
                Interlocked.Exchange(ref bytes, written.Length);
            }

            pages[patientId] = new Page(clinicId, written, validUntil, round);
        }

        return new(written);
    }

    /// <summary><paramref name="page"/> as the answer, not kept: a later page, or one whose request did not catch up.</summary>
    public SerializedOk<Page<SessionResponse>> Write(Page<SessionResponse> page) => new(Serialize(page));

    private byte[] Serialize(Page<SessionResponse> page) => JsonSerializer.SerializeToUtf8Bytes(page, json.Value.SerializerOptions);

    private sealed record Page(Guid ClinicId, byte[] Json, Instant ValidUntil, long Round);
}
