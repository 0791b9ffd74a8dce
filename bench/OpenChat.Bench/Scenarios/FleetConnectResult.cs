using OpenChat.Bench.Client;

namespace OpenChat.Bench.Scenarios;

/// <summary>The clients that connected (in index order of completion), how many failed, and how long it took.</summary>
public sealed record FleetConnectResult(List<ChatWebSocketClient> Clients, int Failed, TimeSpan Elapsed, string? FirstError)
{
    public double ConnectsPerSecond => Elapsed.TotalSeconds > 0 ? Clients.Count / Elapsed.TotalSeconds : 0;
}
