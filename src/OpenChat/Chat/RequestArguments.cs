using System.Text.Json;
using OpenChat.SocketIO;

namespace OpenChat.Chat;

/// <summary>Reading the first argument of a request that is either a plain string or an object with that string under a name.</summary>
internal static class RequestArguments
{
    /// <summary><c>"value"</c> or <c>{name: "value"}</c>; null when the argument is neither.</summary>
    public static string? StringOrProperty(EventArguments arguments, string name)
    {
        if (arguments.Count == 0)
        {
            return null;
        }

        if (arguments.TryGet<string>(0, out var direct) && direct is not null)
        {
            return direct;
        }

        return Property(arguments[0], name);
    }

    /// <summary>A string property of an object argument, or null.</summary>
    public static string? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
