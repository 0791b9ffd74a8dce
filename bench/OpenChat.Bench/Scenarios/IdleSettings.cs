namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Idle connections: <see cref="Clients"/> chat clients join (Engine.IO session plus Socket.IO CONNECT, so each
/// is a "Guest" in the chat) and then only answer heartbeats for <see cref="Hold"/>.
/// </summary>
public sealed record IdleSettings
{
    public int Clients { get; init; } = 1000;

    /// <summary>How long to hold them; longer than the servers' ping interval (25 s) proves heartbeats work.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The server process whose resident memory is sampled; null skips the memory figures.</summary>
    public int? ServerProcessId { get; init; }

    /// <summary>Quiet time before the baseline and after connecting, so memory readings are not mid-burst.</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(2);

    public int ConnectConcurrency { get; init; } = 128;

    public int SourceAddresses { get; init; } = 16;
}
