using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace OpenChat.SocketIO.Protocol;

/// <summary>Reads JSON strings that came from a client.</summary>
internal static class JsonStrings
{
    /// <summary>
    /// Reads a string element. Valid JSON may escape a lone surrogate (<c>"\ud800"</c>), which
    /// <see cref="JsonElement.GetString"/> refuses with an exception; here it is just false.
    /// </summary>
    public static bool TryGet(JsonElement element, [NotNullWhen(true)] out string? text)
    {
        text = null;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
