using System.Buffers;
using System.Text;
using System.Text.Json;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Tests.SocketIO.Protocol;

/// <summary>The <c>{"_placeholder":true,"num":n}</c> markers and the per-thread attachment scopes.</summary>
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
    public void Bytes_written_inside_an_outgoing_scope_become_numbered_placeholders()
    {
        var attachments = new List<ReadOnlyMemory<byte>>();
        string json;
        using (BinaryPlaceholder.CollectOutgoing(attachments))
        {
            json = Write(w =>
            {
                w.WriteStartArray();
                BinaryPlaceholder.WriteBytes(w, new byte[] { 1 });
                BinaryPlaceholder.WriteBytes(w, new byte[] { 2, 2 });
                w.WriteEndArray();
            });
        }

        Assert.Equal("[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", json);
        Assert.Equal([new byte[] { 1 }, new byte[] { 2, 2 }], attachments.Select(a => a.ToArray()).ToArray());
    }

    [Fact]
    public void Bytes_written_after_the_outgoing_scope_ends_are_base64_again()
    {
        var attachments = new List<ReadOnlyMemory<byte>>();
        using (BinaryPlaceholder.CollectOutgoing(attachments))
        {
        }

        Assert.Equal("\"AQID\"", Write(w => BinaryPlaceholder.WriteBytes(w, new byte[] { 1, 2, 3 })));
        Assert.Empty(attachments);
    }

    [Fact]
    public void Nested_outgoing_scopes_restore_the_outer_collection()
    {
        var outer = new List<ReadOnlyMemory<byte>>();
        var inner = new List<ReadOnlyMemory<byte>>();
        using (BinaryPlaceholder.CollectOutgoing(outer))
        {
            using (BinaryPlaceholder.CollectOutgoing(inner))
            {
                Write(w => BinaryPlaceholder.WriteBytes(w, new byte[] { 1 }));
            }

            Assert.Equal("{\"_placeholder\":true,\"num\":0}", Write(w => BinaryPlaceholder.WriteBytes(w, new byte[] { 2 })));
        }

        Assert.Single(inner);
        Assert.Equal(new byte[] { 2 }, Assert.Single(outer).ToArray());
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
        var outgoing = new List<ReadOnlyMemory<byte>> { new byte[] { 0xEE } };
        string json;
        using (BinaryPlaceholder.CollectOutgoing(outgoing))
        {
            json = Write(w => BinaryPlaceholder.WriteElement(w, element, [new byte[] { 0xA0 }, new byte[] { 0xB1 }]));
        }

        Assert.Equal("{\"k\":[{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":2}],\"n\":2.50}", json);
        Assert.Equal([new byte[] { 0xEE }, new byte[] { 0xB1 }, new byte[] { 0xA0 }], outgoing.Select(a => a.ToArray()).ToArray());
    }

    [Fact]
    public void A_placeholder_out_of_range_is_written_unchanged()
    {
        var element = Parse("[{\"_placeholder\":true,\"num\":5}]");
        Assert.Equal("[{\"_placeholder\":true,\"num\":5}]", Write(w => BinaryPlaceholder.WriteElement(w, element, [new byte[] { 1 }])));
    }

    [Fact]
    public void A_byte_array_is_read_from_a_placeholder_inside_an_incoming_scope()
    {
        byte[]? value;
        using (BinaryPlaceholder.ResolveFrom([new byte[] { 1 }, new byte[] { 2, 3 }]))
        {
            value = JsonSerializer.Deserialize<byte[]>("{\"_placeholder\":true,\"num\":1}", Json);
        }

        Assert.Equal(new byte[] { 2, 3 }, value);
    }

    [Fact]
    public void A_placeholder_outside_an_incoming_scope_cannot_be_read_as_bytes()
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
