using System.Buffers;
using System.Text;
using System.Text.Json;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Tests.SocketIO.Protocol;

/// <summary>The <c>{"_placeholder":true,"num":n}</c> markers, and which packet the attachments of a write belong to.</summary>
public sealed class BinaryPlaceholderTests
{
    private static readonly JsonSerializerOptions Json = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new BinaryPlaceholder.ByteArrayConverter());
        options.Converters.Add(new BinaryPlaceholder.MemoryConverter());
        return options;
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes into a packet being encoded; returns its JSON and its attachments.</summary>
    private static (string Json, byte[][] Attachments) WritePacket(Action<Utf8JsonWriter> write, params byte[][] already)
    {
        using var packet = PacketWriter.Rent();
        packet.Attachments.AddRange(already.Select(a => (ReadOnlyMemory<byte>)a));
        write(packet.Json);
        packet.Json.Flush();
        return (Encoding.UTF8.GetString(packet.Buffer.WrittenSpan), packet.Attachments.Select(a => a.ToArray()).ToArray());
    }

    private static JsonElement Parse(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    [Fact]
    public void A_placeholder_is_written_with_the_flag_first_then_the_number()
    {
        Assert.Equal("{\"_placeholder\":true,\"num\":3}", Write(w => BinaryPlaceholder.Write(w, 3)));
    }

    [Theory]
    [InlineData("{\"_placeholder\":true,\"num\":0}", 0)]
    [InlineData("{\"num\":12,\"_placeholder\":true}", 12)]
    [InlineData("{\"_placeholder\":true}", -1)]
    [InlineData("{\"_placeholder\":true,\"num\":\"1\"}", -1)]
    [InlineData("{\"_placeholder\":true,\"num\":1.5}", -1)]
    public void A_placeholder_object_is_recognised_and_its_number_read(string json, int expected)
    {
        Assert.True(BinaryPlaceholder.TryGetIndex(Parse(json), out var num));
        Assert.Equal(expected, num);
    }

    [Theory]
    [InlineData("{\"_placeholder\":false,\"num\":0}")]
    [InlineData("{\"_placeholder\":\"true\",\"num\":0}")]
    [InlineData("{\"num\":0}")]
    [InlineData("[{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("\"AQID\"")]
    [InlineData("0")]
    public void Anything_else_is_not_a_placeholder(string json)
    {
        Assert.False(BinaryPlaceholder.TryGetIndex(Parse(json), out var num));
        Assert.Equal(-1, num);
    }

    [Fact]
    public void Bytes_written_into_a_packet_become_its_numbered_placeholders()
    {
        var (json, attachments) = WritePacket(w =>
        {
            w.WriteStartArray();
            BinaryPlaceholder.WriteBytes(w, new byte[] { 1 });
            BinaryPlaceholder.WriteBytes(w, new byte[] { 2, 2 });
            w.WriteEndArray();
        });

        Assert.Equal("[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", json);
        Assert.Equal([new byte[] { 1 }, new byte[] { 2, 2 }], attachments);
    }

    [Fact]
    public void Bytes_deep_inside_a_serialized_value_become_attachments_of_the_packet_being_written()
    {
        var (json, attachments) = WritePacket(w => JsonSerializer.Serialize(w, new { outer = new { blob = new byte[] { 7, 8 } } }, Json));

        Assert.Equal("{\"outer\":{\"blob\":{\"_placeholder\":true,\"num\":0}}}", json);
        Assert.Equal([new byte[] { 7, 8 }], attachments);
    }

    [Fact]
    public void Bytes_written_outside_a_packet_are_base64()
    {
        Assert.Equal("\"AQID\"", Write(w => BinaryPlaceholder.WriteBytes(w, new byte[] { 1, 2, 3 })));
        Assert.Equal("{\"b\":\"AQID\"}", Write(w => JsonSerializer.Serialize(w, new { b = new byte[] { 1, 2, 3 } }, Json)));
    }

    [Fact]
    public void A_packet_written_while_another_is_being_written_keeps_its_own_attachments()
    {
        byte[][] inner = [];
        var (json, outer) = WritePacket(w =>
        {
            w.WriteStartArray();
            (_, inner) = WritePacket(iw => BinaryPlaceholder.WriteBytes(iw, new byte[] { 1 }));
            BinaryPlaceholder.WriteBytes(w, new byte[] { 2 });
            w.WriteEndArray();
        });

        Assert.Equal([new byte[] { 1 }], inner);
        Assert.Equal([new byte[] { 2 }], outer);
        Assert.Equal("[{\"_placeholder\":true,\"num\":0}]", json);
    }

    [Fact]
    public async Task Packets_written_on_many_threads_at_once_never_share_attachments()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
            WritePacket(w => JsonSerializer.Serialize(w, new[] { new byte[] { (byte)i }, new byte[] { (byte)i, (byte)i } }, Json)))));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal([new byte[] { (byte)i }, new byte[] { (byte)i, (byte)i }], results[i].Attachments);
        }
    }

    [Fact]
    public void An_element_without_attachments_is_written_verbatim()
    {
        var element = Parse("{\"_placeholder\":true,\"num\":0,\"z\":1.0}");
        Assert.Equal("{\"_placeholder\":true,\"num\":0,\"z\":1.0}", Write(w => BinaryPlaceholder.WriteElement(w, element, [])));
    }

    [Fact]
    public void Writing_an_element_renumbers_its_placeholders_into_the_current_packet()
    {
        var element = Parse("{\"k\":[{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":0}],\"n\":2.50}");

        var (json, outgoing) = WritePacket(w => BinaryPlaceholder.WriteElement(w, element, [new byte[] { 0xA0 }, new byte[] { 0xB1 }]), [0xEE]);

        Assert.Equal("{\"k\":[{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":2}],\"n\":2.50}", json);
        Assert.Equal([new byte[] { 0xEE }, new byte[] { 0xB1 }, new byte[] { 0xA0 }], outgoing);
    }

    [Fact]
    public void A_placeholder_out_of_range_is_written_unchanged()
    {
        var element = Parse("[{\"_placeholder\":true,\"num\":5}]");
        Assert.Equal("[{\"_placeholder\":true,\"num\":5}]", Write(w => BinaryPlaceholder.WriteElement(w, element, [new byte[] { 1 }])));
    }

    [Fact]
    public void Inlining_attachments_turns_each_placeholder_into_its_bytes_in_base64()
    {
        var element = Parse("{\"a\":{\"_placeholder\":true,\"num\":1},\"b\":[{\"_placeholder\":true,\"num\":0}],\"c\":1.50}");

        var inlined = BinaryPlaceholder.InlineAttachments(element, [new byte[] { 1 }, new byte[] { 2, 3 }]);

        Assert.Equal("{\"a\":\"AgM=\",\"b\":[\"AQ==\"],\"c\":1.50}", Encoding.UTF8.GetString(inlined.Span));
    }

    [Fact]
    public void A_placeholder_cannot_be_read_as_bytes_by_itself()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<byte[]>("{\"_placeholder\":true,\"num\":0}", Json));
    }

    [Fact]
    public void A_base64_string_is_read_as_bytes()
    {
        Assert.Equal(new byte[] { 1, 2, 3 }, JsonSerializer.Deserialize<byte[]>("\"AQID\"", Json));
        Assert.Equal(new byte[] { 1, 2, 3 }, JsonSerializer.Deserialize<ReadOnlyMemory<byte>>("\"AQID\"", Json).ToArray());
    }
}
