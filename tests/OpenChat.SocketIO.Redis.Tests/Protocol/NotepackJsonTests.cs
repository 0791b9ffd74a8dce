using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using MessagePack;
using OpenChat.SocketIO.Notepack;
using OpenChat.SocketIO.Redis.Tests.Infrastructure;

namespace OpenChat.SocketIO.Redis.Tests.Protocol;

/// <summary>
/// The MessagePack the adapter writes is byte for byte what notepack.io 3.0.1 (the Node adapter's encoder)
/// writes for the same JavaScript value, and what notepack.io writes reads back as the JSON JavaScript would
/// send. notepack.io itself is the witness, in the same test.
/// </summary>
public sealed class NotepackJsonTests : IAsyncLifetime
{
    private NodeWitness _notepack = null!;

    public static TheoryData<string> Values => [.. ValueList];

    /// <summary>The values JavaScript itself reads back unchanged (1e300 comes back as 0: notepack keeps only 64 bits of a whole number).</summary>
    public static TheoryData<string> RoundTripValues => [.. ValueList.Where(v => v != "1e300")];

    private static readonly string[] ValueList =
    [
        // Integers take the smallest form, positive and negative, at every boundary.
        "0", "1", "127", "128", "255", "256", "65535", "65536", "4294967295", "4294967296", "9007199254740991",
        "-1", "-32", "-33", "-128", "-129", "-32768", "-32769", "-2147483648", "-2147483649", "-9007199254740991",

        // A number is whole or not as JavaScript holds it: 1.0 and 1e3 are integers, 1.5 a float64.
        "1.0", "1e3", "1.5", "-0.25", "1e300", "5e-324", "0.1",

        // Strings: fixstr up to 31 bytes, then str8, str16, str32; UTF-8 counted in bytes.
        "\"\"", "\"a\"", Quote(31), Quote(32), Quote(255), Quote(256), Quote(65535), Quote(65536), "\"é✓😀 \\\"q\\\" \\n\"",

        // Arrays and maps: fix forms up to 15 items, then 16-bit counts; key order is kept.
        "[]", Array(15), Array(16), "{}", Map(15), Map(16), "{\"b\":1,\"a\":[true,false,null],\"c\":{\"d\":\"e\"}}",
        "null", "true", "false",

        // Binary attachments are bin8, bin16, bin32.
        Bin(0), Bin(3), Bin(255), Bin(256), Bin(70000), "[\"file\"," + Bin(4) + ",{\"nested\":" + Bin(2) + "}]",
    ];

    public async Task InitializeAsync()
    {
        _notepack = NodeWitness.StartCluster("notepack.js", new { });
        await _notepack.WaitForAsync("ready");
    }

    public async Task DisposeAsync() => await _notepack.DisposeAsync();

    [Theory]
    [MemberData(nameof(Values))]
    public async Task A_value_is_written_exactly_as_notepack_writes_it(string json)
    {
        var expected = await NodeHexAsync(JsonNode.Parse(json));
        Assert.Equal(expected, Ours(json));
    }

    [Fact]
    public async Task Minus_zero_is_the_integer_zero_as_in_notepack()
    {
        var expected = await NodeHexAsync(new JsonObject { ["$number"] = "-0" });
        Assert.Equal(expected, Ours("-0"));
        Assert.Equal("00", expected);
    }

    [Theory]
    [MemberData(nameof(RoundTripValues))]
    public async Task What_notepack_writes_reads_back_as_the_same_json(string json)
    {
        var hex = await NodeHexAsync(JsonNode.Parse(json));
        var attachments = new List<ReadOnlyMemory<byte>>();
        var reader = new MessagePackReader(Convert.FromHexString(hex));
        var read = NotepackJson.ReadElement(ref reader, attachments);
        Assert.True(reader.End);
        Assert.Equal(Normalize(json), Restore(read, attachments));
    }

