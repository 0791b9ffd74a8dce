using System.Diagnostics;
using OpenChat.Bench.Client;
using OpenChat.Bench.Measurement;
using OpenChat.Bench.Protocol;

namespace OpenChat.Bench.Scenarios;

/// <summary>Connect, chat, disconnect, over and over: cycle rate, failures, and whether the server gives memory back.</summary>
public static class ChurnScenario
{
    public static async Task<ChurnResult> RunAsync(ChurnSettings settings, Uri server, CancellationToken cancellationToken)
    {
        var cpu = CpuClock.Start();
        await Pause.ForAsync(settings.SettleTime, cancellationToken);
        var baseline = Rss(settings);
        var watcher = new ChurnEchoWatcher(settings.Cycles);
        using var addresses = new SourceAddressPool(server, settings.SourceAddresses);
        var next = -1;
        var completed = 0;
        var failed = 0;
        string? firstError = null;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, settings.Concurrency)).Select(_ => Task.Run(async () =>
        {
            int index;
            while (!cancellationToken.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < settings.Cycles)
            {
                var client = new ChatWebSocketClient(index, watcher);
                try
                {
                    await client.ConnectAsync(server, addresses.InvokerFor(index), joinNamespace: true, cancellationToken);
                    await client.SendAsync(EngineIoFrames.AddUsername(client.Name), cancellationToken);
                    var frame = new byte[EngineIoFrames.ChatMessageCapacity(16)];
                    var sentAt = Stopwatch.GetTimestamp();
                    var length = EngineIoFrames.WriteChatMessage(frame, sentAt, 16);
                    var echoed = watcher.Expect(index, sentAt);
                    await client.SendAsync(frame.AsMemory(0, length), cancellationToken);
                    await echoed.WaitAsync(settings.EchoTimeout, cancellationToken);
                    await client.CloseAsync();
                    Interlocked.Increment(ref completed);
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
                    watcher.Forget(index);
                }
            }
        }, CancellationToken.None)));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Pause.ForAsync(settings.SettleTime, cancellationToken);
        var after = Rss(settings);
        var done = completed == settings.Cycles;
        var note = done ? null : failed > 0 ? $"{failed} cycles failed ({firstError})" : $"time cap reached after {completed} cycles";
        return new ChurnResult(settings.Cycles, completed, failed, seconds, completed / seconds, baseline, after, done, note, cpu.Stop().CpuSeconds);
    }

    private static long? Rss(ChurnSettings settings) => settings.ServerProcessId is { } pid ? ProcessMemory.ResidentBytes(pid) : null;
}
