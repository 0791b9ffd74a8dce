namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// Modifiers of a broadcast, as in the reference server. <see cref="Local"/> keeps it on this server;
/// <see cref="Timeout"/> bounds the wait for acknowledgements; <see cref="Volatile"/> allows the packet to be
/// dropped for a client that is not ready (this server delivers it anyway: dropping is allowed, not required).
/// Cluster adapters forward the flags with the broadcast, <see cref="Local"/> excepted.
/// </summary>
public sealed record BroadcastFlags
{
    /// <summary>No flag set.</summary>
    public static BroadcastFlags None { get; } = new();

    /// <summary>Deliver to this server's clients only, never forwarding to other servers.</summary>
    public bool Local { get; init; }

    /// <summary>The packet may be lost for a client that is not ready to receive it.</summary>
    public bool Volatile { get; init; }

    /// <summary>How long a broadcast with acknowledgements waits for them; null when none was set.</summary>
    public TimeSpan? Timeout { get; init; }
}
