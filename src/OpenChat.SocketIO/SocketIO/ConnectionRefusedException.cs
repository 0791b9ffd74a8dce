namespace OpenChat.SocketIO;

/// <summary>
/// Thrown by namespace middleware to refuse a connection. The client receives CONNECT_ERROR with
/// <c>{"message": Message, "data": Details}</c> (the official client's <c>connect_error</c> event).
/// </summary>
public sealed class ConnectionRefusedException(string message, object? details = null) : Exception(message)
{
    /// <summary>Extra information sent to the client as <c>data</c>; omitted when null.</summary>
    public object? Details => details;
}
