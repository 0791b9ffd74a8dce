using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Tests.SocketIO.Protocol;

/// <summary>Encoding Socket.IO v5 packets into Engine.IO message frames.</summary>
public sealed class SocketPacketEncoderTests
{
    private static readonly JsonSerializerOptions Json =
        new SocketIOServer(Options.Create(new SocketIOOptions()), NullLoggerFactory.Instance, TimeProvider.System).JsonOptions;

    private static string TextOf(EncodedPacket packet)
    {
        Assert.False(packet.Frames[0].IsBinary);
        return Encoding.UTF8.GetString(packet.Frames[0].Bytes.Span);
    }

    private static string Single(EncodedPacket packet)
    {
        var frame = Assert.Single(packet.Frames);
        Assert.False(frame.IsBinary);
        return Encoding.UTF8.GetString(frame.Bytes.Span);
    }

    private static byte[][] AttachmentsOf(EncodedPacket packet)
    {
        Assert.All(packet.Frames.Skip(1), f => Assert.True(f.IsBinary));
        return packet.Frames.Skip(1).Select(f => f.Bytes.ToArray()).ToArray();
    }

    private static EventArguments Received(string wire, params byte[][] attachments)
    {
        Assert.True(SocketPacketDecoder.TryDecode(Encoding.UTF8.GetBytes(wire), 64, out var packet, out var error), error);
        foreach (var attachment in attachments)
        {
            packet.Attachments.Add(attachment);
        }

        Assert.True(packet.IsComplete);
        Assert.True(SocketPacketDecoder.HasValidPlaceholders(packet));
        var skip = packet.Type is SocketPacketType.Event or SocketPacketType.BinaryEvent ? 1 : 0;
        return EventArguments.FromArray(packet.Data!.Value, skip, packet.Attachments, Json);
    }

    // --- Examples of the protocol document, with the Engine.IO "4" prefix -----------------------------------

    [Fact]
    public void A_connect_reply_on_the_main_namespace_carries_the_sid()
    {
        Assert.Equal("40{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}", Single(PacketFactory.Connected("/", "wZX3oN0bSVIhsaknAAAI", protocol: 5)));
    }

    [Fact]
    public void A_connect_reply_on_a_custom_namespace_names_it()
    {
        Assert.Equal("40/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}", Single(PacketFactory.Connected("/admin", "oSO0OpakMV_3jnilAAAA", protocol: 5)));
    }

    [Fact]
    public void A_connect_error_carries_the_message()
    {
        Assert.Equal("44{\"message\":\"Not authorized\"}", Single(PacketFactory.ConnectError("/", "Not authorized", null, Json)));
    }

    [Fact]
    public void A_connect_error_with_details_serializes_them_as_data_in_camel_case()
    {
        var packet = PacketFactory.ConnectError("/admin", "Not authorized", new { Reason = "expired", RetryIn = 5 }, Json);
        Assert.Equal("44/admin,{\"message\":\"Not authorized\",\"data\":{\"reason\":\"expired\",\"retryIn\":5}}", Single(packet));
    }

    [Theory]
    [InlineData("/", "41")]
    [InlineData("/admin", "41/admin,")]
    public void A_disconnect_has_no_data(string nsp, string expected)
    {
        Assert.Equal(expected, Single(PacketFactory.Disconnect(nsp)));
    }

    [Fact]
    public void An_event_on_the_main_namespace_matches_the_protocol_document()
    {
        Assert.Equal("42[\"hello\",1]", Single(PacketFactory.Event("/", null, "hello", [1], Json)));
    }

    [Fact]
    public void An_event_with_namespace_and_ack_id_matches_the_protocol_document()
    {
        Assert.Equal("42/admin,456[\"project:delete\",123]", Single(PacketFactory.Event("/admin", 456, "project:delete", [123], Json)));
    }

    [Fact]
    public void An_event_with_an_ack_id_on_the_main_namespace_puts_the_id_before_the_array()
    {
        Assert.Equal("4212[\"foo\"]", Single(PacketFactory.Event("/", 12, "foo", [], Json)));
    }

    [Fact]
    public void An_empty_ack_matches_the_protocol_document()
    {
        Assert.Equal("43/admin,456[]", Single(PacketFactory.Ack("/admin", 456, [], Json)));
    }

    [Fact]
    public void An_ack_on_the_main_namespace_carries_its_arguments()
    {
        Assert.Equal("4313[\"bar\",null,true]", Single(PacketFactory.Ack("/", 13, ["bar", null, true], Json)));
    }

    [Fact]
    public void A_binary_event_matches_the_protocol_document_and_sends_the_bytes_as_a_binary_frame()
    {
        var packet = PacketFactory.Event("/", null, "hello", [new byte[] { 1, 2, 3, 4 }], Json);

        Assert.Equal(2, packet.Frames.Length);
        Assert.Equal("451-[\"hello\",{\"_placeholder\":true,\"num\":0}]", TextOf(packet));
        Assert.Equal([new byte[] { 1, 2, 3, 4 }], AttachmentsOf(packet));
    }

