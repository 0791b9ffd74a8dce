namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Churn: <see cref="Cycles"/> times, a client connects, names itself, sends one message, waits to see it
/// come back and disconnects; <see cref="Concurrency"/> such clients at once.
/// </summary>
public sealed record ChurnSettings
{
    public int Cycles { get; init; } = 1000;

    public int Concurrency { get; init; } = 32;

    /// <summary>The server process whose resident memory is compared before and after; null skips it.</summary>
    public int? ServerProcessId { get; init; }

    /// <summary>Quiet time before the baseline and before the final reading, so sessions can be cleaned up.</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a client waits for its own message.</summary>
    public TimeSpan EchoTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int SourceAddresses { get; init; } = 16;
}
