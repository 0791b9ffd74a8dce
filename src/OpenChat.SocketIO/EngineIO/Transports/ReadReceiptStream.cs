using System.Buffers;
using System.Buffers.Binary;
using Microsoft.AspNetCore.Http.Features;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// The upgraded connection's stream, beneath the WebSocket. It can put a PING between the WebSocket's own
/// frames and notices the client's PONG: every WebSocket client answers a ping as it reads it (RFC 6455
/// §5.5.2), so the PONG is a receipt that the client has read everything written before the PING. Writes
/// are serialized here, since the WebSocket also writes on its own (pongs, close frames); each of its frames
/// is one write, so a PING never lands inside one. The transport's writer can also gather the frames it
/// finds queued into one write (<see cref="BeginGathering"/>), and writes its data frames here itself
/// (<see cref="WriteFrameAsync"/>).
/// </summary>
internal sealed class ReadReceiptStream : Stream
{
    /// <summary>Most bytes gathered before they are written out (see <see cref="BeginGathering"/>).</summary>
    internal const int MaxGatheredBytes = 16 * 1024;

    /// <summary>Largest single write that is gathered; longer ones are written as they are.</summary>
    internal const int MaxGatheredWrite = 2 * 1024;

    private readonly Stream _inner;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly PongScanner _scanner = new();
    private readonly Lock _sync = new();
    private readonly Action<ulong> _onPong;
    private readonly byte[] _frameHeader = new byte[10];
    private byte[]? _gathered;
    private int _gatheredLength;
    private bool _gathering;
    private ulong _lastToken;
    private ulong _awaitedToken;
    private TaskCompletionSource? _awaited;

    public ReadReceiptStream(Stream inner, TimeProvider time)
    {
        _inner = inner;
        _time = time;
        _onPong = OnPong;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanWrite => _inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Sends a PING after everything written so far and waits for its PONG: true once the client has read it
    /// all, false when no PONG came within <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> WaitUntilReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ulong token;
        var read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            token = ++_lastToken;
            _awaitedToken = token;
            _awaited = read;
        }

        try
        {
            await WriteAsync(PongScanner.PingFrame(token), cancellationToken);
            await read.Task.WaitAsync(timeout, _time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            lock (_sync)
            {
                if (_awaited == read)
                {
                    _awaited = null;
                }
            }
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        _scanner.Scan(buffer.Span[..read], _onPong);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = _inner.Read(buffer, offset, count);
        _scanner.Scan(buffer.AsSpan(offset, read), _onPong);
        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (!_gathering)
            {
                await _inner.WriteAsync(buffer, cancellationToken);
                return;
            }

            // Large writes (fragments of a long message) go through as they are, after what was gathered.
            if (_gatheredLength + buffer.Length > MaxGatheredBytes || buffer.Length > MaxGatheredWrite)
            {
                await WriteGatheredAsync(cancellationToken);
                if (buffer.Length > MaxGatheredWrite)
                {
                    await _inner.WriteAsync(buffer, cancellationToken);
                    return;
                }
            }

            Gather(buffer.Span);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Writes one WebSocket data frame (RFC 6455 §5.2; a server's frames are not masked): <paramref name="opcode"/>
    /// 1 (text), 2 (binary) or 0 (continuation), the FIN bit when <paramref name="final"/>. Header and payload are
    /// copied into the gathering buffer and leave in one write (at once when not gathering), so nothing the
    /// WebSocket itself writes through this stream (pongs, close) lands inside the frame.
    /// </summary>
    public async ValueTask WriteFrameAsync(byte opcode, bool final, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var headerLength = WriteFrameHeader(_frameHeader, opcode, final, payload.Length);
            if (_gatheredLength > 0 && _gatheredLength + headerLength + payload.Length > MaxGatheredBytes)
            {
                await WriteGatheredAsync(cancellationToken);
            }

            Gather(_frameHeader.AsSpan(0, headerLength));
            Gather(payload.Span);
            if (!_gathering)
            {
                try
                {
                    await WriteGatheredAsync(cancellationToken);
                }
                finally
                {
                    ReturnGathered();
                }
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>A data frame's header for <paramref name="length"/> payload bytes; returns its length.</summary>
    private static int WriteFrameHeader(Span<byte> header, byte opcode, bool final, long length)
    {
        header[0] = (byte)((final ? 0x80 : 0) | opcode);
        if (length < 126)
        {
            header[1] = (byte)length;
            return 2;
        }

        if (length <= ushort.MaxValue)
        {
            header[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)length);
            return 4;
        }

        header[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(header[2..], (ulong)length);
        return 10;
    }

    /// <summary>
    /// Until <see cref="EndGatheringAsync"/>, writes are copied into one pooled buffer (written out when it
    /// reaches <see cref="MaxGatheredBytes"/>) instead of each going to the connection: the frames a writer
    /// finds queued then leave in one write, one flush and one send, rather than one of each per frame.
    /// </summary>
    public void BeginGathering() => Volatile.Write(ref _gathering, true);

    /// <summary>Writes what was gathered and returns the buffer; later writes go straight through again.</summary>
    public async ValueTask EndGatheringAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _gathering = false;
            await WriteGatheredAsync(cancellationToken);
        }
        finally
        {
            ReturnGathered();
            _writeLock.Release();
        }
    }

    /// <summary>Stops gathering without writing what was gathered (the writer failed; nothing more goes out in order).</summary>
    public void AbandonGathering() => Volatile.Write(ref _gathering, false);

    private void ReturnGathered()
    {
        if (_gathered is { } buffer)
        {
            _gathered = null;
            _gatheredLength = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Gather(ReadOnlySpan<byte> data)
    {
        if (_gathered is null || _gatheredLength + data.Length > _gathered.Length)
        {
            // Nothing gathered passes MaxGatheredBytes (writes are flushed first), so the buffer stops at that size:
            // thousands of connections each writing a large message's fragments hold one 16 KiB buffer apiece.
            var needed = _gatheredLength + data.Length;
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Min(MaxGatheredBytes, Math.Max(2048, 2 * needed))));
            if (_gathered is { } previous)
            {
                previous.AsSpan(0, _gatheredLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(previous);
            }

            _gathered = larger;
        }

        data.CopyTo(_gathered.AsSpan(_gatheredLength));
        _gatheredLength += data.Length;
    }

    private async ValueTask WriteGatheredAsync(CancellationToken cancellationToken)
    {
        if (_gatheredLength > 0)
        {
            var length = _gatheredLength;
            _gatheredLength = 0;
            await _inner.WriteAsync(_gathered.AsMemory(0, length), cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _writeLock.Wait();
        try
        {
            _inner.Write(buffer, offset, count);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _inner.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => _inner.DisposeAsync();

    private void OnPong(ulong token)
    {
        TaskCompletionSource? awaited;
        lock (_sync)
        {
            awaited = _awaitedToken == token ? _awaited : null;
        }

        awaited?.TrySetResult();
    }
}