    [Fact]
    public void A_binary_ack_matches_the_protocol_document()
    {
        var packet = PacketFactory.Ack("/admin", 456, [new byte[] { 1, 2, 3 }], Json);

        Assert.Equal("461-/admin,456[{\"_placeholder\":true,\"num\":0}]", TextOf(packet));
        Assert.Equal([new byte[] { 1, 2, 3 }], AttachmentsOf(packet));
    }

    [Fact]
    public void Several_attachments_are_numbered_in_order_and_follow_the_text_frame_in_order()
    {
        var packet = PacketFactory.Event("/admin", null, "baz", [new byte[] { 1, 2 }, new byte[] { 3, 4 }], Json);

        Assert.Equal("452-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", TextOf(packet));
        Assert.Equal([new byte[] { 1, 2 }, new byte[] { 3, 4 }], AttachmentsOf(packet));
        Assert.Equal(packet.Frames.Sum(f => f.Bytes.Length), packet.Length);
    }

    [Fact]
    public void A_byte_array_nested_in_an_object_becomes_an_attachment()
    {
        var packet = PacketFactory.Event("/", null, "upload", [new { File = new byte[] { 9, 8, 7 }, Name = "a.txt" }], Json);

        Assert.Equal("451-[\"upload\",{\"file\":{\"_placeholder\":true,\"num\":0},\"name\":\"a.txt\"}]", TextOf(packet));
        Assert.Equal([new byte[] { 9, 8, 7 }], AttachmentsOf(packet));
    }

    [Fact]
    public void Byte_arrays_at_every_depth_are_numbered_in_writing_order()
    {
        object?[] args =
        [
            new byte[] { 1 },
            new { Inner = new[] { new { Data = new byte[] { 2 } }, new { Data = new byte[] { 3 } } } },
            new ReadOnlyMemory<byte>(new byte[] { 4, 4 }),
            new Dictionary<string, object> { ["blob"] = new byte[] { 5 } },
        ];
        var packet = PacketFactory.Event("/", 7, "mixed", args, Json);

        Assert.Equal(
            "455-7[\"mixed\",{\"_placeholder\":true,\"num\":0},"
            + "{\"inner\":[{\"data\":{\"_placeholder\":true,\"num\":1}},{\"data\":{\"_placeholder\":true,\"num\":2}}]},"
            + "{\"_placeholder\":true,\"num\":3},"
            + "{\"blob\":{\"_placeholder\":true,\"num\":4}}]",
            TextOf(packet));
        Assert.Equal([[1], [2], [3], [4, 4], [5]], AttachmentsOf(packet));
    }

    [Fact]
    public void An_empty_byte_array_is_still_an_attachment()
    {
        var packet = PacketFactory.Event("/", null, "e", [Array.Empty<byte>()], Json);
        Assert.Equal("451-[\"e\",{\"_placeholder\":true,\"num\":0}]", TextOf(packet));
        Assert.Equal([Array.Empty<byte>()], AttachmentsOf(packet));
    }

    [Fact]
    public void A_byte_array_serialized_outside_a_packet_is_base64()
    {
        Assert.Equal("\"AQID\"", JsonSerializer.Serialize(new byte[] { 1, 2, 3 }, Json));
    }

    [Fact]
    public void Strings_are_written_without_html_escaping_as_json_stringify_does()
    {
        var packet = PacketFactory.Event("/", null, "x", ["é<>&'+", "quote\" back\\ nl\n"], Json);
        Assert.Equal("42[\"x\",\"é<>&'+\",\"quote\\\" back\\\\ nl\\n\"]", Single(packet));
    }

    [Fact]
    public void A_json_element_argument_is_written_as_it_was_received()
    {
        using var doc = JsonDocument.Parse("{\"b\":1,\"a\":[1.50,\"é<>\"]}");
        Assert.Equal("42[\"x\",{\"b\":1,\"a\":[1.50,\"é<>\"]}]", Single(PacketFactory.Event("/", null, "x", [doc.RootElement], Json)));
    }

    [Fact]
    public void The_text_frame_of_every_packet_starts_with_the_engine_message_type()
    {
        EncodedPacket[] packets =
        [
            PacketFactory.Connected("/", "s", protocol: 5),
            PacketFactory.Disconnect("/"),
            PacketFactory.Event("/", null, "e", [new byte[] { 1 }], Json),
            PacketFactory.Ack("/", 1, [], Json),
            PacketFactory.ConnectError("/", "m", null, Json),
        ];
        Assert.All(packets, p => Assert.Equal((byte)'4', p.Frames[0].Bytes.Span[0]));
    }

