using System.Text;
using System.Text.Json;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.MessagePack.Tests.Infrastructure;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.MessagePack.Tests;

/// <summary>
/// The wire format, byte for byte against socket.io-msgpack-parser 3.0.2 run under Node in the same test: the
/// packets the server sends are what its Encoder writes for the packet objects the Node server builds (key
/// order included), and what the official client's Encoder writes reads back as the same packet.
/// </summary>
public sealed class MessagePackParserTests
{
    private static readonly MessagePackParser Parser = MessagePackParser.Instance;

    private static SocketIOPacket Packet(SocketPacketType type, string nsp, long? id, string? json, params byte[][] attachments) =>
        new(type, nsp, id, json is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(json), attachments.Select(a => (ReadOnlyMemory<byte>)a).ToList());

    private static string EncodeHex(SocketIOPacket packet)
    {
        var messages = new List<EngineMessage>();
        Parser.Encode(packet, messages);
        var message = Assert.Single(messages);
        Assert.True(message.IsBinary);
        return Convert.ToHexStringLower(message.Data.Span);
    }

    private static async Task<List<JsonElement>> WitnessAsync(params object[] cases) =>
        (await Witness.RunAsync("msgpack-parser.js", new { cases })).Where(l => NodeProcess.Is(l, "result")).ToList();

    private static JsonElement Js(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task The_packets_the_server_sends_are_the_bytes_the_node_encoder_writes_for_the_node_servers_packet_objects()
    {
        const string Data = """["chat",{"text":"héllo 😀","n":[1,-2,3.25,4294967296,-9007199254740991,1e21],"ok":true,"none":null},{"_placeholder":true,"num":0}]""";
        (SocketIOPacket Ours, string Node)[] cases =
        [
            // socket.emit / io.emit: {type, data} then nsp.
            (Packet(SocketPacketType.Event, "/", null, Data, [1, 2, 3]),
                """{"type":2,"data":["chat",{"text":"héllo 😀","n":[1,-2,3.25,4294967296,-9007199254740991,1e21],"ok":true,"none":null},{"$bin":"AQID"}],"nsp":"/"}"""),
            // socket.emitWithAck: {type, data}, then id, then nsp.
            (Packet(SocketPacketType.Event, "/admin", 7, """["ask","q"]"""), """{"type":2,"data":["ask","q"],"id":7,"nsp":"/admin"}"""),
            // The answer to a client's ack: {id, type, data}, then nsp.
            (Packet(SocketPacketType.Ack, "/", 300, """["ok",{"_placeholder":true,"num":0}]""", [255]), """{"id":300,"type":3,"data":["ok",{"$bin":"/w=="}],"nsp":"/"}"""),
            (Packet(SocketPacketType.Connect, "/", null, """{"sid":"wZX3oN0bSVIhsaknAAAI"}"""), """{"type":0,"data":{"sid":"wZX3oN0bSVIhsaknAAAI"},"nsp":"/"}"""),
            (Packet(SocketPacketType.Disconnect, "/admin", null, null), """{"type":1,"nsp":"/admin"}"""),
            (Packet(SocketPacketType.ConnectError, "/private", null, """{"message":"not allowed","data":{"code":42}}"""), """{"type":4,"data":{"message":"not allowed","data":{"code":42}},"nsp":"/private"}"""),
        ];

        var node = await WitnessAsync(cases.Select(c => new { op = "encode", packet = Js(c.Node) }).ToArray());

        for (var i = 0; i < cases.Length; i++)
        {
            Assert.Equal(node[i].GetProperty("hex").GetString(), EncodeHex(cases[i].Ours));
        }
    }

    [Fact]
    public async Task What_the_node_client_encodes_decodes_to_the_same_packet_with_binaries_as_attachments()
    {
        var node = await WitnessAsync(
            new { op = "encode", packet = Js("""{"type":2,"data":["echo",1,{"b":{"$bin":"AQID"}},"é€😀"],"options":{"compress":true},"id":3,"nsp":"/"}""") },
            new { op = "encode", packet = Js("""{"type":2,"data":["t",{"$arraybuffer":"CQgH"},{"$date":1704164645678},{"gone":{"$undefined":true},"kept":1},[{"$undefined":true}]],"nsp":"/custom"}""") },
            new { op = "encode", packet = Js("""{"type":0,"data":{"token":"x"},"nsp":"/"}""") },
            new { op = "encode", packet = Js("""{"type":0,"nsp":"/"}""") },
            new { op = "encode", packet = Js("""{"type":3,"data":[1.5,-1,null],"id":9,"nsp":"/"}""") });

        var decoded = node.Select(n => Decode(Convert.FromHexString(n.GetProperty("hex").GetString()!))).ToList();

        AssertPacket(decoded[0], SocketPacketType.Event, "/", 3, """["echo",1,{"b":{"_placeholder":true,"num":0}},"é€😀"]""", [1, 2, 3]);
        AssertPacket(decoded[1], SocketPacketType.Event, "/custom", null, """["t",{"_placeholder":true,"num":0},"2024-01-02T03:04:05.678Z",{"kept":1},[null]]""", [9, 8, 7]);
        AssertPacket(decoded[2], SocketPacketType.Connect, "/", null, """{"token":"x"}""");
        AssertPacket(decoded[3], SocketPacketType.Connect, "/", null, null);
        AssertPacket(decoded[4], SocketPacketType.Ack, "/", 9, """[1.5,-1,null]""");
    }

    [Theory]
    [InlineData("93a1780102", "a packet must be a map")]
    [InlineData("83a474797065 05 a46461746191a161 a36e7370a12f", "invalid packet type")]
    [InlineData("82a474797065 02 a46461746191a161", "invalid namespace")]
    [InlineData("84a474797065 02 a46461746191a161 a26964 cb3ff8000000000000 a36e7370a12f", "invalid packet id")]
    [InlineData("82a474797065 01 a36e7370a12f 00", "trailing bytes after the packet")]
    [InlineData("c1", "a packet must be a map")]
    [InlineData("83a474797065 02 a464617461 dc ffff a36e7370a12f", "invalid msgpack")]
    public async Task Malformed_packets_are_refused_with_a_reason_as_the_node_decoder_refuses_them(string hex, string reason)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        var node = await WitnessAsync(new { op = "decode", hex = Convert.ToHexStringLower(bytes) });
        Assert.False(node[0].GetProperty("error").ValueKind == JsonValueKind.Null, "socket.io-msgpack-parser accepts it");

        var result = Parser.CreateDecoder(new SocketIODecoderLimits(64, 1_000_000)).Add(EngineMessage.Binary(bytes), out _, out var error);

        Assert.Equal(SocketIODecodeResult.Invalid, result);
        Assert.StartsWith(reason, error);
    }

