using System.Buffers.Binary;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO.Transports;

/// <summary>The scanner that spots the client's answer to a read-receipt ping among the frames it sends.</summary>
public sealed class PongScannerTests
{
    private static readonly byte[] Mask = [0x37, 0xfa, 0x21, 0x3d];

    [Fact]
    public void A_masked_pong_with_our_token_is_reported_with_that_token()
    {
        var tokens = Scan(ClientFrame(0xA, Token(7)));

        Assert.Equal([7UL], tokens);
    }

    [Fact]
    public void A_pong_split_across_reads_at_every_byte_is_still_reported_once()
    {
        var bytes = Concat(ClientFrame(0x1, "hello"u8.ToArray()), ClientFrame(0xA, Token(42)));
        for (var split = 1; split < bytes.Length; split++)
        {
            var scanner = new PongScanner();
            var tokens = new List<ulong>();
            scanner.Scan(bytes.AsSpan(0, split), tokens.Add);
            scanner.Scan(bytes.AsSpan(split), tokens.Add);
            Assert.Equal([42UL], tokens);
        }
    }

    [Fact]
    public void Data_frames_with_16_and_64_bit_lengths_are_skipped_whole_even_when_they_look_like_pongs_inside()
    {
        var medium = Enumerable.Repeat((byte)0x8A, 300).ToArray();
        var large = Enumerable.Repeat((byte)0x8A, 70_000).ToArray();

        var tokens = Scan(Concat(ClientFrame(0x2, medium), ClientFrame(0x2, large), ClientFrame(0xA, Token(3))));

        Assert.Equal([3UL], tokens);
    }

    [Fact]
    public void Pings_closes_and_pongs_of_another_length_are_not_receipts()
    {
        var tokens = Scan(Concat(ClientFrame(0x9, Token(1)), ClientFrame(0xA, [1, 2, 3]), ClientFrame(0x8, [3, 232])));

        Assert.Empty(tokens);
    }

    [Fact]
    public void The_ping_frame_is_an_unmasked_final_ping_carrying_the_token()
    {
        var frame = PongScanner.PingFrame(0x0102030405060708);

        Assert.Equal(new byte[] { 0x89, 8, 1, 2, 3, 4, 5, 6, 7, 8 }, frame);
    }

    private static List<ulong> Scan(byte[] bytes)
    {
        var tokens = new List<ulong>();
        new PongScanner().Scan(bytes, tokens.Add);
        return tokens;
    }

    private static byte[] Token(ulong value)
    {
        var token = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(token, value);
        return token;
    }

    private static byte[] ClientFrame(byte opcode, byte[] payload) => WireWebSocket.ClientFrame(opcode, payload, Mask);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
