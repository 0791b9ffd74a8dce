using System.Text;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Tests.SocketIO.Protocol;

/// <summary>
/// The public parser seam as an implementer sees it, through the default JSON parser: packets to messages,
/// messages (a binary packet's several) back to packets, and refusals with a reason.
/// </summary>
public sealed class SocketIOParserTests
{
    private static readonly SocketIOParser Json = SocketIOParser.Default;

    private static SocketIOPacket Packet(SocketPacketType type, string nsp, long? id, string? data, params byte[][] attachments) =>
        new(type, nsp, id, data is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(data), attachments.Select(a => (ReadOnlyMemory<byte>)a).ToList());

    [Fact]
    public void The_json_parser_encodes_a_packet_with_attachments_as_its_text_then_one_binary_message_each()
    {
        var messages = new List<EngineMessage>();

        Json.Encode(Packet(SocketPacketType.Event, "/admin", 12, "[\"up\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", [1], [2, 3]), messages);

        Assert.Equal("json", Json.Name);
        Assert.Equal(3, messages.Count);
        Assert.Equal("52-/admin,12[\"up\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", Encoding.UTF8.GetString(messages[0].Data.Span));
        Assert.False(messages[0].IsBinary);
        Assert.Equal([(byte)1], messages[1].Data.ToArray());
        Assert.Equal([(byte)2, 3], messages[2].Data.ToArray());
    }

    [Fact]
    public void The_json_decoder_completes_a_binary_packet_with_its_last_attachment()
    {
        var decoder = Json.CreateDecoder(new SocketIODecoderLimits(MaxAttachments: 4, MaxPacketBytes: 1_000_000));

        Assert.Equal(SocketIODecodeResult.Incomplete, decoder.Add(EngineMessage.Text("62-/admin,9[{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":0}]"u8.ToArray()), out _, out _));
        Assert.Equal(SocketIODecodeResult.Incomplete, decoder.Add(EngineMessage.Binary(new byte[] { 7 }), out _, out _));
        Assert.Equal(SocketIODecodeResult.Complete, decoder.Add(EngineMessage.Binary(new byte[] { 8 }), out var packet, out _));

        Assert.Equal((SocketPacketType.Ack, "/admin", 9L), (packet!.Type, packet.Namespace, packet.Id!.Value));
        Assert.Equal("[{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":0}]", Encoding.UTF8.GetString(packet.Data.Span));
        Assert.Equal([[(byte)7], [(byte)8]], packet.Attachments.Select(a => a.ToArray()));
        Assert.Equal(SocketIODecodeResult.Complete, decoder.Add(EngineMessage.Text("2[\"next\"]"u8.ToArray()), out var next, out _));
        Assert.Equal(SocketPacketType.Event, next!.Type);
    }

    [Theory]
    [InlineData(false, "binary data outside a binary packet")]
    [InlineData(true, "text packet while binary attachments were expected")]
    public void The_json_decoder_refuses_messages_out_of_place(bool announceFirst, string reason)
    {
        var decoder = Json.CreateDecoder(new SocketIODecoderLimits(MaxAttachments: 4, MaxPacketBytes: 1_000_000));
        if (announceFirst)
        {
            decoder.Add(EngineMessage.Text("51-[\"x\",{\"_placeholder\":true,\"num\":0}]"u8.ToArray()), out _, out _);
        }

        var result = decoder.Add(announceFirst ? EngineMessage.Text("2[\"y\"]"u8.ToArray()) : EngineMessage.Binary(new byte[] { 1 }), out _, out var error);

        Assert.Equal(SocketIODecodeResult.Invalid, result);
        Assert.Equal(reason, error);
    }

    [Fact]
    public void The_json_decoder_refuses_more_attachments_than_the_limit()
    {
        var decoder = Json.CreateDecoder(new SocketIODecoderLimits(MaxAttachments: 1, MaxPacketBytes: 1_000_000));

        Assert.Equal(SocketIODecodeResult.Invalid, decoder.Add(EngineMessage.Text("52-[\"x\"]"u8.ToArray()), out _, out var error));
        Assert.Equal("illegal attachments", error);
    }
}
