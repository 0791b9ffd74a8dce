using System.Collections.Concurrent;
using System.Diagnostics;
using OpenChat.Bench.Client;
using OpenChat.Bench.Measurement;
using OpenChat.Bench.Protocol;

namespace OpenChat.Bench.Scenarios;

/// <summary>Chat over HTTP long-polling only: delivered messages per second, latency and loss.</summary>
public static class PollingScenario
{
    /// <summary>Runs the chat; with the server's <paramref name="serverProcessId"/> it also reports the server's CPU time.</summary>
    public static async Task<PollingResult> RunAsync(PollingSettings settings, Uri server, CancellationToken cancellationToken, int? serverProcessId = null)
    {
        var cpu = CpuClock.Start();
        var meter = new FanOutMeter(settings.Clients, 0);
        using var addresses = new SourceAddressPool(server, settings.SourceAddresses);
        var connected = new ConcurrentBag<ChatPollingClient>();
        var failed = 0;
        string? firstError = null;
        var connectStart = Stopwatch.GetTimestamp();
        using (var gate = new SemaphoreSlim(settings.ConnectConcurrency))
        {
            await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(async index =>
            {
                var client = new ChatPollingClient(index, addresses.HttpClientFor(index), server, meter);
                try
                {
                    await gate.WaitAsync(cancellationToken);
                    try
                    {
                        await client.ConnectAsync(cancellationToken);
                        await client.SendAsync(EngineIoFrames.AddUsername(UsernameDigest.NameFor(index)), cancellationToken);
                        connected.Add(client);
                    }
                    finally
                    {
                        gate.Release();
                    }
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
            }));
        }

        var connectSeconds = Stopwatch.GetElapsedTime(connectStart).TotalSeconds;
        var clients = connected.OrderBy(c => c.Index).ToArray();
        try
        {
            if (clients.Length < settings.Clients)
            {
                return new PollingResult(settings.Clients, clients.Length, connectSeconds, null, false, failed > 0 ? $"{failed} clients failed to connect ({firstError})" : "time cap reached while connecting", cpu.Stop().CpuSeconds);
            }

            await Pause.ForAsync(settings.SettleTime, cancellationToken);
            var serverCpu = ProcessCpu.Seconds(serverProcessId);
            var serverBytes = ServerSocketBytes.Sent(server.Port);
            var start = Stopwatch.GetTimestamp();
            meter.StartLevel(start, null);
            var (issued, sendFailures) = await Pacer.RunAsync(settings.OfferedRate, settings.Duration, clients.Length, slot =>
            {
                var frame = new byte[EngineIoFrames.ChatMessageCapacity(settings.PaddingBytes)];
                var length = EngineIoFrames.WriteChatMessage(frame, Stopwatch.GetTimestamp(), settings.PaddingBytes, settings.RealisticText);
                return clients[slot].SendAsync(frame[..length], cancellationToken);
            }, cancellationToken);
            var sendEnd = Stopwatch.GetTimestamp();
            meter.EndSending(sendEnd);
            var expected = (issued - sendFailures) * clients.Length;
            var drainUntil = Stopwatch.GetTimestamp() + (long)(settings.DrainTimeout.TotalSeconds * Stopwatch.Frequency);
            while (meter.Latency.Count < expected && Stopwatch.GetTimestamp() < drainUntil && !cancellationToken.IsCancellationRequested)
            {
                await Pause.ForAsync(TimeSpan.FromMilliseconds(20), cancellationToken);
            }

            var sendSeconds = (sendEnd - start) / (double)Stopwatch.Frequency;
            var latency = meter.Latency;
            var level = new FanOutLevelResult(
                settings.OfferedRate,
                false,
                issued - sendFailures,
                sendFailures,
                expected,
                latency.Count,
                (issued - sendFailures) / sendSeconds,
                meter.DeliveredInWindow / sendSeconds,
                latency.PercentileMilliseconds(0.50),
                latency.PercentileMilliseconds(0.99),
                latency.PercentileMilliseconds(0.999),
                latency.MaxMilliseconds,
                ProcessCpu.Seconds(serverProcessId) - serverCpu,
                ServerSocketBytes.Sent(server.Port) - serverBytes);
            var alive = clients.Count(c => c.IsAlive);
            var completed = !cancellationToken.IsCancellationRequested && alive == clients.Length;
            var note = alive < clients.Length ? $"{clients.Length - alive} clients lost their session" : cancellationToken.IsCancellationRequested ? "time cap reached" : null;
            return new PollingResult(settings.Clients, clients.Length, connectSeconds, level, completed, note, cpu.Stop().CpuSeconds);
        }
        finally
        {
            using var gate = new SemaphoreSlim(64);
            await Task.WhenAll(clients.Select(async c =>
            {
                await gate.WaitAsync();
                try
                {
                    await c.DisposeAsync();
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
    }
}
