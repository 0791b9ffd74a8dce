namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Connect storm: <see cref="Clients"/> chat clients connect and send <c>add_username</c> as fast as
/// <see cref="ConnectConcurrency"/> handshakes in flight allow; then the harness waits (at most
/// <see cref="ConvergenceTimeout"/>) for every client's latest <c>usernames</c> list to be exactly the set of all names,
/// and reads the server's memory once everyone has settled, still connected.
/// </summary>
public sealed record StormSettings
{
    public int Clients { get; init; } = 1000;

    public int ConnectConcurrency { get; init; } = 128;

    public TimeSpan ConvergenceTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public int SourceAddresses { get; init; } = 16;

    /// <summary>The server's pid, to read its resident memory at the peak and after <see cref="SettleTime"/>; null to skip.</summary>
    public int? ServerProcessId { get; init; }

    /// <summary>
    /// How long the clients stay connected and quiet after the lists are exact, before the memory is read. Two
    /// checks of OpenChat's idle memory trimmer (every 10 s, each judging quiet by what was allocated since the
    /// previous one): the first check after the storm may still count its tail as busy. 15 s caught the trim in
    /// one round of two and missed it in the other (391 and 603 MiB).
    /// </summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(25);
}
