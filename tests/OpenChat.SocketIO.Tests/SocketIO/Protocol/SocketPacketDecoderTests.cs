using System.Text;
using System.Text.Json;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Tests.SocketIO.Protocol;

/// <summary>Parsing Socket.IO v5 text packets (without the Engine.IO <c>4</c> prefix).</summary>
public sealed class SocketPacketDecoderTests
{
    private const int MaxAttachments = 64;

    private static SocketPacket Decode(string wire)
    {
        Assert.True(SocketPacketDecoder.TryDecode(Encoding.UTF8.GetBytes(wire), MaxAttachments, out var packet, out var error), error);
        Assert.Equal(string.Empty, error);
        return packet;
    }

    private static void AssertRejected(string wire, int maxAttachments = MaxAttachments) =>
        AssertRejected(Encoding.UTF8.GetBytes(wire), maxAttachments);

    private static void AssertRejected(byte[] wire, int maxAttachments = MaxAttachments)
    {
        var accepted = true;
        var error = string.Empty;
        var exception = Record.Exception(() => accepted = SocketPacketDecoder.TryDecode(wire, maxAttachments, out _, out error));
        Assert.Null(exception);
        Assert.False(accepted);
        Assert.False(string.IsNullOrEmpty(error));
    }

    // --- Examples of the protocol document -----------------------------------------------------------------

    [Fact]
    public void A_connect_to_the_main_namespace_has_no_data()
    {
        var packet = Decode("0");
        Assert.Equal(SocketPacketType.Connect, packet.Type);
        Assert.Equal("/", packet.Namespace);
        Assert.Null(packet.Id);
        Assert.Null(packet.Data);
        Assert.Equal(0, packet.AttachmentCount);
        Assert.True(packet.IsComplete);
    }

