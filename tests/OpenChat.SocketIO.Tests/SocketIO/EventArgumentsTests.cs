using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Tests.SocketIO;

/// <summary>Reading the arguments of a received event or acknowledgement.</summary>
public sealed class EventArgumentsTests
{
    private static readonly JsonSerializerOptions Json =
        new SocketIOServer(Options.Create(new SocketIOOptions()), NullLoggerFactory.Instance, TimeProvider.System).JsonOptions;

    /// <summary>The arguments of an event packet (the event name skipped), as the server hands them to handlers.</summary>
    private static EventArguments Args(string wire, params byte[][] attachments)
    {
        Assert.True(SocketPacketDecoder.TryDecode(Encoding.UTF8.GetBytes(wire), 64, out var packet, out var error), error);
        foreach (var attachment in attachments)
        {
            packet.Attachments.Add(attachment);
        }

        Assert.True(SocketPacketDecoder.HasValidPlaceholders(packet));
        var skip = packet.Type is SocketPacketType.Event or SocketPacketType.BinaryEvent ? 1 : 0;
        return EventArguments.FromArray(packet.Data!.Value, skip, packet.Attachments, Json);
    }

    public sealed record ChatMessage(string Text, int Count, string[] Tags);

    public sealed record Upload(string Name, byte[] File, ReadOnlyMemory<byte> Thumbnail);

    [Fact]
    public void The_event_name_is_not_an_argument()
    {
        var args = Args("2[\"chat\",\"hello\",42]");
        Assert.Equal(2, args.Count);
        Assert.Equal("hello", args[0].GetString());
        Assert.Equal(42, args[1].GetInt32());
        Assert.Equal(["\"hello\"", "42"], args.Select(a => a.GetRawText()).ToArray());
    }

    [Fact]
    public void Ack_arguments_start_at_the_first_element()
    {
        var args = Args("31[\"ok\",1]");
        Assert.Equal(2, args.Count);
        Assert.Equal("ok", args.Get<string>(0));
    }

    [Fact]
    public void An_event_without_arguments_has_none()
    {
        var args = Args("2[\"ping\"]");
        Assert.Empty(args);
        Assert.False(args.TryGet<string>(0, out _));
    }

    [Fact]
    public void A_string_argument_is_read_as_a_string()
    {
        var args = Args("2[\"e\",\"héllo \\\"quoted\\\"\"]");
        Assert.Equal("héllo \"quoted\"", args.Get<string>(0));
        Assert.True(args.TryGet<string>(0, out var value));
        Assert.Equal("héllo \"quoted\"", value);
    }

    [Fact]
    public void A_number_argument_is_read_as_an_int()
    {
        var args = Args("2[\"e\",42,-7]");
        Assert.Equal(42, args.Get<int>(0));
        Assert.Equal(-7, args.Get<int>(1));
        Assert.Equal(42L, args.Get<long>(0));
        Assert.Equal(42.0, args.Get<double>(0));
    }

    [Fact]
    public void An_object_argument_is_read_as_a_record_with_web_naming()
    {
        var args = Args("2[\"e\",{\"text\":\"hi\",\"count\":2,\"tags\":[\"a\",\"b\"],\"extra\":true}]");

        var message = args.Get<ChatMessage>(0);

        Assert.NotNull(message);
        Assert.Equal("hi", message.Text);
        Assert.Equal(2, message.Count);
        Assert.Equal(["a", "b"], message.Tags);
    }

    [Fact]
    public void A_non_numeric_argument_is_not_read_as_a_number()
    {
        var args = Args("2[\"e\",\"forty-two\",true,{\"n\":1},[1]]");
        for (var i = 0; i < args.Count; i++)
        {
            Assert.False(args.TryGet<int>(i, out var value));
            Assert.Equal(0, value);
            var thrown = Assert.Throws<EventArgumentException>(() => args.Get<int>(i));
            Assert.Equal(i, thrown.Index);
            Assert.Equal(typeof(int), thrown.TargetType);
        }
    }