    // --- Re-emitting received arguments ------------------------------------------------------------------------

    [Fact]
    public void Received_arguments_are_re_emitted_in_compact_json_with_key_order_and_number_text_preserved()
    {
        const string json = "[\"x\",{\"b\":1,\"a\":[1.50,\"é<>\"]}]";
        var args = Received("2" + json);

        var packet = PacketFactory.Event("/", null, "x", args);

        var text = Single(packet);
        Assert.StartsWith("42", text);
        Assert.Equal(Encoding.UTF8.GetBytes(json), packet.Frames[0].Bytes[2..].ToArray());
    }

    [Fact]
    public void Received_arguments_with_whitespace_are_re_emitted_compact()
    {
        var args = Received("2[\"x\" , { \"b\" : 1 ,\n \"a\" : [ 1e3 , -0.0 ] } ]");
        Assert.Equal("42/chat,[\"x\",{\"b\":1,\"a\":[1e3,-0.0]}]", Single(PacketFactory.Event("/chat", null, "x", args)));
    }

    [Fact]
    public void Received_emoji_are_re_emitted_unescaped_as_json_stringify_does()
    {
        var args = Received("2[\"x\",\"😀\"]");
        Assert.Equal("42[\"x\",\"😀\"]", Single(PacketFactory.Event("/", null, "x", args)));
    }

    [Fact]
    public void Received_arguments_are_re_emitted_as_an_ack()
    {
        var args = Received("31[\"ok\",{\"z\":0,\"y\":[]}]");
        Assert.Equal("435[\"ok\",{\"z\":0,\"y\":[]}]", Single(PacketFactory.Ack("/", 5, args)));
    }

    [Fact]
    public void Re_emitted_attachments_are_renumbered_in_the_order_they_are_written()
    {
        byte[] first = [0xA1];
        byte[] second = [0xB2, 0xB2];
        var args = Received(
            "52-[\"in\",{\"_placeholder\":true,\"num\":1},{\"x\":{\"_placeholder\":true,\"num\":0}}]",
            first,
            second);

        var packet = PacketFactory.Event("/room", null, "relay", args);

        Assert.Equal(
            "452-/room,[\"relay\",{\"_placeholder\":true,\"num\":0},{\"x\":{\"_placeholder\":true,\"num\":1}}]",
            TextOf(packet));
        Assert.Equal([second, first], AttachmentsOf(packet));
    }

    [Fact]
    public void An_attachment_referenced_twice_is_sent_twice()
    {
        var args = Received("51-[\"in\",{\"_placeholder\":true,\"num\":0},[{\"_placeholder\":true,\"num\":0}]]", [7]);

        var packet = PacketFactory.Event("/", null, "out", args);

        Assert.Equal("452-[\"out\",{\"_placeholder\":true,\"num\":0},[{\"_placeholder\":true,\"num\":1}]]", TextOf(packet));
        Assert.Equal([[7], [7]], AttachmentsOf(packet));
    }

    [Fact]
    public void Received_binary_ack_arguments_are_re_emitted_as_a_binary_ack()
    {
        var args = Received("61-/admin,456[{\"_placeholder\":true,\"num\":0},\"tail\"]", [1, 2, 3, 4]);

        var packet = PacketFactory.Ack("/admin", 9, args);

        Assert.Equal("461-/admin,9[{\"_placeholder\":true,\"num\":0},\"tail\"]", TextOf(packet));
        Assert.Equal([new byte[] { 1, 2, 3, 4 }], AttachmentsOf(packet));
    }

    [Fact]
    public void An_encoded_packet_decodes_back_to_the_same_packet()
    {
        var packet = PacketFactory.Event("/admin", 42, "save", [new { Title = "t", Blob = new byte[] { 1, 2 } }, 3.5], Json);
        var text = packet.Frames[0].Bytes[1..];

        Assert.True(SocketPacketDecoder.TryDecode(text, 64, out var decoded, out _));
        Assert.Equal(SocketPacketType.BinaryEvent, decoded.Type);
        Assert.Equal("/admin", decoded.Namespace);
        Assert.Equal(42L, decoded.Id);
        Assert.Equal(1, decoded.AttachmentCount);
        decoded.Attachments.Add(packet.Frames[1].Bytes);
        Assert.True(SocketPacketDecoder.HasValidPlaceholders(decoded));
        var args = EventArguments.FromArray(decoded.Data!.Value, 1, decoded.Attachments, Json);
        Assert.Equal(3.5, args.Get<double>(1));
        Assert.Equal(new byte[] { 1, 2 }, args[0].GetProperty("blob").ValueKind == JsonValueKind.Object ? args.Get<Upload>(0)!.Blob : null);
    }

    private sealed record Upload(string Title, byte[] Blob);
}
