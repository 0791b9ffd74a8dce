using System.Buffers;
using System.Text;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Tests.EngineIO.Protocol;

/// <summary>The Engine.IO v4 framing: single packets, polling payloads and their rejection rules.</summary>
public sealed class EngineV4CodecTests
{
    private const char Rs = '\x1e';

    private static ReadOnlyMemory<byte> Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    private static byte[] EncodePayload(params EngineFrame[] frames)
    {
        var output = new ArrayBufferWriter<byte>();
        EngineV4Codec.EncodePayload(frames, output);
        return output.WrittenSpan.ToArray();
    }

    private static List<EnginePacket> DecodePayload(string body)
    {
        var packets = new List<EnginePacket>();
        Assert.True(EngineV4Codec.TryDecodePayload(Utf8(body), packets));
        return packets;
    }

    // --- Single packets (one per WebSocket frame) ---------------------------------------------------------

    [Theory]
    [InlineData("0", EnginePacketType.Open, "")]
    [InlineData("1", EnginePacketType.Close, "")]
    [InlineData("2", EnginePacketType.Ping, "")]
    [InlineData("3", EnginePacketType.Pong, "")]
    [InlineData("2probe", EnginePacketType.Ping, "probe")]
    [InlineData("3probe", EnginePacketType.Pong, "probe")]
    [InlineData("4hello", EnginePacketType.Message, "hello")]
    [InlineData("4", EnginePacketType.Message, "")]
    [InlineData("5", EnginePacketType.Upgrade, "")]
    [InlineData("6", EnginePacketType.Noop, "")]
    public void Every_packet_type_of_the_protocol_decodes_with_its_data(string wire, EnginePacketType type, string data)
    {
        Assert.True(EngineV4Codec.TryDecodeText(Utf8(wire), out var packet));
        Assert.Equal(type, packet.Type);
        Assert.False(packet.IsBinary);
        Assert.Equal(data, Text(packet.Data));
    }

    [Fact]
    public void The_open_packet_of_the_protocol_document_decodes_with_its_json_body()
    {
        const string json = "{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";
        Assert.True(EngineV4Codec.TryDecodeText(Utf8("0" + json), out var packet));
        Assert.Equal(EnginePacketType.Open, packet.Type);
        Assert.Equal(json, Text(packet.Data));
    }

    [Fact]
    public void A_message_with_multibyte_utf8_keeps_its_exact_bytes()
    {
        Assert.True(EngineV4Codec.TryDecodeText(Utf8("4€"), out var packet));
        Assert.Equal(EnginePacketType.Message, packet.Type);
        Assert.Equal(new byte[] { 0xE2, 0x82, 0xAC }, packet.Data.ToArray());
    }

    [Fact]
    public void A_probe_ping_is_recognised_as_a_probe_and_a_plain_ping_is_not()
    {
        Assert.True(EngineV4Codec.TryDecodeText(Utf8("2probe"), out var probe));
        Assert.True(probe.IsProbe);
        Assert.True(EngineV4Codec.TryDecodeText(Utf8("2"), out var ping));
        Assert.False(ping.IsProbe);
    }

