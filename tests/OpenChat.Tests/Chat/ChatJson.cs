using System.Text.Json;

namespace OpenChat.Tests.Chat;

/// <summary>Reading chat payloads as the Node clients printed them.</summary>
internal static class ChatJson
{
    /// <summary>A JSON array of strings (a <c>usernames</c> list), or null when it is something else.</summary>
    public static string[]? Strings(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array && element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? element.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : null;

    public static bool IsList(JsonElement element, params string[] names) => Strings(element) is { } got && got.SequenceEqual(names);

    public static string? Text(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    public static string? Prop(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool Ok(JsonElement ack) =>
        ack.ValueKind == JsonValueKind.Object && ack.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True;

    /// <summary>The (id, name) pairs of a presence snapshot.</summary>
    public static (string Id, string Name)[] Users(JsonElement snapshot) =>
        snapshot.GetProperty("users").EnumerateArray().Select(u => (u.GetProperty("id").GetString()!, u.GetProperty("name").GetString()!)).ToArray();
}
