using System.Net.WebSockets;
using OpenChat.SocketIO.EngineIO;
using OpenChat.Testing;

namespace OpenChat.SocketIO.Tests.EngineIO.Transports;

/// <summary>
/// The stream under a WebSocket gathers the frames a writer finds queued into one write to the connection:
/// what was written while gathering arrives in one piece, in order, when gathering ends; large writes go
/// through as they are, after what was gathered; a writer that failed leaves nothing gathered behind.
/// </summary>
public sealed class ReadReceiptGatheringTests
{
    private readonly RecordingStream _connection = new();
    private readonly ReadReceiptStream _stream;

    public ReadReceiptGatheringTests() => _stream = new ReadReceiptStream(_connection, TimeProvider.System);

    [Fact]
    public async Task Writes_made_while_gathering_reach_the_connection_as_one_write_when_gathering_ends()
    {
        _stream.BeginGathering();
        await _stream.WriteAsync(new byte[] { 1, 2 }).AsTask().WithTimeout();
        await _stream.WriteAsync(new byte[] { 3 }).AsTask().WithTimeout();
        Assert.Empty(_connection.Writes);

        await _stream.EndGatheringAsync(CancellationToken.None).AsTask().WithTimeout();

        Assert.Equal([1, 2, 3], Assert.Single(_connection.Writes));
    }

    [Fact]
    public async Task A_write_too_large_to_gather_goes_through_as_it_is_after_what_was_gathered()
    {
        var large = new byte[ReadReceiptStream.MaxGatheredWrite + 1];
        large[0] = 9;
        _stream.BeginGathering();
        await _stream.WriteAsync(new byte[] { 1 }).AsTask().WithTimeout();
        await _stream.WriteAsync(large).AsTask().WithTimeout();
        await _stream.WriteAsync(new byte[] { 2 }).AsTask().WithTimeout();
        await _stream.EndGatheringAsync(CancellationToken.None).AsTask().WithTimeout();

        Assert.Collection(
            _connection.Writes,
            w => Assert.Equal([1], w),
            w => Assert.Equal(large, w),
            w => Assert.Equal([2], w));
    }

    [Fact]
    public async Task Gathered_bytes_are_written_out_whenever_they_would_pass_the_bound()
    {
        var piece = new byte[ReadReceiptStream.MaxGatheredWrite];
        _stream.BeginGathering();
        var pieces = (ReadReceiptStream.MaxGatheredBytes / piece.Length) + 1;
        for (var i = 0; i < pieces; i++)
        {
            await _stream.WriteAsync(piece).AsTask().WithTimeout();
        }

        await _stream.EndGatheringAsync(CancellationToken.None).AsTask().WithTimeout();

        Assert.All(_connection.Writes, w => Assert.True(w.Length <= ReadReceiptStream.MaxGatheredBytes));
        Assert.Equal(pieces * piece.Length, _connection.Writes.Sum(w => w.Length));
        Assert.Equal(2, _connection.Writes.Count);
    }

    [Fact]
    public async Task After_gathering_is_abandoned_writes_go_straight_to_the_connection_again()
    {
        _stream.BeginGathering();
        await _stream.WriteAsync(new byte[] { 1 }).AsTask().WithTimeout();
        _stream.AbandonGathering();

        await _stream.WriteAsync(new byte[] { 8 }).AsTask().WithTimeout();

        Assert.Equal([8], Assert.Single(_connection.Writes));
    }

    [Fact]
    public async Task Without_gathering_each_write_goes_to_the_connection_as_it_comes()
    {
        await _stream.WriteAsync(new byte[] { 1 }).AsTask().WithTimeout();
        await _stream.WriteAsync(new byte[] { 2 }).AsTask().WithTimeout();

        Assert.Equal(2, _connection.Writes.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    public async Task A_data_frame_goes_out_in_one_write_that_a_WebSocket_client_reads_as_the_message(int length)
    {
        var payload = Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26))).ToArray();

        await _stream.WriteFrameAsync(0x1, final: true, payload, CancellationToken.None).AsTask().WithTimeout();

        var (type, received, frames) = await ReadAsClientAsync(Assert.Single(_connection.Writes));
        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal(payload, received);
        Assert.Equal(1, frames);
    }

    [Fact]
    public async Task Fragments_written_while_gathering_leave_with_what_was_gathered_and_read_back_as_one_message()
    {
        _stream.BeginGathering();
        await _stream.WriteFrameAsync(0x2, final: false, new byte[] { 4 }, CancellationToken.None).AsTask().WithTimeout();
        await _stream.WriteFrameAsync(0x0, final: true, new byte[] { 5, 6 }, CancellationToken.None).AsTask().WithTimeout();
        Assert.Empty(_connection.Writes);

        await _stream.EndGatheringAsync(CancellationToken.None).AsTask().WithTimeout();

        var (type, received, frames) = await ReadAsClientAsync(Assert.Single(_connection.Writes));
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal([4, 5, 6], received);
        Assert.Equal(2, frames);
    }

    /// <summary>Reads one message from the bytes with .NET's own client-side WebSocket: type, payload, frames it came in.</summary>
    private static async Task<(WebSocketMessageType Type, byte[] Payload, int Frames)> ReadAsClientAsync(byte[] bytes)
    {
        using var client = WebSocket.CreateFromStream(new MemoryStream(bytes), new WebSocketCreationOptions { IsServer = false });
        var payload = new List<byte>();
        var buffer = new byte[70_000];
        var frames = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).AsTask().WithTimeout();
            payload.AddRange(buffer.AsSpan(0, result.Count).ToArray());
            frames++;
        }
        while (!result.EndOfMessage);

        return (result.MessageType, payload.ToArray(), frames);
    }

    private sealed class RecordingStream : Stream
    {
        public List<byte[]> Writes { get; } = [];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            return ValueTask.CompletedTask;
        }

        public override void Write(byte[] buffer, int offset, int count) => Writes.Add(buffer.AsSpan(offset, count).ToArray());

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
