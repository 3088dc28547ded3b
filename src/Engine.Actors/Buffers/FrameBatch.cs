using Engine.Actors.Wire;

namespace Engine.Actors.Buffers;

/// <summary>
/// The data-plane message: up to <see cref="Capacity"/> frames, each in its own pooled buffer
/// with <see cref="Headroom"/> bytes free before it for headers added later.
///
/// Ownership is linear: whoever holds a batch owns its buffers; sending it in a message hands
/// them over, and the sender must not touch it again. The last holder calls <see cref="Release"/>.
/// A batch always holds Capacity buffers: moving a frame to another batch swaps buffers, so
/// frames are never copied and batches never need refilling.
/// </summary>
public sealed class FrameBatch
{
    public const int Headroom = 64;

    private readonly FrameBatchPool _pool;
    private readonly byte[][] _buffers;
    private readonly int[] _offsets;
    private readonly int[] _lengths;
    private readonly int[] _tags;
    private readonly int[] _notes;
    private readonly VirtioFrameLayout[] _offloads;

    internal FrameBatch(FrameBatchPool pool, int capacity, int bufferSize)
    {
        _pool = pool;
        _buffers = new byte[capacity][];
        for (var i = 0; i < capacity; i++)
            _buffers[i] = GC.AllocateUninitializedArray<byte>(bufferSize, pinned: true);
        _offsets = new int[capacity];
        _lengths = new int[capacity];
        _tags = new int[capacity];
        _notes = new int[capacity];
        _offloads = new VirtioFrameLayout[capacity];
    }

    public int Count { get; private set; }
    public int Capacity => _buffers.Length;

    /// <summary>The pool memory the batch holds, whatever its count: every buffer it has.</summary>
    public long BufferBytes => (long)_buffers.Length * _buffers[0].Length;
    public bool IsFull => Count == _buffers.Length;

    /// <summary>The port the frames came in on (a device or a peer), or -1.</summary>
    public int IngressPort { get; set; } = -1;

    /// <summary>
    /// When a reader handed the frames on (a Stopwatch timestamp), for the engine's transit
    /// latency; an egress batch carries its first ingress batch's. 0 when unknown.
    /// </summary>
    public long ReadAt { get; set; }

    /// <summary>
    /// The frames already carry their link framing (control messages a peer link queued in
    /// order with its data); a link sends them as they are.
    /// </summary>
    public bool IsFramed { get; set; }

    /// <summary>
    /// Frame <paramref name="index"/>'s port tag, or -1: the port it came in on when it goes to a
    /// controller, the port a controller wants it sent out of when it comes from one.
    /// </summary>
    public int Tag(int index) => _tags[index];

    public void SetTag(int index, int port) => _tags[index] = port;

    /// <summary>What frame <paramref name="index"/> is on a controller link, beside its tag (<see cref="ControllerNote"/>).</summary>
    public int Note(int index) => _notes[index];

    public void SetNote(int index, int note) => _notes[index] = note;

    /// <summary>
    /// What frame <paramref name="index"/> leaves for later, from a device with offloads: a
    /// super-frame's segmentation (gso type and size, header lengths) or a partial checksum still
    /// to fill. default is a finished packet. <see cref="Rewrite"/> resets it, <see cref="TryTrim"/>
    /// re-derives it: it always describes the frame as it is.
    /// </summary>
    public ref VirtioFrameLayout Offload(int index) => ref _offloads[index];

    /// <summary>Frame <paramref name="index"/>, writable in place.</summary>
    public Span<byte> Frame(int index) => _buffers[index].AsSpan(_offsets[index], _lengths[index]);

    /// <summary>The whole buffer of frame <paramref name="index"/>, for rewriting it in place.</summary>
    public byte[] Buffer(int index) => _buffers[index];

    public int Offset(int index) => _offsets[index];

    /// <summary>Where the next frame is read into: the buffer after the headroom.</summary>
    public Span<byte> NextReadSpace => _buffers[Count].AsSpan(Headroom);

    /// <summary>
    /// Where the next frame is read into when <paramref name="prefix"/> bytes of metadata (a
    /// virtio-net header) come first: they land in the headroom, the frame where
    /// <see cref="CommitRead"/> expects it.
    /// </summary>
    public Span<byte> NextReadSpaceBehind(int prefix) => _buffers[Count].AsSpan(Headroom - prefix);

    /// <summary>Commits a frame of <paramref name="length"/> bytes read into <see cref="NextReadSpace"/>.</summary>
    public void CommitRead(int length)
    {
        _offsets[Count] = Headroom;
        _lengths[Count] = length;
        _tags[Count] = -1;
        _notes[Count] = ControllerNote.None;
        _offloads[Count] = default;
        Count++;
    }

