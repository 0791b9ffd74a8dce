using System.Collections.Concurrent;
using System.Diagnostics;
using OpenChat.Bench.Client;

namespace OpenChat.Bench.Scenarios;

/// <summary>Connects many WebSocket chat clients with a bounded number of handshakes in flight.</summary>
public static class ClientFleet
{
    /// <summary>
    /// Connects clients <paramref name="firstIndex"/> .. +<paramref name="count"/>; each joins the namespace and,
    /// when <paramref name="addUsername"/>, announces its name. Stops launching when cancelled and returns what
    /// it reached instead of throwing.
    /// </summary>
    public static async Task<FleetConnectResult> ConnectAsync(
        Uri server,
        SourceAddressPool addresses,
        ChatFrameHandler handler,
        int firstIndex,
        int count,
        bool joinNamespace,
        bool addUsername,
        int concurrency,
        CancellationToken cancellationToken)
    {
        var connected = new ConcurrentBag<ChatWebSocketClient>();
        var failed = 0;
        string? firstError = null;
        var started = Stopwatch.GetTimestamp();
        using var gate = new SemaphoreSlim(Math.Max(1, concurrency));
        var pending = new List<Task>(count);
        for (var i = 0; i < count && !cancellationToken.IsCancellationRequested; i++)
        {
            try
            {
                await gate.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var index = firstIndex + i;
            pending.Add(Task.Run(async () =>
            {
                var client = new ChatWebSocketClient(index, handler);
                try
                {
                    await client.ConnectAsync(server, addresses.InvokerFor(index), joinNamespace, cancellationToken);
                    if (addUsername)
                    {
                        await client.SendAsync(Protocol.EngineIoFrames.AddUsername(client.Name), cancellationToken);
                    }

                    connected.Add(client);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    if (!cancellationToken.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstError, e.GetType().Name + ": " + e.Message, null);
                    }

                    await client.DisposeAsync();
                }
                finally
                {
                    gate.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(pending);
        var clients = connected.OrderBy(c => c.Index).ToList();
        return new FleetConnectResult(clients, failed, Stopwatch.GetElapsedTime(started), firstError);
    }

    /// <summary>Closes every client, a bounded number at a time.</summary>
    public static async Task CloseAllAsync(IEnumerable<ChatWebSocketClient> clients, int concurrency = 256)
    {
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(clients.Select(async client =>
        {
            await gate.WaitAsync();
            try
            {
                await client.DisposeAsync();
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
