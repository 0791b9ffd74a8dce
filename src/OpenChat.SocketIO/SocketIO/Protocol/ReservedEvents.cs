namespace OpenChat.SocketIO.Protocol;

/// <summary>Event names the protocol keeps for itself: a client may not send them and the server may not emit them.</summary>
internal static class ReservedEvents
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    };

    public static bool Contains(string eventName) => Names.Contains(eventName);
}
