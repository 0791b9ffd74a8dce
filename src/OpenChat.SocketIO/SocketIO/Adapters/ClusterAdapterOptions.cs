namespace OpenChat.SocketIO.Adapters;

/// <summary>Timing of a <see cref="ClusterAdapter"/>; the defaults are socket.io-adapter's.</summary>
public class ClusterAdapterOptions
{
    /// <summary>How often a server tells the others it is alive. Default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a server may stay silent before the others consider it gone (raising
    /// <see cref="SocketIOAdapter.ServerLeft"/>); checked every second. Default 10 s.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a fetch or a server-side emit with acknowledgement waits for the other servers. Default 5 s.</summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The problems with these values, if any.</summary>
    public IEnumerable<string> Validate()
    {
        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatTimeout <= TimeSpan.Zero || RequestsTimeout <= TimeSpan.Zero)
        {
            yield return "HeartbeatInterval, HeartbeatTimeout and RequestsTimeout must be positive.";
        }

        if (HeartbeatTimeout <= HeartbeatInterval)
        {
            yield return "HeartbeatTimeout must be longer than HeartbeatInterval, or every server would seem gone between two heartbeats.";
        }
    }
}
