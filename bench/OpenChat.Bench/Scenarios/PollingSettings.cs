namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Long-polling chat: <see cref="Clients"/> HTTP long-polling clients, all of them sending, together
/// <see cref="OfferedRate"/> messages per second for <see cref="Duration"/>; every client receives every message.
/// </summary>
public sealed record PollingSettings
{
    public int Clients { get; init; } = 200;

    public double OfferedRate { get; init; } = 50;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(1);

    public int PaddingBytes { get; init; } = 16;

    /// <summary>Chat-like text as the filler instead of <c>x</c>s (for compression).</summary>
    public bool RealisticText { get; init; }

    public int ConnectConcurrency { get; init; } = 32;

    public int SourceAddresses { get; init; } = 4;
}