    [Fact]
    public void A_connect_to_a_custom_namespace_carries_its_auth_payload()
    {
        var packet = Decode("0/admin,{\"token\":\"123\"}");
        Assert.Equal(SocketPacketType.Connect, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Null(packet.Id);
        Assert.Equal("123", packet.Data!.Value.GetProperty("token").GetString());
    }

    [Theory]
    [InlineData("0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}", "/", "wZX3oN0bSVIhsaknAAAI")]
    [InlineData("0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}", "/admin", "oSO0OpakMV_3jnilAAAA")]
    public void A_connect_reply_carries_the_socket_id(string wire, string nsp, string sid)
    {
        var packet = Decode(wire);
        Assert.Equal(SocketPacketType.Connect, packet.Type);
        Assert.Equal(nsp, packet.Namespace);
        Assert.Equal(sid, packet.Data!.Value.GetProperty("sid").GetString());
    }

    [Theory]
    [InlineData("1", "/")]
    [InlineData("1/admin,", "/admin")]
    public void A_disconnect_names_its_namespace_and_has_no_data(string wire, string nsp)
    {
        var packet = Decode(wire);
        Assert.Equal(SocketPacketType.Disconnect, packet.Type);
        Assert.Equal(nsp, packet.Namespace);
        Assert.Null(packet.Data);
        Assert.Null(packet.Id);
    }

    [Theory]
    [InlineData("2[\"hello\",1]", "/", null, "[\"hello\",1]")]
    [InlineData("2[\"foo\"]", "/", null, "[\"foo\"]")]
    [InlineData("2/admin,[\"bar\"]", "/admin", null, "[\"bar\"]")]
    [InlineData("2/admin,456[\"project:delete\",123]", "/admin", 456L, "[\"project:delete\",123]")]
    [InlineData("212[\"foo\"]", "/", 12L, "[\"foo\"]")]
    [InlineData("20[\"zero\"]", "/", 0L, "[\"zero\"]")]
    public void An_event_keeps_its_namespace_ack_id_and_exact_json(string wire, string nsp, long? id, string json)
    {
        var packet = Decode(wire);
        Assert.Equal(SocketPacketType.Event, packet.Type);
        Assert.Equal(nsp, packet.Namespace);
        Assert.Equal(id, packet.Id);
        Assert.Equal(json, packet.Data!.Value.GetRawText());
        Assert.Equal(0, packet.AttachmentCount);
    }

    [Theory]
    [InlineData("3/admin,456[]", "/admin", 456L, "[]")]
    [InlineData("3/admin,13[\"bar\"]", "/admin", 13L, "[\"bar\"]")]
    [InlineData("31[\"ok\",{\"a\":1}]", "/", 1L, "[\"ok\",{\"a\":1}]")]
    public void An_ack_keeps_its_id_and_arguments(string wire, string nsp, long id, string json)
    {
        var packet = Decode(wire);
        Assert.Equal(SocketPacketType.Ack, packet.Type);
        Assert.Equal(nsp, packet.Namespace);
        Assert.Equal(id, packet.Id);
        Assert.Equal(json, packet.Data!.Value.GetRawText());
    }

    [Theory]
    [InlineData("4{\"message\":\"Not authorized\"}")]
    [InlineData("4\"Not authorized\"")]
    public void A_connect_error_carries_an_object_or_a_string(string wire)
    {
        var packet = Decode(wire);
        Assert.Equal(SocketPacketType.ConnectError, packet.Type);
        Assert.Equal(wire[1..], packet.Data!.Value.GetRawText());
    }

    [Fact]
    public void A_binary_event_announces_its_attachment_and_waits_for_it()
    {
        var packet = Decode("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]");
        Assert.Equal(SocketPacketType.BinaryEvent, packet.Type);
        Assert.Equal("/", packet.Namespace);
        Assert.Null(packet.Id);
        Assert.Equal(1, packet.AttachmentCount);
        Assert.False(packet.IsComplete);
        Assert.Equal("[\"hello\",{\"_placeholder\":true,\"num\":0}]", packet.Data!.Value.GetRawText());

        packet.Attachments.Add(new byte[] { 1, 2, 3, 4 });
        Assert.True(packet.IsComplete);
        Assert.True(SocketPacketDecoder.HasValidPlaceholders(packet));
    }

    [Fact]
    public void A_binary_ack_with_namespace_and_id_is_parsed()
    {
        var packet = Decode("61-/admin,456[{\"_placeholder\":true,\"num\":0}]");
        Assert.Equal(SocketPacketType.BinaryAck, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal(456L, packet.Id);
        Assert.Equal(1, packet.AttachmentCount);
        Assert.Equal("[{\"_placeholder\":true,\"num\":0}]", packet.Data!.Value.GetRawText());
    }

    [Fact]
    public void A_binary_ack_on_the_main_namespace_is_parsed()
    {
        var packet = Decode("61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]");
        Assert.Equal(SocketPacketType.BinaryAck, packet.Type);
        Assert.Equal("/", packet.Namespace);
        Assert.Equal(15L, packet.Id);
        Assert.Equal(1, packet.AttachmentCount);
    }

    [Fact]
    public void A_binary_event_with_several_attachments_counts_them_all()
    {
        var packet = Decode("52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        Assert.Equal(SocketPacketType.BinaryEvent, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal(2, packet.AttachmentCount);

        packet.Attachments.Add(new byte[] { 1, 2 });
        Assert.False(packet.IsComplete);
        packet.Attachments.Add(new byte[] { 3, 4 });
        Assert.True(packet.IsComplete);
        Assert.True(SocketPacketDecoder.HasValidPlaceholders(packet));
    }

    [Fact]
    public void An_attachment_count_equal_to_the_maximum_is_accepted()
    {
        Assert.True(SocketPacketDecoder.TryDecode("53-[\"x\"]"u8.ToArray(), 3, out var packet, out _));
        Assert.Equal(3, packet.AttachmentCount);
    }

    [Fact]
    public void A_numeric_event_name_is_accepted_as_the_reference_parser_does()
    {
        Assert.Equal(SocketPacketType.Event, Decode("2[1,\"a\"]").Type);
    }

    [Fact]
    public void The_largest_allowed_ack_id_has_fifteen_digits()
    {
        Assert.Equal(999_999_999_999_999L, Decode("2999999999999999[\"x\"]").Id);
    }

    [Fact]
    public void Json_whitespace_and_unicode_in_arguments_are_kept_verbatim()
    {
        const string json = "[\"msg\", {\"b\": 1.50, \"a\": \"é\\u00e9😀\"}]";
        Assert.Equal(json, Decode("2" + json).Data!.Value.GetRawText());
    }

    // --- Malformed ----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("9")]
    [InlineData("7[\"x\"]")]
    [InlineData("a")]
    [InlineData("/")]
    [InlineData("[\"x\"]")]
    [InlineData(" 2[\"x\"]")]
    public void A_packet_with_an_unknown_type_is_rejected(string wire) => AssertRejected(wire);

    [Theory]
    [InlineData("5-[\"x\",{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("5a-[\"x\"]")]
    [InlineData("51a-[\"x\"]")]
    [InlineData("5")]
    [InlineData("51")]
    [InlineData("51[\"x\"]")]
    [InlineData("6-1[\"x\"]")]
    [InlineData("5 1-[\"x\"]")]
    [InlineData("51234567-[\"x\"]")]
    public void A_binary_packet_with_a_bad_attachment_header_is_rejected(string wire) => AssertRejected(wire);

    [Theory]
    [InlineData("565-[\"x\"]", 64)]
    [InlineData("54-[\"x\"]", 3)]
    [InlineData("5999999-[\"x\"]", 64)]
    [InlineData("61-1[\"x\"]", 0)]
    public void An_attachment_count_over_the_maximum_is_rejected(string wire, int max) => AssertRejected(wire, max);

    [Theory]
    [InlineData("2[\"a\"")]
    [InlineData("2[\"a\",]")]
    [InlineData("2[\"a\"]x")]
    [InlineData("2[\"a\"][\"b\"]")]
    [InlineData("2{")]
    [InlineData("2/admin,{\"a\":}")]
    [InlineData("0{'token':1}")]
    [InlineData("2[NaN]")]
    [InlineData("2-1[\"x\"]")]
    public void Broken_json_is_rejected(string wire) => AssertRejected(wire);

    [Fact]
    public void Json_nested_deeper_than_the_serializer_allows_is_rejected()
    {
        AssertRejected("2[\"x\"," + new string('[', 200) + new string(']', 200) + "]");
    }

    [Theory]
    [InlineData("2")]
    [InlineData("2/admin,")]
    [InlineData("2{\"a\":1}")]
    [InlineData("2\"hello\"")]
    [InlineData("242")]
    [InlineData("2[]")]
    [InlineData("2[{\"a\":1}]")]
    [InlineData("2[[\"x\"]]")]
    [InlineData("2[null]")]
    [InlineData("2[true]")]
    [InlineData("51-{\"_placeholder\":true,\"num\":0}")]
    [InlineData("51-[{\"_placeholder\":true,\"num\":0}]")]
    public void An_event_whose_payload_is_not_a_named_array_is_rejected(string wire) => AssertRejected(wire);

    [Theory]
    [InlineData("connect")]
    [InlineData("connect_error")]
    [InlineData("disconnect")]
    [InlineData("disconnecting")]
    [InlineData("newListener")]
    [InlineData("removeListener")]
    public void An_event_with_a_reserved_name_is_rejected(string name)
    {
        AssertRejected($"2[\"{name}\"]");
        AssertRejected($"2/admin,7[\"{name}\",1]");
        AssertRejected($"51-[\"{name}\",{{\"_placeholder\":true,\"num\":0}}]");
    }

    [Fact]
    public void A_reserved_name_spelled_with_json_escapes_is_still_rejected()
    {
        AssertRejected("2[\"conn\\u0065ct\"]");
    }

    [Theory]
    [InlineData("1{}")]
    [InlineData("1/admin,{\"a\":1}")]
    [InlineData("1\"bye\"")]
    [InlineData("1[]")]
    [InlineData("1null")]
    public void A_disconnect_with_data_is_rejected(string wire) => AssertRejected(wire);

    [Theory]
    [InlineData("0[\"a\"]")]
    [InlineData("0/admin,[]")]
    [InlineData("0\"token\"")]
    [InlineData("0null")]
    [InlineData("0/admin,true")]
    public void A_connect_whose_payload_is_not_an_object_is_rejected(string wire) => AssertRejected(wire);

    [Theory]
    [InlineData("4")]
    [InlineData("4[\"x\"]")]
    [InlineData("41")]
    [InlineData("4null")]
    public void A_connect_error_without_an_object_or_string_is_rejected(string wire) => AssertRejected(wire);

    [Theory]
    [InlineData("3[\"a\"]")]
    [InlineData("3/admin,[]")]
    [InlineData("61-[{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("61-/admin,[{\"_placeholder\":true,\"num\":0}]")]
    public void An_ack_without_an_id_is_rejected(string wire) => AssertRejected(wire);

    [Theory]
    [InlineData("31")]
    [InlineData("31{\"a\":1}")]
    [InlineData("31\"x\"")]
    [InlineData("3/admin,1null")]
    [InlineData("61-1{\"_placeholder\":true,\"num\":0}")]
    public void An_ack_whose_payload_is_not_an_array_is_rejected(string wire) => AssertRejected(wire);

    [Theory]
    [InlineData("21234567890123456[\"x\"]")]
    [InlineData("2/admin,1234567890123456[\"x\"]")]
    [InlineData("399999999999999999999999[]")]
    [InlineData("61-12345678901234567890[{\"_placeholder\":true,\"num\":0}]")]
    public void An_ack_id_of_sixteen_digits_or_more_is_rejected(string wire) => AssertRejected(wire);

    [Fact]
    public void An_event_whose_name_is_invalid_utf8_is_rejected_without_throwing()
    {
        var wire = new byte[] { (byte)'2', (byte)'[', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)']' };
        AssertRejected(wire);
    }

    [Theory]
    [InlineData("2[\"\\uD800\"]")]
    [InlineData("2[\"\\uDC00x\"]")]
    [InlineData("2/admin,1[\"a\\uD83D\"]")]
    public void An_event_whose_name_has_an_unpaired_surrogate_escape_does_not_throw(string wire)
    {
        // Valid UTF-8 and valid JSON, so it passes the Engine.IO layer; accepting or rejecting are both fine, throwing is not.
        var exception = Record.Exception(() => SocketPacketDecoder.TryDecode(Encoding.UTF8.GetBytes(wire), MaxAttachments, out _, out _));
        Assert.Null(exception);
    }

    [Fact]
    public void A_namespace_with_invalid_utf8_does_not_throw()
    {
        var wire = new byte[] { (byte)'2', (byte)'/', 0xFF, (byte)',', (byte)'[', (byte)'"', (byte)'x', (byte)'"', (byte)']' };
        var exception = Record.Exception(() => SocketPacketDecoder.TryDecode(wire, MaxAttachments, out _, out _));
        Assert.Null(exception);
    }

    // --- Placeholders ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("51-[\"x\",{\"_placeholder\":true,\"num\":1}]", 1)]
    [InlineData("51-[\"x\",{\"_placeholder\":true,\"num\":-1}]", 1)]
    [InlineData("51-[\"x\",{\"_placeholder\":true}]", 1)]
    [InlineData("51-[\"x\",{\"_placeholder\":true,\"num\":\"0\"}]", 1)]
    [InlineData("51-[\"x\",{\"_placeholder\":true,\"num\":0.5}]", 1)]
    [InlineData("51-[\"x\",{\"_placeholder\":true,\"num\":4294967296}]", 1)]
    [InlineData("52-[\"x\",{\"a\":[{\"b\":{\"_placeholder\":true,\"num\":2}}]}]", 2)]
    [InlineData("2[\"x\",{\"_placeholder\":true,\"num\":0}]", 0)]
    [InlineData("31[{\"deep\":[[{\"_placeholder\":true,\"num\":0}]]}]", 0)]
    public void A_placeholder_pointing_at_no_attachment_is_invalid(string wire, int attachments)
    {
        var packet = Decode(wire);
        for (var i = 0; i < attachments; i++)
        {
            packet.Attachments.Add(new byte[] { (byte)i });
        }

        Assert.False(SocketPacketDecoder.HasValidPlaceholders(packet));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("2[\"x\",1,\"s\",null]")]
    [InlineData("2[\"x\",{\"_placeholder\":false,\"num\":9}]")]
    [InlineData("2[\"x\",{\"_placeholder\":\"true\",\"num\":9}]")]
    [InlineData("52-[\"x\",{\"a\":[{\"b\":{\"_placeholder\":true,\"num\":1}}]},{\"_placeholder\":true,\"num\":0}]")]
    public void Placeholders_within_range_or_absent_are_valid(string wire)
    {
        var packet = Decode(wire);
        for (var i = 0; i < packet.AttachmentCount; i++)
        {
            packet.Attachments.Add(new byte[] { (byte)i });
        }

        Assert.True(SocketPacketDecoder.HasValidPlaceholders(packet));
    }

    // --- Robustness ---------------------------------------------------------------------------------------------------

    [Fact]
    public void Arbitrary_bytes_never_make_the_decoder_throw()
    {
        var random = new Random(5);
        var alphabet = "0123456-/,[]{}\"\\:a_placeholdernumtrue é"u8.ToArray();
        for (var i = 0; i < 5_000; i++)
        {
            var data = new byte[random.Next(0, 32)];
            for (var j = 0; j < data.Length; j++)
            {
                data[j] = random.Next(8) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            if (data.Length > 0)
            {
                data[0] = (byte)('0' + random.Next(7));
            }

            var exception = Record.Exception(() =>
            {
                if (SocketPacketDecoder.TryDecode(data, MaxAttachments, out var packet, out _))
                {
                    SocketPacketDecoder.HasValidPlaceholders(packet);
                }
            });
            Assert.Null(exception);
        }
    }
}
