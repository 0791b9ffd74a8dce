using OpenChat.Bench.Client;
using OpenChat.Bench.Measurement;

namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Connections opened and closed before a case, unrecorded: the fan-out warm-up connects only a few dozen
/// clients, so the connect path (accept, HTTP upgrade, handshake, CONNECT) stayed on a JIT's first code and the
/// connect storms measured partly unoptimized code that tiered up halfway through. Each pass connects
/// <see cref="Clients"/> clients as the idle cases do and closes them; the server then goes quiet before the next,
/// so a tiered JIT can promote what the pass made hot.
/// </summary>
public static class ConnectWarmUp
{
    public const int Clients = 1000;

    public const int Passes = 3;

    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(20);

    /// <summary>Returns after <see cref="Passes"/> passes or the cap (a slow server gets a shorter warm-up, not a failure).</summary>
    public static async Task RunAsync(Uri server, int? processId, CancellationToken cancellationToken)
    {
        using var cap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cap.CancelAfter(Cap);
        using var addresses = new SourceAddressPool(server, 1);
        for (var pass = 0; pass < Passes && !cap.IsCancellationRequested; pass++)
        {
            var fleet = await ClientFleet.ConnectAsync(server, addresses, ChatFrameHandler.None, pass * Clients, Clients, joinNamespace: true, addUsername: false, concurrency: 128, cap.Token);
            await ClientFleet.CloseAllAsync(fleet.Clients);
            await ServerQuiet.WaitAsync(processId, cap.Token);
        }
    }
}
