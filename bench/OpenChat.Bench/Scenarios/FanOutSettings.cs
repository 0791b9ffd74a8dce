namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Fan-out: <see cref="Clients"/> chat clients all receive every message; the first <see cref="Senders"/> of
/// them also send. Each rate in <see cref="OfferedRates"/> (messages per second into the server) runs for
/// <see cref="LevelDuration"/>; with <see cref="IncludeMaxRate"/> a closed-loop level follows where each
/// sender keeps <see cref="MaxRateWindow"/> messages in flight.
/// </summary>
public sealed record FanOutSettings
{
    public int Clients { get; init; } = 100;

    public int Senders { get; init; } = 10;

    public IReadOnlyList<double> OfferedRates { get; init; } = [100, 1000];

    public bool IncludeMaxRate { get; init; } = true;

    public int MaxRateWindow { get; init; } = 4;

    public TimeSpan LevelDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after the last send the deliveries may still arrive before the rest counts as lost.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Pause after everyone joined, so presence updates have settled before measuring.</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Unrecorded traffic on the connected clients before the first level: half at the first offered rate, half
    /// at the maximum rate, then a wait until the server's CPU is quiet (see <see cref="ServerQuiet"/>). A JIT
    /// compiles the code of this case's own shape (these many clients, these rates) while it runs, not during
    /// the levels. Zero: none.
    /// </summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.Zero;

    /// <summary>Bytes of filler after the timestamp in each message.</summary>
    public int PaddingBytes { get; init; } = 16;

    /// <summary>Chat-like text as the filler instead of <c>x</c>s (for compression, which shrinks repeats a hundredfold).</summary>
    public bool RealisticText { get; init; }

    public int ConnectConcurrency { get; init; } = 64;

    public int SourceAddresses { get; init; } = 8;
}
