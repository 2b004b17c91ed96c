using System.Buffers.Binary;
using System.IO.Hashing;
using System.IO.MemoryMappedFiles;
using System.Text;
using NodaTime;

namespace KetamineScheduling.Api.Audit;

/// <summary>
/// A file beside the SQLite database where audit events are written the moment a request's answer is known, so
/// that the answer can go out at once, and from where <see cref="AuditWriter"/> moves them into the audit table
/// in large transactions.
/// </summary>
/// <remarks>
/// <para>
/// The file is mapped into memory. Writing an event is a copy into the mapping: no system call, no lock, no wait.
/// Once copied, the event belongs to the operating system's page cache and outlives the process, exactly as a
/// commit to SQLite's WAL with <c>synchronous=NORMAL</c> does (both are lost only with the machine itself, before
/// the kernel writes them out). That is why a read may be answered once its event is here: if the process dies
/// the next instance to start moves the event into the table (<see cref="AuditWriter"/>).
/// </para>
/// <para>
/// The file is a ring of <see cref="SlotBytes"/>-byte slots. Event number <c>n</c> (from 1) goes to slot
/// <c>n % slots</c>, and a slot is reused only once its previous event has been moved; when the mover falls a
/// whole ring behind, <see cref="TryAppend"/> says no and the caller commits the old way. A slot is published by
/// writing its number last, so a reader sees either the whole event or the slot's old number; a checksum guards
/// against pages the kernel wrote out half.
/// </para>
/// <para>
/// Each process has a journal of its own, locked while it lives. A journal nobody holds belongs to a process that
/// died, and may be recovered by anyone.
/// </para>
/// </remarks>
internal sealed class AuditJournal : IDisposable
{
    /// <summary>Room for any event whose text fits the SQL Server columns, in ASCII, with its header.</summary>
    public const int SlotBytes = 1024;

    /// <summary>The default ring: 16 MiB, over a second of the heaviest load measured.</summary>
    public const int DefaultSlots = 16_384;

    public const string Extension = ".journal";

    private const int HeaderBytes = 16;
    private const int MaxPayload = SlotBytes - HeaderBytes;

    private readonly FileStream file;
    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly int slots;

    // The last event number handed out, negated (minus one) once the journal is closed to new events.
    private long head;
    private long moved;