    [Fact]
    public async Task A_date_reads_as_the_string_json_stringify_gives_it()
    {
        var hex = await NodeHexAsync(JsonNode.Parse("""{"at":{"$date":1704164645678},"list":[{"$date":0}]}"""));
        var reader = new MessagePackReader(Convert.FromHexString(hex));
        var read = NotepackJson.ReadElement(ref reader, []);
        Assert.Equal("""{"at":"2024-01-02T03:04:05.678Z","list":["1970-01-01T00:00:00.000Z"]}""", read.GetRawText());
    }

    [Fact]
    public async Task Undefined_is_dropped_from_maps_and_null_in_arrays_as_json_would_have_it()
    {
        var hex = await NodeHexAsync(JsonNode.Parse("""{"a":{"$undefined":true},"b":[1,{"$undefined":true}]}"""));
        var reader = new MessagePackReader(Convert.FromHexString(hex));
        Assert.Equal("""{"b":[1,null]}""", NotepackJson.ReadElement(ref reader, []).GetRawText());
    }

    private static string Quote(int bytes) => "\"" + new string('x', bytes) + "\"";

    private static string Array(int items) => "[" + string.Join(",", Enumerable.Range(0, items)) + "]";

    private static string Map(int keys) => "{" + string.Join(",", Enumerable.Range(0, keys).Select(i => $"\"k{i}\":{i}")) + "}";

    private static string Bin(int length) => "{\"$bin\":\"" + Convert.ToBase64String(Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray()) + "\"}";

    /// <summary>Our bytes: {"$bin"} objects become placeholders with attachments, as packets carry them.</summary>
    private static string Ours(string json)
    {
        var attachments = new List<ReadOnlyMemory<byte>>();
        var node = ToPlaceholders(JsonNode.Parse(json), attachments);
        using var document = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        NotepackJson.Write(ref writer, document.RootElement, attachments);
        writer.Flush();
        return Convert.ToHexStringLower(buffer.WrittenSpan);
    }

    private static JsonNode? ToPlaceholders(JsonNode? node, List<ReadOnlyMemory<byte>> attachments)
    {
        switch (node)
        {
            case JsonObject o when o.TryGetPropertyValue("$bin", out var b):
                attachments.Add(Convert.FromBase64String(b!.GetValue<string>()));
                return new JsonObject { ["_placeholder"] = true, ["num"] = attachments.Count - 1 };
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o)
                {
                    copy[key] = ToPlaceholders(value, attachments);
                }

                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Select(i => ToPlaceholders(i, attachments))]);
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>Read JSON back to the test's notation: placeholders become {"$bin"} again.</summary>
    private static string Restore(JsonElement element, List<ReadOnlyMemory<byte>> attachments)
    {
        JsonNode? Walk(JsonNode? node) => node switch
        {
            JsonObject o when o.ContainsKey("_placeholder") => new JsonObject { ["$bin"] = Convert.ToBase64String(attachments[o["num"]!.GetValue<int>()].Span) },
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Walk(p.Value)))),
            JsonArray a => new JsonArray([.. a.Select(Walk)]),
            _ => node?.DeepClone(),
        };

        return Walk(JsonNode.Parse(element.GetRawText()))?.ToJsonString() ?? "null";
    }

    /// <summary>The JSON as JavaScript would print it back: numbers by value (1.0 → 1, 1e3 → 1000).</summary>
    private static string Normalize(string json)
    {
        JsonNode? Walk(JsonNode? node) => node switch
        {
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Walk(p.Value)))),
            JsonArray a => new JsonArray([.. a.Select(Walk)]),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonValue.Create(v.GetValue<double>()) is var d && Math.Floor(v.GetValue<double>()) == v.GetValue<double>() && Math.Abs(v.GetValue<double>()) < 9.3e18
                ? JsonValue.Create((long)v.GetValue<double>())
                : d,
            _ => node?.DeepClone(),
        };

        return Walk(JsonNode.Parse(json))?.ToJsonString() ?? "null";
    }

    private async Task<string> NodeHexAsync(JsonNode? value)
    {
        var id = Guid.NewGuid().ToString("n");
        var from = _notepack.Lines.Count;
        await _notepack.SendAsync(new { cmd = "encode", id, value });
        var line = await _notepack.WaitForAsync("encoded", l => l.GetProperty("id").GetString() == id, from);
        return line.GetProperty("hex").GetString()!;
    }
}
