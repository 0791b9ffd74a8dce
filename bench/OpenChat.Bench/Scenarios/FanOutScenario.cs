using System.Diagnostics;
using OpenChat.Bench.Client;
using OpenChat.Bench.Measurement;
using OpenChat.Bench.Protocol;

namespace OpenChat.Bench.Scenarios;

/// <summary>Every message goes to every client: delivered messages per second, end-to-end latency, loss.</summary>
public static class FanOutScenario
{
    /// <summary>Runs the levels; with the server's <paramref name="serverProcessId"/>, each level also reports the server's CPU time.</summary>
    public static Task<FanOutResult> RunAsync(FanOutSettings settings, Uri server, CancellationToken cancellationToken, int? serverProcessId = null) =>
        RunAsync(settings, [server], cancellationToken, serverProcessId);

    /// <summary>
    /// Fan-out over several instances of one cluster: the clients are split evenly between them, in order (the
    /// senders, the first clients, are on the first instance), and every message must reach every client of all.
    /// With <paramref name="serverProcessId"/>, the CPU time reported is that process's (the first instance's).
    /// </summary>
    public static async Task<FanOutResult> RunAsync(FanOutSettings settings, IReadOnlyList<Uri> servers, CancellationToken cancellationToken, int? serverProcessId = null)
    {
        var cpu = CpuClock.Start();
        var senders = Math.Min(settings.Senders, settings.Clients);
        var meter = new FanOutMeter(settings.Clients, senders);
        using var addresses = new SourceAddressPool(servers[0], settings.SourceAddresses);
        var fleet = await ConnectAsync(settings, servers, addresses, meter, cancellationToken);
        var levels = new List<FanOutLevelResult>();
        string? note = fleet.Failed > 0 ? $"{fleet.Failed} clients failed to connect ({fleet.FirstError})" : null;
        try
        {
            var byIndex = fleet.Clients.ToDictionary(c => c.Index);
            var senderClients = Enumerable.Range(0, senders).Select(i => byIndex.GetValueOrDefault(i)).ToArray();
            if (fleet.Clients.Count < settings.Clients || senderClients.Any(s => s is null))
            {
                return Finish(false, note ?? "cancelled while connecting");
            }

            await Pause.ForAsync(settings.SettleTime, cancellationToken);
            if (settings.WarmUp > TimeSpan.Zero && !cancellationToken.IsCancellationRequested)
            {
                await WarmUpAsync(settings, meter, fleet.Clients, senderClients!, serverProcessId, cancellationToken);
            }

            foreach (var rate in settings.OfferedRates)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                var usage = LevelUsage.Start(serverProcessId, servers[0].Port);
                var level = await RunFixedRateAsync(settings, meter, fleet.Clients, senderClients!, rate, cancellationToken);
                levels.Add(usage.Complete(level));
            }

            if (settings.IncludeMaxRate && !cancellationToken.IsCancellationRequested)
            {
                var usage = LevelUsage.Start(serverProcessId, servers[0].Port);
                var level = await RunMaxRateAsync(settings, meter, fleet.Clients, senderClients!, cancellationToken);
                levels.Add(usage.Complete(level));
            }

            var finished = !cancellationToken.IsCancellationRequested && levels.Count == settings.OfferedRates.Count + (settings.IncludeMaxRate ? 1 : 0);
            var alive = fleet.Clients.Count(c => c.IsAlive);
            if (alive < fleet.Clients.Count)
            {
                note = $"{fleet.Clients.Count - alive} clients were disconnected during the run";
            }

            return Finish(finished, finished ? note : note ?? "time cap reached");
        }
        finally
        {
            await ClientFleet.CloseAllAsync(fleet.Clients);
        }