    private AuditJournal(string path, FileStream file, int slots)
    {
        Path = path;
        Id = System.IO.Path.GetFileNameWithoutExtension(path);
        this.file = file;
        this.slots = slots;
        map = MemoryMappedFile.CreateFromFile(file, null, file.Length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        view = map.CreateViewAccessor(0, file.Length);
    }

    /// <summary>The journal's name, which <c>audit_journals</c> keeps its progress under.</summary>
    public string Id { get; }

    public string Path { get; }

    /// <summary>The number of the last event written, or being written.</summary>
    public long Head => Volatile.Read(ref head) is var h && h < 0 ? ~h : h;

    /// <summary>The number of the last event moved into the table; every event up to it has been.</summary>
    public long Moved => Volatile.Read(ref moved);

    /// <summary>A new journal for this process in <paramref name="directory"/>, locked until disposed.</summary>
    public static AuditJournal Create(string directory, int slots = DefaultSlots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 2);
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, Guid.NewGuid().ToString("N") + Extension);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            // Windows renames an open file only when its handle shares deletion; the lock against other openers
            // holds all the same, as it does on Unix.
            Share = OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None,
            // Allocated now, so that a full disk fails here and not later inside the mapping, where it would kill
            // the process.
            PreallocationSize = (long)slots * SlotBytes,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Ids only, never names; still, nobody else's business.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // Created under another name and given its own only once locked, so that a recovery never takes a journal
        // for an orphan in the moment between its creation and its lock.
        var file = new FileStream(path + ".new", options);
        try
        {
            file.SetLength((long)slots * SlotBytes);
            File.Move(path + ".new", path);
            return new AuditJournal(path, file, slots);
        }
        catch
        {
            file.Dispose();
            File.Delete(path + ".new");
            throw;
        }
    }

    /// <summary>The journal at <paramref name="path"/> if its process is gone (nobody holds its lock), else null.</summary>
    public static AuditJournal? TryOpenOrphan(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            // Locked by the process that writes it, or already recovered and deleted by another.
            return null;
        }

        if (file.Length < 2 * SlotBytes || file.Length % SlotBytes != 0)
        {
            file.Dispose();
            return null;
        }

        return new AuditJournal(path, file, (int)(file.Length / SlotBytes));
    }

    /// <summary>
    /// Writes <paramref name="e"/>; false, and nothing written, when it does not fit a slot, the ring is full, or
    /// the journal is closed. Safe to call from any number of threads at once.
    /// </summary>
    public bool TryAppend(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Span<byte> payload = stackalloc byte[MaxPayload];
        if (!TryEncode(e, payload, out var length))
        {
            return false;
        }

        long number;
        do
        {
            var last = Volatile.Read(ref head);
            if (last < 0 || last + 1 - Volatile.Read(ref moved) > slots)
            {
                return false;
            }

            number = last + 1;
            if (Interlocked.CompareExchange(ref head, number, last) == last)
            {
                break;
            }
        }
        while (true);

        var at = Offset(number);
        var handle = view.SafeMemoryMappedViewHandle;
        handle.WriteSpan((ulong)(at + HeaderBytes), payload[..length]);
        handle.Write((ulong)(at + 8), length);
        handle.Write((ulong)(at + 12), Crc32.HashToUInt32(payload[..length]));

        // Published last. SafeBuffer's writes each take and release a reference with interlocked operations,
        // which are full fences, so the number cannot become visible before the event.
        handle.Write((ulong)at, number);
        return true;
    }

    /// <summary>
    /// Events from <see cref="Moved"/> on, in order, as far as they are complete, at most <paramref name="max"/>;
    /// with the number of the last.
    /// </summary>
    public (IReadOnlyList<AuditEvent> Events, long Last) ReadNext(int max)
    {
        var events = new List<AuditEvent>();
        var last = Moved;
        var end = Head;
        while (last < end && events.Count < max && TryRead(last + 1) is { } e)
        {
            events.Add(e);
            last++;
        }

        return (events, last);
    }

    /// <summary>Every intact event after <paramref name="after"/> still in the file, in order: what a recovery moves.</summary>
    public IReadOnlyList<(long Number, AuditEvent Event)> ReadAllAfter(long after)
    {
        var found = new List<(long, AuditEvent)>();
        for (var slot = 0; slot < slots; slot++)
        {
            var number = view.SafeMemoryMappedViewHandle.Read<long>((ulong)slot * SlotBytes);
            if (number > after && number % slots == slot && TryRead(number) is { } e)
            {
                found.Add((number, e));
            }
        }

        found.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return found;
    }

    /// <summary>Records that every event up to <paramref name="number"/> is in the table, freeing their slots.</summary>
    public void MarkMoved(long number)
    {
        if (number > Moved)
        {
            Volatile.Write(ref moved, number);
        }
    }

    /// <summary>Takes no more events; returns the number of the last one taken.</summary>
    public long Close()
    {
        while (true)
        {
            var last = Volatile.Read(ref head);
            if (last < 0)
            {
                return ~last;
            }

            if (Interlocked.CompareExchange(ref head, ~last, last) == last)
            {
                return last;
            }
        }
    }

    public void Dispose()
    {
        view.Dispose();
        map.Dispose();
        file.Dispose();
    }

    private long Offset(long number) => number % slots * SlotBytes;

    /// <summary>Event <paramref name="number"/>, or null when its slot does not hold it whole.</summary>
    private AuditEvent? TryRead(long number)
    {
        var at = Offset(number);
        var handle = view.SafeMemoryMappedViewHandle;
        if (handle.Read<long>((ulong)at) != number)
        {
            return null;
        }

        var length = handle.Read<int>((ulong)(at + 8));
        if (length is < 0 or > MaxPayload)
        {
            return null;
        }

        Span<byte> payload = stackalloc byte[length];
        handle.ReadSpan((ulong)(at + HeaderBytes), payload);
        return Crc32.HashToUInt32(payload) == handle.Read<uint>((ulong)(at + 12)) && TryDecode(payload, out var e) ? e : null;
    }

    [Flags]
    private enum Present : byte
    {
        None = 0,
        Clinic = 1,
        ActorKey = 2,
        Patient = 4,
        ActorRole = 8,
        ResourceId = 16,
    }

    private static bool TryEncode(AuditEvent e, Span<byte> into, out int length)
    {
        length = 0;
        var present = (e.ClinicId is null ? Present.None : Present.Clinic) | (e.ActorKeyId is null ? Present.None : Present.ActorKey) |
            (e.PatientId is null ? Present.None : Present.Patient) | (e.ActorRole is null ? Present.None : Present.ActorRole) |
            (e.ResourceId is null ? Present.None : Present.ResourceId);
        var writer = new SpanWriter(into);
        var fits = writer.Byte((byte)present) &&
            writer.Guid(e.ClinicId) && writer.Guid(e.ActorKeyId) && writer.Guid(e.PatientId) &&
            writer.Int32(e.StatusCode) && writer.Int64((e.OccurredAt - NodaConstants.UnixEpoch).ToInt64Nanoseconds()) &&
            writer.Text(e.ActorRole) && writer.Text(e.Action) && writer.Text(e.ResourceType) && writer.Text(e.ResourceId) &&
            writer.Text(e.Outcome) && writer.Text(e.RequestId);
        length = writer.Written;
        return fits;
    }

    private static bool TryDecode(ReadOnlySpan<byte> from, out AuditEvent e)
    {
        var reader = new SpanReader(from);
        var present = (Present)reader.Byte();
        e = new AuditEvent
        {
            ClinicId = reader.Guid(present.HasFlag(Present.Clinic)),
            ActorKeyId = reader.Guid(present.HasFlag(Present.ActorKey)),
            PatientId = reader.Guid(present.HasFlag(Present.Patient)),
            StatusCode = reader.Int32(),
            OccurredAt = NodaConstants.UnixEpoch + Duration.FromNanoseconds(reader.Int64()),
            ActorRole = reader.Text(present.HasFlag(Present.ActorRole)),
            Action = reader.Text(true)!,
            ResourceType = reader.Text(true)!,
            ResourceId = reader.Text(present.HasFlag(Present.ResourceId)),
            Outcome = reader.Text(true)!,
            RequestId = reader.Text(true)!,
        };
        return reader.Intact;
    }

    /// <summary>Little-endian fields, nulls left out (the leading flags say which are there), text as UTF-8 after its length.</summary>
    private ref struct SpanWriter(Span<byte> into)
    {
        private readonly Span<byte> into = into;

        public int Written { get; private set; }

        public bool Byte(byte value)
        {
            if (!Take(1, out var at))
            {
                return false;
            }

            at[0] = value;
            return true;
        }

        public bool Guid(Guid? value) => value is not { } id || (Take(16, out var at) && id.TryWriteBytes(at));

        public bool Int32(int value)
        {
            if (!Take(4, out var at))
            {
                return false;
            }

            BinaryPrimitives.WriteInt32LittleEndian(at, value);
            return true;
        }

        public bool Int64(long value)
        {
            if (!Take(8, out var at))
            {
                return false;
            }

            BinaryPrimitives.WriteInt64LittleEndian(at, value);
            return true;
        }

        public bool Text(string? value)
        {
            if (value is null)
            {
                return true;
            }

            var bytes = Encoding.UTF8.GetByteCount(value);
            if (bytes > ushort.MaxValue || !Take(2, out var size) || !Take(bytes, out var at))
            {
                return false;
            }

            BinaryPrimitives.WriteUInt16LittleEndian(size, (ushort)bytes);
            Encoding.UTF8.GetBytes(value, at);
            return true;
        }

        private bool Take(int count, out Span<byte> at)
        {
            if (Written + count > into.Length)
            {
                at = default;
                return false;
            }

            at = into.Slice(Written, count);
            Written += count;
            return true;
        }
    }

    /// <summary>Reads what <see cref="SpanWriter"/> wrote; <see cref="Intact"/> turns false at the first field that runs past the end.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> from)
    {
        private readonly ReadOnlySpan<byte> from = from;
        private int read;

        public bool Intact { get; private set; } = true;

        public byte Byte() => Take(1, out var at) ? at[0] : (byte)0;

        public Guid? Guid(bool present) => present && Take(16, out var at) ? new Guid(at) : null;

        public int Int32() => Take(4, out var at) ? BinaryPrimitives.ReadInt32LittleEndian(at) : 0;

        public long Int64() => Take(8, out var at) ? BinaryPrimitives.ReadInt64LittleEndian(at) : 0;

        public string? Text(bool present) =>
            present && Take(2, out var size) && Take(BinaryPrimitives.ReadUInt16LittleEndian(size), out var at) ? Encoding.UTF8.GetString(at) : null;

        private bool Take(int count, out ReadOnlySpan<byte> at)
        {
            if (!Intact || read + count > from.Length)
            {
                Intact = false;
                at = default;
                return false;
            }

            at = from.Slice(read, count);
            read += count;
            return true;
        }
    }
}
