namespace OpenChat.SocketIO;

/// <summary>
/// Some clients did not acknowledge a broadcast in time ("operation has timed out" in the reference server);
/// <see cref="Responses"/> holds the acknowledgements that came.
/// </summary>
public sealed class BroadcastAckTimeoutException(IReadOnlyList<EventArguments> responses)
    : TimeoutException("operation has timed out")
{
    /// <summary>The acknowledgements received before the timeout, each holding a client's first argument.</summary>
    public IReadOnlyList<EventArguments> Responses { get; } = responses;
}
