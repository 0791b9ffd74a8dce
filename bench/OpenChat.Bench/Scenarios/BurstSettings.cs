namespace OpenChat.Bench.Scenarios;

/// <summary>
/// A burst: <see cref="Clients"/> chat clients join at once, each names itself, then they all leave; the
/// server's resident memory is then sampled every second for up to <see cref="ReturnWindow"/> to see when it
/// comes back within <see cref="Tolerance"/> of its level before the burst.
/// </summary>
public sealed record BurstSettings
{
    public int Clients { get; init; } = 5000;

    /// <summary>How long memory is watched after the clients left.</summary>
    public TimeSpan ReturnWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How close to the level before the burst counts as back.</summary>
    public long Tolerance { get; init; } = 32 * 1024 * 1024;

    /// <summary>The server process whose resident memory is sampled; null skips the memory figures.</summary>
    public int? ServerProcessId { get; init; }

    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(2);

    public int ConnectConcurrency { get; init; } = 128;

    public int SourceAddresses { get; init; } = 16;
}
