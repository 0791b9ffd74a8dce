namespace OpenChat.SocketIO;

/// <summary>An acknowledgement can no longer arrive because the socket disconnected.</summary>
public sealed class SocketDisconnectedException(string reason) : Exception($"The socket disconnected ({reason}) before acknowledging.")
{
    /// <summary>The disconnect reason.</summary>
    public string Reason => reason;
}
