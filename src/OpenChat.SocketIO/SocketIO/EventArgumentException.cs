namespace OpenChat.SocketIO;

/// <summary>
/// An event argument is missing or cannot be read as the type asked for (<see cref="EventArguments.Get{T}(int)"/>:
/// <c>"abc"</c> or <c>7.5</c> as an <c>int</c>). Thrown in a handler, it is logged at Debug (the client sent it)
/// and, with <see cref="SocketIOOptions.AcknowledgeHandlerErrors"/>, its message answers the client's
/// acknowledgement. <see cref="EventArguments.TryGet{T}(int, out T)"/> is the way that does not throw.
/// </summary>
public sealed class EventArgumentException : Exception
{
    internal EventArgumentException(int index, Type targetType, string message, Exception? inner = null)
        : base(message, inner)
    {
        Index = index;
        TargetType = targetType;
    }

    /// <summary>The position of the argument (0 for the first after the event name).</summary>
    public int Index { get; }

    /// <summary>The type the argument was to be read as.</summary>
    public Type TargetType { get; }
}
