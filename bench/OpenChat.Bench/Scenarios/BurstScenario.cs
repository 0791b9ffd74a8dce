using System.Diagnostics;
using OpenChat.Bench.Client;
using OpenChat.Bench.Measurement;

namespace OpenChat.Bench.Scenarios;

/// <summary>Memory after a burst: does the server give back what a crowd took once the crowd is gone?</summary>
public static class BurstScenario
{
    public static async Task<BurstResult> RunAsync(BurstSettings settings, Uri server, CancellationToken cancellationToken)
    {
        var cpu = CpuClock.Start();
        await Pause.ForAsync(settings.SettleTime, cancellationToken);
        var baseline = Rss(settings);
        using var addresses = new SourceAddressPool(server, settings.SourceAddresses);
        var fleet = await ClientFleet.ConnectAsync(server, addresses, ChatFrameHandler.None, 0, settings.Clients, joinNamespace: true, addUsername: true, settings.ConnectConcurrency, cancellationToken);
        await Pause.ForAsync(settings.SettleTime, cancellationToken);
        var peak = Max(baseline, Rss(settings));
        await ClientFleet.CloseAllAsync(fleet.Clients);

        // Watch until back within the tolerance (and one more reading to see it stays), or the window ends.
        var left = Stopwatch.GetTimestamp();
        double? back = null;
        var end = Rss(settings);
        while (Stopwatch.GetElapsedTime(left) < settings.ReturnWindow && !cancellationToken.IsCancellationRequested)
        {
            await Pause.ForAsync(TimeSpan.FromSeconds(1), cancellationToken);
            end = Rss(settings);
            peak = Max(peak, end);
            if (back is null && end is long now && baseline is long before && now - before <= settings.Tolerance)
            {
                back = Stopwatch.GetElapsedTime(left).TotalSeconds;
            }
            else if (back is not null && Stopwatch.GetElapsedTime(left).TotalSeconds > back + 5)
            {
                break;
            }
        }

        var watched = Stopwatch.GetElapsedTime(left).TotalSeconds;
        var connectedAll = fleet.Clients.Count == settings.Clients;
        var completed = connectedAll && (back is not null || settings.ServerProcessId is null);
        var note = !connectedAll
            ? $"connected {fleet.Clients.Count} of {settings.Clients}" + (fleet.Failed > 0 ? $"; {fleet.Failed} failed ({fleet.FirstError})" : string.Empty)
            : back is null && settings.ServerProcessId is not null ? $"memory not back within {settings.Tolerance / (1024 * 1024)} MiB of the level before after {watched:F0} s" : null;
        return new BurstResult(settings.Clients, fleet.Clients.Count, baseline, peak, end, back, watched, completed, note, cpu.Stop().CpuSeconds);
    }

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static long? Rss(BurstSettings settings) => settings.ServerProcessId is { } pid ? ProcessMemory.ResidentBytes(pid) : null;
}