    [Fact]
    public void Get_says_which_argument_could_not_be_read_as_what_and_what_it_was()
    {
        var args = Args("2[\"e\",\"abc\",7.5]");

        Assert.Equal("Argument 0 (a string, \"abc\") cannot be read as Int32.", Assert.Throws<EventArgumentException>(() => args.Get<int>(0)).Message);
        Assert.Equal("Argument 1 (a number, 7.5) cannot be read as Int32.", Assert.Throws<EventArgumentException>(() => args.Get<int>(1)).Message);
        Assert.Equal("Argument 1 (a number, 7.5) cannot be read as String.", Assert.Throws<EventArgumentException>(() => args.Get<string>(1)).Message);
        Assert.Equal(7.5, args.Get<double>(1));
    }

    [Fact]
    public void A_long_argument_is_shown_cut_short_in_the_message()
    {
        var args = Args($"2[\"e\",\"{new string('x', 100)}\"]");

        var message = Assert.Throws<EventArgumentException>(() => args.Get<int>(0)).Message;

        Assert.Contains("\"xxxxxxxxx", message, StringComparison.Ordinal);
        Assert.Contains("...", message, StringComparison.Ordinal);
        Assert.True(message.Length < 120, message);
    }

    [Fact]
    public void A_numeric_string_is_read_as_a_number_under_the_default_web_options()
    {
        // JsonSerializerDefaults.Web allows reading numbers from strings.
        var args = Args("2[\"e\",\"42\"]");
        Assert.True(args.TryGet<int>(0, out var value));
        Assert.Equal(42, value);
    }

    [Fact]
    public void A_number_is_not_read_as_a_string()
    {
        var args = Args("2[\"e\",42,null,{\"a\":1}]");
        Assert.False(args.TryGet<string>(0, out var value));
        Assert.Null(value);
        Assert.False(args.TryGet<string>(1, out _));
        Assert.False(args.TryGet<string>(2, out _));
        Assert.Throws<EventArgumentException>(() => args.Get<string>(0));
        Assert.Throws<EventArgumentException>(() => args.Get<string>(2));
    }

    [Fact]
    public void A_string_with_an_unpaired_surrogate_escape_does_not_throw_when_read()
    {
        // Valid UTF-8 and valid JSON from the wire; TryGet must answer, not throw.
        var args = Args("2[\"e\",\"\\uD800\"]");
        var exception = Record.Exception(() => args.TryGet<string>(0, out _));
        Assert.Null(exception);
    }

    [Fact]
    public void A_fraction_is_not_read_as_an_int()
    {
        var args = Args("2[\"e\",1.5,4294967296]");
        Assert.False(args.TryGet<int>(0, out _));
        Assert.False(args.TryGet<int>(1, out _));
        Assert.True(args.TryGet<long>(1, out var big));
        Assert.Equal(4294967296L, big);
    }

    [Fact]
    public void An_argument_of_another_shape_is_not_read_as_a_record()
    {
        var args = Args("2[\"e\",[1,2],\"text\",{\"text\":5}]");
        Assert.False(args.TryGet<ChatMessage>(0, out var fromArray));
        Assert.Null(fromArray);
        Assert.False(args.TryGet<ChatMessage>(1, out _));
        Assert.False(args.TryGet<ChatMessage>(2, out _));
        Assert.Throws<EventArgumentException>(() => args.Get<ChatMessage>(2));
    }

    [Fact]
    public void A_missing_argument_reads_as_null_for_nullable_types_and_throws_for_the_others()
    {
        var args = Args("2[\"e\",1]");
        Assert.False(args.TryGet<int>(1, out _));
        Assert.False(args.TryGet<int>(-1, out _));
        Assert.Null(args.Get<string>(1));
        Assert.Null(args.Get<int?>(1));
        Assert.Null(args.Get<ChatMessage>(1));
        var missing = Assert.Throws<EventArgumentException>(() => args.Get<int>(5));
        Assert.Equal("Argument 5 is missing (the event has 1); it cannot be read as Int32. Read it as a nullable type if it is optional.", missing.Message);
        Assert.Throws<EventArgumentException>(() => args.Get<int>(-1));
    }

