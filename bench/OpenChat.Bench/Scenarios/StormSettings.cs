namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Connect storm: <see cref="Clients"/> chat clients connect and send <c>add_username</c> as fast as
/// <see cref="ConnectConcurrency"/> handshakes in flight allow; then the harness waits (at most
/// <see cref="ConvergenceTimeout"/>) for every client's latest <c>usernames</c> list to be exactly the set of all names.
/// </summary>
public sealed record StormSettings
{
    public int Clients { get; init; } = 1000;

    public int ConnectConcurrency { get; init; } = 128;

    public TimeSpan ConvergenceTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public int SourceAddresses { get; init; } = 16;
}