    [Fact]
    public void A_text_message_is_refused_since_every_msgpack_packet_is_binary()
    {
        var result = Parser.CreateDecoder(new SocketIODecoderLimits(64, 1_000_000)).Add(EngineMessage.Text("2[\"x\"]"u8.ToArray()), out _, out var error);

        Assert.Equal(SocketIODecodeResult.Invalid, result);
        Assert.Contains("binary", error);
    }

    private static SocketIOPacket Decode(byte[] bytes)
    {
        var result = Parser.CreateDecoder(new SocketIODecoderLimits(64, 1_000_000)).Add(EngineMessage.Binary(bytes), out var packet, out var error);
        Assert.True(result == SocketIODecodeResult.Complete, error);
        return packet!;
    }

    private static void AssertPacket(SocketIOPacket packet, SocketPacketType type, string nsp, long? id, string? json, params byte[][] attachments)
    {
        Assert.Equal((type, nsp, id), (packet.Type, packet.Namespace, packet.Id));
        if (json is null)
        {
            Assert.True(packet.Data.IsEmpty);
        }
        else
        {
            using var document = JsonDocument.Parse(packet.Data);
            Assert.True(JsonElement.DeepEquals(Js(json), document.RootElement), $"expected {json}, got {Encoding.UTF8.GetString(packet.Data.Span)}");
        }

        Assert.Equal(attachments.Length, packet.Attachments.Count);
        for (var i = 0; i < attachments.Length; i++)
        {
            Assert.Equal(attachments[i], packet.Attachments[i].ToArray());
        }
    }
}
