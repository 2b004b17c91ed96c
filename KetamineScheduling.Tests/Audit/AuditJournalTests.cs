using KetamineScheduling.Api.Audit;
using NodaTime;

namespace KetamineScheduling.Tests.Audit;

public sealed class AuditJournalTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"ketamine-scheduling-journal-{Guid.NewGuid():N}");

    private static readonly AuditEvent Full = new()
    {
        ClinicId = Guid.NewGuid(),
        ActorKeyId = Guid.NewGuid(),
        ActorRole = "scheduler",
        Action = "ListUpcomingSessions",
        ResourceType = "session",
        ResourceId = "c0ffee00-0000-4000-8000-000000000001",
        PatientId = Guid.NewGuid(),
        Outcome = AuditTrail.Succeeded,
        StatusCode = 200,
        RequestId = "0HN8:00000001",
        OccurredAt = Instant.FromUtc(2027, 3, 28, 1, 30) + Duration.FromNanoseconds(123_456_789),
    };

    private static readonly AuditEvent Bare = new()
    {
        Action = "GetPatient",
        ResourceType = "patient",
        Outcome = AuditTrail.Denied,
        StatusCode = 401,
        RequestId = "0HN8:00000002",
        OccurredAt = Instant.FromUtc(1969, 12, 31, 23, 59),
    };

    [Fact]
    public void Events_read_back_field_for_field_in_order_nulls_and_nanoseconds_included()
    {
        using var journal = AuditJournal.Create(directory, slots: 8);

        Assert.True(journal.TryAppend(Full));
        Assert.True(journal.TryAppend(Bare));
        var (events, last) = journal.ReadNext(10);

        Assert.Equal([Full, Bare], events);
        Assert.Equal(2, last);
    }

    [Fact]
    public void A_full_ring_takes_no_more_events_until_the_oldest_are_moved()
    {
        using var journal = AuditJournal.Create(directory, slots: 4);
        Assert.All(Enumerable.Range(0, 4), _ => Assert.True(journal.TryAppend(Bare)));

        Assert.False(journal.TryAppend(Full));
        journal.MarkMoved(2);
        Assert.True(journal.TryAppend(Full));
        Assert.True(journal.TryAppend(Full));
        Assert.False(journal.TryAppend(Full));

        var (events, last) = journal.ReadNext(10);
        Assert.Equal([Bare, Bare, Full, Full], events);
        Assert.Equal(6, last);
    }

    [Fact]
    public void An_event_too_large_for_a_slot_is_refused_and_takes_no_number()
    {
        using var journal = AuditJournal.Create(directory, slots: 4);

        Assert.False(journal.TryAppend(Full with { ResourceId = new string('x', AuditJournal.SlotBytes) }));
        Assert.Equal(0, journal.Head);
        Assert.True(journal.TryAppend(Full));
        Assert.Equal(1, journal.Head);
    }

    [Fact]
    public void A_closed_journal_takes_no_events_and_says_how_many_it_took()
    {
        using var journal = AuditJournal.Create(directory, slots: 4);
        journal.TryAppend(Bare);

        Assert.Equal(1, journal.Close());
        Assert.False(journal.TryAppend(Bare));
        Assert.Equal(1, journal.Head);
    }

    [Fact]
    public void Only_a_journal_whose_process_let_go_can_be_recovered_and_it_yields_the_intact_events_not_yet_moved()
    {
        string path;
        using (var journal = AuditJournal.Create(directory, slots: 4))
        {
            path = journal.Path;
            journal.TryAppend(Bare);
            journal.TryAppend(Full);
            journal.TryAppend(Full with { StatusCode = 404 });
            journal.TryAppend(Full with { StatusCode = 409 });

            Assert.Null(AuditJournal.TryOpenOrphan(path));
        }

        // Event 3 was half written when the machine went down: one byte of it differs.
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = (3 * AuditJournal.SlotBytes) + 40;
            var b = file.ReadByte();
            file.Position--;
            file.WriteByte((byte)~b);
        }

        using var orphan = AuditJournal.TryOpenOrphan(path);

        Assert.NotNull(orphan);
        Assert.Equal([(2L, Full), (4L, Full with { StatusCode = 409 })], orphan.ReadAllAfter(1));
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
