using System.Collections;
using System.Text.Json;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>
/// The arguments of an event or acknowledgement, as the client sent them (JSON, key order kept), with
/// any binary attachments. Read them with <see cref="Get{T}(int)"/>; emit them on with
/// <see cref="SocketIOSocket.Emit(string, EventArguments)"/> and attachments go out as attachments again.
/// </summary>
public sealed class EventArguments : IReadOnlyList<JsonElement>
{
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
    /// Converts argument <paramref name="index"/> to <typeparamref name="T"/>; <c>byte[]</c> anywhere in it
    /// is filled from the attachments. Returns default when the argument is missing or has another shape.
    /// </summary>
    public T? Get<T>(int index)
    {
        TryGet<T>(index, out var value);
        return value;
    }

    /// <summary>Converts argument <paramref name="index"/>; false when it is missing or has another shape.</summary>
    public bool TryGet<T>(int index, out T? value)
    {
        value = default;
        if (index < 0 || index >= _items.Length)
        {
            return false;
        }

        var element = _items[index];
        if (typeof(T) == typeof(string))
        {
            if (!JsonStrings.TryGet(element, out var text))
            {
                return false;
            }

            value = (T)(object)text;
            return true;
        }

        if (typeof(T) == typeof(byte[]) && BinaryPlaceholder.TryGetIndex(element, out var num) && num >= 0 && num < Attachments.Count)
        {
            value = (T)(object)Attachments[num].ToArray();
            return true;
        }

        try
        {
            value = Attachments.Count == 0
                ? element.Deserialize<T>(_options)
                : JsonSerializer.Deserialize<T>(BinaryPlaceholder.InlineAttachments(element, Attachments).Span, _options);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException)
        {
            return false;
        }
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
}