    /// <summary>
    /// Commits the frame a batched receive put in slot <paramref name="slot"/> (at or after
    /// <see cref="Count"/>), at <paramref name="offset"/> in its buffer: slots that held nothing
    /// worth keeping are skipped by swapping this one's buffer down.
    /// </summary>
    public void CommitSlot(int slot, int offset, int length, int tag, int note = ControllerNote.None)
    {
        if (slot < Count || slot >= _buffers.Length) throw new ArgumentOutOfRangeException(nameof(slot));
        (_buffers[Count], _buffers[slot]) = (_buffers[slot], _buffers[Count]);
        _offsets[Count] = offset;
        _lengths[Count] = length;
        _tags[Count] = tag;
        _notes[Count] = note;
        _offloads[Count] = default;
        Count++;
    }

    /// <summary>Appends a frame by copying it (for frames that arrive outside a pooled buffer).</summary>
    public bool TryAppendCopy(ReadOnlySpan<byte> frame)
    {
        if (IsFull || frame.Length > _buffers[Count].Length - Headroom) return false;
        frame.CopyTo(NextReadSpace);
        CommitRead(frame.Length);
        return true;
    }

    /// <summary>
    /// Moves frame <paramref name="index"/>'s bounds over a link header pushed in front of it or
    /// pulled off it. The packet behind stays the same, and so does its offload layout, which
    /// counts from the IP header.
    /// </summary>
    public void Reframe(int index, int offset, int length)
    {
        _offsets[index] = offset;
        _lengths[index] = length;
    }

    /// <summary>
    /// Sets frame <paramref name="index"/> to a new, finished packet written in its buffer (an
    /// ICMP error, an ARP or neighbour answer): nothing of the old packet's layout applies to it.
    /// </summary>
    public void Rewrite(int index, int offset, int length)
    {
        _offsets[index] = offset;
        _lengths[index] = length;
        _offloads[index] = default;
    }

    /// <summary>
    /// Cuts frame <paramref name="index"/> to its first <paramref name="length"/> bytes and
    /// re-derives its offload layout, which counts the packet's bytes too. False, changing
    /// nothing, when the layout does not hold up without the bytes cut off (the frame is malformed).
    /// </summary>
    public bool TryTrim(int index, int length)
    {
        if ((uint)length > (uint)_lengths[index]) throw new ArgumentOutOfRangeException(nameof(length));
        if (!_offloads[index].TryTrim(length, out var trimmed)) return false;
        _offloads[index] = trimmed;
        _lengths[index] = length;
        return true;
    }

    /// <summary>
    /// Moves frame <paramref name="index"/> to the end of <paramref name="destination"/> by swapping
    /// buffers: the destination's spare buffer takes its place here. Slot <paramref name="index"/>
    /// is then empty; callers move frames out in index order and <see cref="Clear"/> afterwards.
    /// </summary>
    public void MoveTo(int index, FrameBatch destination)
    {
        var slot = destination.Count;
        (destination._buffers[slot], _buffers[index]) = (_buffers[index], destination._buffers[slot]);
        destination._offsets[slot] = _offsets[index];
        destination._lengths[slot] = _lengths[index];
        destination._tags[slot] = _tags[index];
        destination._notes[slot] = _notes[index];
        destination._offloads[slot] = _offloads[index];
        destination.Count = slot + 1;
        _lengths[index] = 0;
    }

    /// <summary>
    /// Forgets the first <paramref name="count"/> frames, moved out with <see cref="MoveTo"/>: the
    /// rest move down to the front by swapping buffers, so every buffer stays with the batch.
    /// </summary>
    public void RemoveFirst(int count)
    {
        if ((uint)count > (uint)Count) throw new ArgumentOutOfRangeException(nameof(count));
        for (var from = count; from < Count; from++)
        {
            var to = from - count;
            (_buffers[to], _buffers[from]) = (_buffers[from], _buffers[to]);
            _offsets[to] = _offsets[from];
            _lengths[to] = _lengths[from];
            _tags[to] = _tags[from];
            _notes[to] = _notes[from];
            _offloads[to] = _offloads[from];
        }
        Count -= count;
    }

    /// <summary>Keeps the first <paramref name="count"/> frames; the rest are dropped (their buffers stay with the batch).</summary>
    public void Truncate(int count)
    {
        if ((uint)count > (uint)Count) throw new ArgumentOutOfRangeException(nameof(count));
        Count = count;
    }

    public void Clear()
    {
        Count = 0;
        IngressPort = -1;
        IsFramed = false;
        ReadAt = 0;
    }

    /// <summary>Returns the batch and its buffers to the pool. The caller gives up all access.</summary>
    public void Release()
    {
        Clear();
        _pool.Return(this);
    }
}