    [Fact]
    public void A_binary_websocket_frame_is_a_message_carrying_the_raw_bytes()
    {
        var packet = EngineV4Codec.DecodeBinary(new byte[] { 1, 2, 3, 4 });
        Assert.Equal(EnginePacketType.Message, packet.Type);
        Assert.True(packet.IsBinary);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, packet.Data.ToArray());
    }

    [Fact]
    public void A_binary_frame_whose_bytes_spell_probe_is_not_a_probe()
    {
        var packet = EngineV4Codec.DecodeBinary("probe"u8.ToArray());
        Assert.False(packet.IsProbe);
    }

    // --- Polling payloads -----------------------------------------------------------------------------------

    [Fact]
    public void A_payload_of_two_text_messages_from_the_protocol_document_decodes_to_both()
    {
        var packets = DecodePayload($"4hello{Rs}4€");
        Assert.Equal(2, packets.Count);
        Assert.Equal(EnginePacketType.Message, packets[0].Type);
        Assert.Equal("hello", Text(packets[0].Data));
        Assert.Equal(EnginePacketType.Message, packets[1].Type);
        Assert.Equal("€", Text(packets[1].Data));
        Assert.All(packets, p => Assert.False(p.IsBinary));
    }

    [Fact]
    public void A_payload_with_a_base64_binary_record_decodes_the_bytes()
    {
        var packets = DecodePayload($"4€{Rs}bAQIDBA==");
        Assert.Equal(2, packets.Count);
        Assert.Equal("€", Text(packets[0].Data));
        Assert.Equal(EnginePacketType.Message, packets[1].Type);
        Assert.True(packets[1].IsBinary);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, packets[1].Data.ToArray());
    }

    [Fact]
    public void A_payload_of_a_single_binary_record_decodes_the_bytes()
    {
        var packets = DecodePayload("bAQID");
        var packet = Assert.Single(packets);
        Assert.True(packet.IsBinary);
        Assert.Equal(new byte[] { 1, 2, 3 }, packet.Data.ToArray());
    }

    [Fact]
    public void A_payload_of_control_packets_decodes_each_in_order()
    {
        var packets = DecodePayload($"2probe{Rs}4test{Rs}1{Rs}6");
        Assert.Equal(
            [EnginePacketType.Ping, EnginePacketType.Message, EnginePacketType.Close, EnginePacketType.Noop],
            packets.Select(p => p.Type).ToArray());
        Assert.Equal(["probe", "test", "", ""], packets.Select(p => Text(p.Data)).ToArray());
    }

    [Fact]
    public void Two_text_frames_encode_as_a_payload_joined_by_the_record_separator()
    {
        var bytes = EncodePayload(
            EngineFrame.Text(EnginePacketType.Message, "hello"),
            EngineFrame.Text(EnginePacketType.Message, "€"));
        Assert.Equal(Encoding.UTF8.GetBytes($"4hello{Rs}4€"), bytes);
    }

    [Fact]
    public void A_binary_frame_in_a_payload_is_encoded_as_b_and_base64()
    {
        var bytes = EncodePayload(
            EngineFrame.Text(EnginePacketType.Message, "€"),
            EngineFrame.Binary(new byte[] { 1, 2, 3, 4 }));
        Assert.Equal(Encoding.UTF8.GetBytes($"4€{Rs}bAQIDBA=="), bytes);
    }

    [Fact]
    public void A_single_frame_payload_has_no_separator()
    {
        Assert.Equal("4hello"u8.ToArray(), EncodePayload(EngineFrame.Text(EnginePacketType.Message, "hello")));
        Assert.Equal("bAQID"u8.ToArray(), EncodePayload(EngineFrame.Binary(new byte[] { 1, 2, 3 })));
    }

    [Fact]
    public void The_shared_control_frames_encode_as_their_type_characters()
    {
        Assert.Equal(
            Encoding.UTF8.GetBytes($"2{Rs}1{Rs}6{Rs}3probe"),
            EncodePayload(EngineFrame.Ping, EngineFrame.Close, EngineFrame.Noop, EngineFrame.PongProbe));
        Assert.All(new[] { EngineFrame.Ping, EngineFrame.Close, EngineFrame.Noop, EngineFrame.PongProbe }, f => Assert.False(f.IsBinary));
    }

    [Fact]
    public void An_empty_list_of_frames_encodes_to_nothing()
    {
        Assert.Empty(EncodePayload());
    }

    [Fact]
    public void Frames_encoded_as_a_payload_decode_back_to_the_same_packets()
    {
        var frames = new[]
        {
            EngineFrame.Text(EnginePacketType.Message, "hello"),
            EngineFrame.Binary(Array.Empty<byte>()),
            EngineFrame.Binary(new byte[] { 0xFF }),
            EngineFrame.Binary(new byte[] { 0, 1 }),
            EngineFrame.Binary(new byte[] { 1, 2, 3 }),
            EngineFrame.Binary(new byte[] { 0x1e, 0x1e, 0x1e, 0x1e }),
            EngineFrame.Text(EnginePacketType.Message, ""),
            EngineFrame.Text(EnginePacketType.Message, "42[\"é\",\"日本\",\"😀\"]"),
            EngineFrame.Ping,
            EngineFrame.Noop,
            EngineFrame.Close,
        };

        var packets = new List<EnginePacket>();
        Assert.True(EngineV4Codec.TryDecodePayload(EncodePayload(frames), packets));

        Assert.Equal(frames.Length, packets.Count);
        for (var i = 0; i < frames.Length; i++)
        {
            Assert.Equal(frames[i].IsBinary, packets[i].IsBinary);
            if (frames[i].IsBinary)
            {
                Assert.Equal(EnginePacketType.Message, packets[i].Type);
                Assert.Equal(frames[i].Bytes.ToArray(), packets[i].Data.ToArray());
            }
            else
            {
                Assert.Equal(frames[i].Bytes.Span[0] - '0', (int)packets[i].Type);
                Assert.Equal(frames[i].Bytes[1..].ToArray(), packets[i].Data.ToArray());
            }
        }
    }

    [Fact]
    public void A_large_binary_frame_round_trips_through_a_payload()
    {
        var data = new byte[70_000];
        new Random(1234).NextBytes(data);
        var packets = new List<EnginePacket>();
        Assert.True(EngineV4Codec.TryDecodePayload(EncodePayload(EngineFrame.Ping, EngineFrame.Binary(data)), packets));
        Assert.Equal(2, packets.Count);
        Assert.Equal(data, packets[1].Data.ToArray());
    }

    // --- Malformed input ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("8hello")]
    [InlineData("9")]
    [InlineData("a")]
    [InlineData("b")]
    [InlineData("bAQID")]
    [InlineData("/")]
    [InlineData(" 4hello")]
    [InlineData("-1")]
    public void A_text_packet_with_a_missing_or_unknown_type_is_rejected(string wire)
    {
        Assert.False(EngineV4Codec.TryDecodeText(Utf8(wire), out _));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'4', 0xFF })]
    [InlineData(new byte[] { (byte)'4', 0xC3, 0x28 })]
    [InlineData(new byte[] { (byte)'4', 0xC0, 0xAF })]
    [InlineData(new byte[] { (byte)'4', 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { (byte)'4', (byte)'a', 0xE2, 0x82 })]
    [InlineData(new byte[] { 0xFF })]
    public void A_text_packet_with_invalid_utf8_is_rejected(byte[] wire)
    {
        Assert.False(EngineV4Codec.TryDecodeText(wire, out _));
    }

    [Fact]
    public void An_empty_payload_is_rejected()
    {
        Assert.False(EngineV4Codec.TryDecodePayload(ReadOnlyMemory<byte>.Empty, new List<EnginePacket>()));
    }

    [Fact]
    public void A_payload_with_an_empty_record_is_rejected()
    {
        Assert.False(EngineV4Codec.TryDecodePayload(Utf8($"4a{Rs}{Rs}4b"), new List<EnginePacket>()));
    }

    [Theory]
    [InlineData("4a\u001e")]
    [InlineData("\u001e4a")]
    [InlineData("\u001e")]
    [InlineData("4a\u001e7b")]
    [InlineData("4a\u001eab")]
    [InlineData("7\u001e4a")]
    public void A_payload_with_an_empty_or_unknown_record_anywhere_is_rejected(string body)
    {
        Assert.False(EngineV4Codec.TryDecodePayload(Utf8(body), new List<EnginePacket>()));
    }

    [Theory]
    [InlineData("b!!!!")]
    [InlineData("bAQIDBA=")]
    [InlineData("bAQIDB")]
    [InlineData("bA")]
    [InlineData("bAQ==ID")]
    [InlineData("bAQID\u00e9")]
    [InlineData("4hello\u001ebAQI*BA==")]
    public void A_payload_with_invalid_base64_after_b_is_rejected(string body)
    {
        Assert.False(EngineV4Codec.TryDecodePayload(Utf8(body), new List<EnginePacket>()));
    }

    [Fact]
    public void A_payload_with_invalid_utf8_in_a_later_record_is_rejected()
    {
        var body = new byte[] { (byte)'4', (byte)'a', 0x1e, (byte)'4', 0xFF, 0xFE };
        Assert.False(EngineV4Codec.TryDecodePayload(body, new List<EnginePacket>()));
    }

    [Fact]
    public void Arbitrary_bytes_never_make_the_decoder_throw()
    {
        var random = new Random(20240611);
        var alphabet = "0123456789b\u001e/=+AQID€{}\"[],"u8.ToArray();
        for (var i = 0; i < 5_000; i++)
        {
            var data = new byte[random.Next(0, 24)];
            for (var j = 0; j < data.Length; j++)
            {
                data[j] = random.Next(4) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            var exception = Record.Exception(() =>
            {
                EngineV4Codec.TryDecodeText(data, out _);
                EngineV4Codec.TryDecodePayload(data, new List<EnginePacket>());
            });
            Assert.Null(exception);
        }
    }
}
