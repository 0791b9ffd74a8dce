using System.Collections;
using System.Text.Json;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>
/// The arguments of an event or acknowledgement, as the client sent them (JSON, key order kept), with
/// any binary attachments. Read them with <see cref="Get{T}(int)"/>, or <see cref="TryGet{T}(int, out T)"/>
/// where a client may send anything; emit them on with <see cref="SocketIOSocket.Emit(string, EventArguments)"/>
/// and attachments go out as attachments again.
/// </summary>
public sealed class EventArguments : IReadOnlyList<JsonElement>
{
    private const int PreviewLength = 40;

    private readonly JsonElement[] _items;
    private readonly JsonSerializerOptions _options;

    internal EventArguments(JsonElement[] items, IReadOnlyList<ReadOnlyMemory<byte>> attachments, JsonSerializerOptions options)
    {
        _items = items;
        Attachments = attachments;
        _options = options;
    }

    /// <summary>The binary attachments referenced by placeholders in the arguments.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public JsonElement this[int index] => _items[index];

    /// <summary>
    /// Converts argument <paramref name="index"/> to <typeparamref name="T"/>; <c>byte[]</c> anywhere in it is
    /// filled from the attachments. A missing argument reads as JSON <c>null</c> would (JavaScript's
    /// <c>undefined</c>): <c>null</c> for reference and nullable types.
    /// </summary>
    /// <exception cref="EventArgumentException">
    /// The argument cannot be read as <typeparamref name="T"/> (<c>"abc"</c> or <c>7.5</c> as an <c>int</c>, a
    /// number as a <c>string</c>), or it is missing or null and <typeparamref name="T"/> is a value type that
    /// cannot be null (read it as <c>int?</c> if it is optional).
    /// </exception>
    public T? Get<T>(int index) => (T?)Get(index, typeof(T));

    /// <summary>Converts argument <paramref name="index"/>; false when it is missing or cannot be read as <typeparamref name="T"/>. Never throws.</summary>
    public bool TryGet<T>(int index, out T? value)
    {
        value = default;
        if (index < 0 || index >= _items.Length || !TryRead(_items[index], typeof(T), out var read, out _))
        {
            return false;
        }

        value = (T?)read;
        return true;
    }

    /// <summary>
    /// Arguments built by an adapter from what another server sent: JSON items whose
    /// <c>{"_placeholder":true,"num":n}</c> markers point at <paramref name="attachments"/>, read with
    /// <paramref name="options"/> (normally <see cref="SocketIOServer.JsonOptions"/>).
    /// </summary>
    public static EventArguments Create(IReadOnlyList<JsonElement> items, IReadOnlyList<ReadOnlyMemory<byte>> attachments, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(attachments);
        ArgumentNullException.ThrowIfNull(options);
        return new EventArguments([.. items], attachments, options);
    }

    /// <summary>Some of the arguments (sharing the attachments).</summary>
    public EventArguments Slice(int start, int count) => new(_items.AsSpan(start, count).ToArray(), Attachments, _options);

    /// <inheritdoc />
    public IEnumerator<JsonElement> GetEnumerator() => ((IEnumerable<JsonElement>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    internal static EventArguments FromArray(JsonElement array, int skip, IReadOnlyList<ReadOnlyMemory<byte>> attachments, JsonSerializerOptions options)
    {
        var items = new JsonElement[Math.Max(0, array.GetArrayLength() - skip)];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (i >= skip)
            {
                items[i - skip] = item;
            }

            i++;
        }

        return new EventArguments(items, attachments, options);
    }

    /// <summary>The typed read behind <see cref="Get{T}(int)"/>, for callers that know the type at run time (handler classes).</summary>
    internal object? Get(int index, Type type)
    {
        if (index < 0 || index >= _items.Length)
        {
            if (index >= 0 && CanBeNull(type))
            {
                return null;
            }

            throw new EventArgumentException(
                index,
                type,
                $"Argument {index} is missing (the event has {_items.Length}); it cannot be read as {Describe(type)}. Read it as a nullable type if it is optional.");
        }

        var element = _items[index];
        if (element.ValueKind == JsonValueKind.Null)
        {
            if (CanBeNull(type))
            {
                return null;
            }

            throw new EventArgumentException(index, type, $"Argument {index} is null; it cannot be read as {Describe(type)}. Read it as a nullable type if it may be null.");
        }

        if (TryRead(element, type, out var value, out var failure))
        {
            return value;
        }

        throw new EventArgumentException(index, type, $"Argument {index} ({Preview(element)}) cannot be read as {Describe(type)}.", failure);
    }

    private static bool CanBeNull(Type type) => !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;

    private static string Describe(Type type) =>
        Nullable.GetUnderlyingType(type) is { } underlying ? underlying.Name + "?" : type.Name;

    private static string Preview(JsonElement element)
    {
        var kind = element.ValueKind switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => "null",
        };
        var raw = element.GetRawText();
        return raw.Length <= PreviewLength ? $"{kind}, {raw}" : $"{kind}, {raw[..PreviewLength]}...";
    }

    private bool TryRead(JsonElement element, Type type, out object? value, out Exception? failure)
    {
        value = null;
        failure = null;
        if (type == typeof(string))
        {
            if (element.ValueKind == JsonValueKind.Null)
            {
                return false;
            }

            if (!JsonStrings.TryGet(element, out var text))
            {
                return false;
            }

            value = text;
            return true;
        }

        if (type == typeof(byte[]) && BinaryPlaceholder.TryGetIndex(element, out var num))
        {
            if (num < 0 || num >= Attachments.Count)
            {
                return false;
            }

            value = Attachments[num].ToArray();
            return true;
        }

        try
        {
            value = Attachments.Count == 0
                ? element.Deserialize(type, _options)
                : JsonSerializer.Deserialize(BinaryPlaceholder.InlineAttachments(element, Attachments).Span, type, _options);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException)
        {
            failure = ex;
            return false;
        }
    }
}
