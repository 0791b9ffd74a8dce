using System.Buffers;
using System.Text;
using System.Text.Json;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Tests.Clients;

namespace OpenChat.SocketIO.Tests.EngineIO.Protocol;

/// <summary>
/// The Engine.IO v3 framing of Socket.IO 2.x clients, byte for byte against engine.io-parser 2.2.1 (the
/// parser those clients use) run under Node in the same test, and its rejection rules.
/// </summary>
public sealed class EngineV3CodecTests
{
    private static readonly EngineV3Codec Codec = EngineV3Codec.Instance;

    /// <summary>Text with a two-byte, a three-byte and a four-byte (surrogate pair) character: lengths differ in bytes and in UTF-16 units.</summary>
    private const string Mixed = "hé€😀";

    private static EngineFrame Message(string text) => EngineFrame.Text(EnginePacketType.Message, text);

    private static (byte[] Bytes, bool Binary) Encode(bool binaryAccepted, params EngineFrame[] frames)
    {
        var output = new ArrayBufferWriter<byte>();
        var binary = Codec.EncodePayload(frames, binaryAccepted, output);
        return (output.WrittenSpan.ToArray(), binary);
    }

    private static async Task<List<JsonElement>> WitnessAsync(params object[] cases)
    {
        var lines = await NodeScript.RunAsync("eio3-parser.js", new { cases });
        return lines.Where(l => NodeScript.Is(l, "result")).ToList();
    }

    private static object WitnessPacket(EngineFrame frame) => frame.IsBinary
        ? new { type = "message", bin = Convert.ToBase64String(frame.Bytes.Span) }
        : new { type = "message", text = Encoding.UTF8.GetString(frame.Bytes.Span)[1..] };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Payloads_are_encoded_byte_for_byte_as_engine_io_parser_2_encodes_them(bool binaryAccepted)
    {
        EngineFrame[][] payloads =
        [
            [Message("hello")],
            [Message(Mixed), Message(""), Message("2[\"x\"]")],
            [Message("51-[\"b\",{\"_placeholder\":true,\"num\":0}]"), EngineFrame.Binary(new byte[] { 0, 1, 2, 255 })],
            [EngineFrame.Binary(new byte[300])],
        ];

        var expected = await WitnessAsync(payloads.Select(p => new { op = "encodePayload", packets = p.Select(WitnessPacket), supportsBinary = binaryAccepted }).ToArray());

        for (var i = 0; i < payloads.Length; i++)
        {
            var (bytes, binary) = Encode(binaryAccepted, payloads[i]);
            Assert.Equal(expected[i].GetProperty("base64").GetString(), Convert.ToBase64String(bytes));
            Assert.Equal(expected[i].TryGetProperty("binary", out _), binary);
        }
    }

    [Fact]
    public void Control_packets_in_a_text_payload_carry_their_type_alone()
    {
        var (bytes, binary) = Encode(binaryAccepted: true, EngineFrame.Noop, EngineFrame.Close);

        Assert.False(binary);
        Assert.Equal("1:61:1", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task Payloads_that_engine_io_parser_2_encodes_are_decoded_packet_for_packet()
    {
        var packets = new object[] { new { type = "message", text = Mixed }, new { type = "ping" }, new { type = "message", bin = "AAEC/w==" }, new { type = "message", text = "" } };
        var encoded = await WitnessAsync(new { op = "encodePayload", packets, supportsBinary = false }, new { op = "encodePayload", packets, supportsBinary = true });

        foreach (var payload in encoded)
        {
            var decoded = new List<EnginePacket>();
            Assert.True(Codec.TryDecodePayload(Convert.FromBase64String(payload.GetProperty("base64").GetString()!), payload.TryGetProperty("binary", out _), decoded));
            Assert.Equal(4, decoded.Count);
            Assert.Equal((EnginePacketType.Message, Mixed), (decoded[0].Type, Encoding.UTF8.GetString(decoded[0].Data.Span)));
            Assert.Equal(EnginePacketType.Ping, decoded[1].Type);
            Assert.True(decoded[2].IsBinary);
            Assert.Equal(new byte[] { 0, 1, 2, 255 }, decoded[2].Data.ToArray());
            Assert.Equal((EnginePacketType.Message, ""), (decoded[3].Type, Encoding.UTF8.GetString(decoded[3].Data.Span)));
        }
    }

    [Theory]
    [InlineData("5:hello")]
    [InlineData("6:4hello6:4")]
    [InlineData("4hello")]
    [InlineData(":4hello")]
    [InlineData("x:4")]
    [InlineData("2:9x")]
    [InlineData("6:4hello1")]
    [InlineData("")]
    public async Task Malformed_text_payloads_are_refused_as_engine_io_parser_2_refuses_them(string body)
    {
        var witness = await WitnessAsync(new { op = "decodePayload", body = Convert.ToBase64String(Encoding.UTF8.GetBytes(body)), binary = false });

        Assert.True(witness[0].GetProperty("error").GetBoolean(), $"engine.io-parser accepts {body}");
        Assert.False(Codec.TryDecodePayload(Encoding.UTF8.GetBytes(body), isBinaryBody: false, []));
    }

    [Theory]
    [InlineData("3:b9A")]
    [InlineData("5:b4!!!")]
    public void Base64_records_that_engine_io_parser_2_turns_into_empty_data_are_refused(string body) =>
        // The Node parser decodes an unknown type or invalid base64 into an empty packet; dropping the data
        // silently would hide a broken client, so here the payload is refused.
        Assert.False(Codec.TryDecodePayload(Encoding.UTF8.GetBytes(body), isBinaryBody: false, []));

    [Theory]
    [InlineData(new byte[] { 2, 1, 255, (byte)'6' })]
    [InlineData(new byte[] { 0, 9, 255, (byte)'4' })]
    [InlineData(new byte[] { 0, 1, (byte)'6' })]
    [InlineData(new byte[] { 0, 10, 255, (byte)'6' })]
    [InlineData(new byte[] { 1, 2, 255, 2, 0 })]
    [InlineData(new byte[] { 0, 255, (byte)'6' })]
    public void Malformed_binary_payloads_are_refused(byte[] body) =>
        Assert.False(Codec.TryDecodePayload(body, isBinaryBody: true, []));

    [Fact]
    public void A_binary_websocket_message_starts_with_the_message_type_byte()
    {
        Assert.True(Codec.TryDecodeBinary(new byte[] { 4, 7, 8 }, out var packet));
        Assert.Equal((EnginePacketType.Message, true), (packet.Type, packet.IsBinary));
        Assert.Equal(new byte[] { 7, 8 }, packet.Data.ToArray());
        Assert.Equal(new byte[] { 4 }, Codec.BinaryMessagePrefix.ToArray());

        Assert.False(Codec.TryDecodeBinary(new byte[] { 2, 7 }, out _));
        Assert.False(Codec.TryDecodeBinary(ReadOnlyMemory<byte>.Empty, out _));
    }

    [Fact]
    public async Task A_binary_message_for_a_client_that_asked_for_base64_is_the_text_engine_io_parser_2_sends()
    {
        var witness = await WitnessAsync(new { op = "encodePacket", packet = new { type = "message", bin = "AAEC/w==" }, supportsBinary = false });

        var frame = Codec.AsBase64Text(EngineFrame.Binary(new byte[] { 0, 1, 2, 255 }));

        Assert.False(frame.IsBinary);
        Assert.Equal(witness[0].GetProperty("text").GetString(), Encoding.UTF8.GetString(frame.Bytes.Span));
        Assert.True(Codec.TryDecodeText(frame.Bytes, out var back));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, back.Data.ToArray());
    }
}