        FanOutResult Finish(bool completed, string? why)
        {
            var (cpuSeconds, cores) = cpu.Stop();
            return new FanOutResult(settings.Clients, fleet.Clients.Count, fleet.Elapsed.TotalSeconds, levels, completed, why, cpuSeconds, cores);
        }
    }

    /// <summary>The levels' own traffic, unrecorded, then the server's CPU left to go quiet and presence to settle.</summary>
    private static async Task WarmUpAsync(FanOutSettings settings, FanOutMeter meter, List<ChatWebSocketClient> clients, ChatWebSocketClient[] senders, int? serverProcessId, CancellationToken cancellationToken)
    {
        var half = settings with { LevelDuration = settings.WarmUp / 2, DrainTimeout = TimeSpan.FromSeconds(2) };
        if (settings.OfferedRates.Count > 0)
        {
            await RunFixedRateAsync(half, meter, clients, senders, settings.OfferedRates[0], cancellationToken);
        }

        if (!cancellationToken.IsCancellationRequested)
        {
            await RunMaxRateAsync(half, meter, clients, senders, cancellationToken);
        }

        await ServerQuiet.WaitAsync(serverProcessId, cancellationToken);
        await Pause.ForAsync(settings.SettleTime, cancellationToken);
    }

    private static async Task<FleetConnectResult> ConnectAsync(FanOutSettings settings, IReadOnlyList<Uri> servers, SourceAddressPool addresses, FanOutMeter meter, CancellationToken cancellationToken)
    {
        var clients = new List<ChatWebSocketClient>();
        var failed = 0;
        string? firstError = null;
        var elapsed = TimeSpan.Zero;
        for (var s = 0; s < servers.Count; s++)
        {
            var first = settings.Clients * s / servers.Count;
            var count = (settings.Clients * (s + 1) / servers.Count) - first;
            var part = await ClientFleet.ConnectAsync(servers[s], addresses, meter, first, count, joinNamespace: true, addUsername: true, settings.ConnectConcurrency, cancellationToken);
            clients.AddRange(part.Clients);
            failed += part.Failed;
            firstError ??= part.FirstError;
            elapsed += part.Elapsed;
        }

        return new FleetConnectResult(clients, failed, elapsed, firstError);
    }

    private static async Task<FanOutLevelResult> RunFixedRateAsync(FanOutSettings settings, FanOutMeter meter, List<ChatWebSocketClient> clients, ChatWebSocketClient[] senders, double rate, CancellationToken cancellationToken)
    {
        var buffers = senders.Select(_ => new byte[EngineIoFrames.ChatMessageCapacity(settings.PaddingBytes)]).ToArray();
        var locks = senders.Select(_ => new SemaphoreSlim(1, 1)).ToArray();
        var start = Stopwatch.GetTimestamp();
        meter.StartLevel(start, null);
        var (issued, failed) = await Pacer.RunAsync(rate, settings.LevelDuration, senders.Length, async slot =>
        {
            // One buffer per sender: wait for the previous send from this sender to finish with it.
            await locks[slot].WaitAsync(cancellationToken);
            try
            {
                var length = EngineIoFrames.WriteChatMessage(buffers[slot], Stopwatch.GetTimestamp(), settings.PaddingBytes, settings.RealisticText);
                await senders[slot].SendAsync(buffers[slot].AsMemory(0, length), cancellationToken);
            }
            finally
            {
                locks[slot].Release();
            }
        }, cancellationToken);
        var sendEnd = Stopwatch.GetTimestamp();
        meter.EndSending(sendEnd);
        return await CompleteLevelAsync(settings, meter, clients.Count, rate, false, issued, failed, start, sendEnd, cancellationToken);
    }

    private static async Task<FanOutLevelResult> RunMaxRateAsync(FanOutSettings settings, FanOutMeter meter, List<ChatWebSocketClient> clients, ChatWebSocketClient[] senders, CancellationToken cancellationToken)
    {
        var windows = senders.Select(_ => new SemaphoreSlim(settings.MaxRateWindow)).ToArray();
        var start = Stopwatch.GetTimestamp();
        meter.StartLevel(start, windows);
        var until = start + (long)(settings.LevelDuration.TotalSeconds * Stopwatch.Frequency);
        long sent = 0;
        long failed = 0;
        await Task.WhenAll(senders.Select((sender, slot) => Task.Run(async () =>
        {
            var buffer = new byte[EngineIoFrames.ChatMessageCapacity(settings.PaddingBytes)];
            while (Stopwatch.GetTimestamp() < until && !cancellationToken.IsCancellationRequested)
            {
                // Wait for one of this sender's messages to come back (bounded, so a lost message cannot stall it).
                if (!await windows[slot].WaitAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None))
                {
                    continue;
                }

                try
                {
                    var length = EngineIoFrames.WriteChatMessage(buffer, Stopwatch.GetTimestamp(), settings.PaddingBytes, settings.RealisticText);
                    await sender.SendAsync(buffer.AsMemory(0, length), cancellationToken);
                    Interlocked.Increment(ref sent);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Interlocked.Increment(ref failed);
                    break;
                }
            }
        }, CancellationToken.None)));
        var sendEnd = Stopwatch.GetTimestamp();
        meter.EndSending(sendEnd);
        return await CompleteLevelAsync(settings, meter, clients.Count, 0, true, sent + failed, failed, start, sendEnd, cancellationToken);
    }

    private static async Task<FanOutLevelResult> CompleteLevelAsync(FanOutSettings settings, FanOutMeter meter, int receivers, double rate, bool isMax, long issued, long failed, long start, long sendEnd, CancellationToken cancellationToken)
    {
        var expected = (issued - failed) * receivers;
        var drainUntil = Stopwatch.GetTimestamp() + (long)(settings.DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (meter.Latency.Count < expected && Stopwatch.GetTimestamp() < drainUntil && !cancellationToken.IsCancellationRequested)
        {
            await Pause.ForAsync(TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        var latency = meter.Latency;
        var sendSeconds = (sendEnd - start) / (double)Stopwatch.Frequency;
        return new FanOutLevelResult(
            rate,
            isMax,
            issued - failed,
            failed,
            expected,
            latency.Count,
            (issued - failed) / sendSeconds,
            meter.DeliveredInWindow / sendSeconds,
            latency.PercentileMilliseconds(0.50),
            latency.PercentileMilliseconds(0.99),
            latency.PercentileMilliseconds(0.999),
            latency.MaxMilliseconds);
    }
}