    [Fact]
    public void A_null_argument_reads_as_null_for_nullable_types()
    {
        var args = Args("2[\"e\",null]");
        Assert.True(args.TryGet<int?>(0, out var value));
        Assert.Null(value);
        Assert.Null(args.Get<int?>(0));
        Assert.Null(args.Get<string>(0));
        Assert.Null(args.Get<ChatMessage>(0));
        Assert.Equal("Argument 0 is null; it cannot be read as Boolean. Read it as a nullable type if it may be null.", Assert.Throws<EventArgumentException>(() => args.Get<bool>(0)).Message);
    }

    [Fact]
    public void A_placeholder_argument_is_read_as_the_attachment_bytes()
    {
        var args = Args("52-[\"e\",{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":0}]", [1, 2], [3, 4, 5]);

        Assert.Equal(new byte[] { 3, 4, 5 }, args.Get<byte[]>(0));
        Assert.Equal(new byte[] { 1, 2 }, args.Get<byte[]>(1));
        Assert.Equal(2, args.Attachments.Count);
    }

    [Fact]
    public void Bytes_read_from_an_attachment_are_a_copy()
    {
        var args = Args("51-[\"e\",{\"_placeholder\":true,\"num\":0}]", [1, 2]);

        var bytes = args.Get<byte[]>(0)!;
        bytes[0] = 99;

        Assert.Equal(new byte[] { 1, 2 }, args.Get<byte[]>(0));
    }

    [Fact]
    public void Placeholders_nested_in_an_object_fill_its_byte_members()
    {
        var args = Args(
            "52-[\"e\",{\"name\":\"a.png\",\"file\":{\"_placeholder\":true,\"num\":0},\"thumbnail\":{\"_placeholder\":true,\"num\":1}}]",
            [0x89, 0x50],
            [7]);

        var upload = args.Get<Upload>(0);

        Assert.NotNull(upload);
        Assert.Equal("a.png", upload.Name);
        Assert.Equal(new byte[] { 0x89, 0x50 }, upload.File);
        Assert.Equal(new byte[] { 7 }, upload.Thumbnail.ToArray());
    }

    [Fact]
    public void Placeholders_in_an_array_fill_a_list_of_byte_arrays()
    {
        var args = Args("52-[\"e\",[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]]", [1], [2]);

        var list = args.Get<List<byte[]>>(0);

        Assert.NotNull(list);
        Assert.Equal([new byte[] { 1 }, new byte[] { 2 }], list);
    }

    [Fact]
    public void A_base64_string_argument_is_read_as_bytes()
    {
        var args = Args("2[\"e\",\"AQID\"]");
        Assert.Equal(new byte[] { 1, 2, 3 }, args.Get<byte[]>(0));
    }

    [Fact]
    public void A_placeholder_without_a_matching_attachment_is_not_read_as_bytes()
    {
        var items = new[] { JsonSerializer.Deserialize<JsonElement>("{\"_placeholder\":true,\"num\":3}") };
        var args = new EventArguments(items, [new byte[] { 1 }], Json);

        Assert.False(args.TryGet<byte[]>(0, out var value));
        Assert.Null(value);
    }

    [Fact]
    public void A_number_is_not_read_as_bytes()
    {
        var args = Args("2[\"e\",5]");
        Assert.False(args.TryGet<byte[]>(0, out _));
    }

    [Fact]
    public void The_raw_json_of_each_argument_is_available()
    {
        var args = Args("2[\"e\",{\"b\":1,\"a\":[1.50]}]");
        Assert.Equal("{\"b\":1,\"a\":[1.50]}", args[0].GetRawText());
        Assert.Equal(JsonValueKind.Object, args.Get<JsonElement>(0).ValueKind);
    }
}
