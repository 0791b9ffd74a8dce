using System.Diagnostics;
using OpenChat.Bench.Client;
using OpenChat.Bench.Measurement;

namespace OpenChat.Bench.Scenarios;

/// <summary>Many quiet clients: server memory per connection, connect rate, and whether heartbeats keep all of them alive.</summary>
public static class IdleScenario
{
    public static async Task<IdleResult> RunAsync(IdleSettings settings, Uri server, CancellationToken cancellationToken)
    {
        var cpu = CpuClock.Start();
        await Pause.ForAsync(settings.SettleTime, cancellationToken);
        var baseline = Rss(settings);
        var cpuBefore = ProcessCpu.Seconds(settings.ServerProcessId);
        using var addresses = new SourceAddressPool(server, settings.SourceAddresses);
        var fleet = await ClientFleet.ConnectAsync(server, addresses, ChatFrameHandler.None, 0, settings.Clients, joinNamespace: true, addUsername: false, settings.ConnectConcurrency, cancellationToken);
        try
        {
            await Pause.ForAsync(settings.SettleTime, cancellationToken);
            var connectedBytes = Rss(settings);
            var cpuConnected = ProcessCpu.Seconds(settings.ServerProcessId);
            var holdStart = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(holdStart) < settings.Hold && !cancellationToken.IsCancellationRequested)
            {
                await Pause.ForAsync(TimeSpan.FromMilliseconds(500), cancellationToken);
            }

            var held = Stopwatch.GetElapsedTime(holdStart).TotalSeconds;
            var cpuHeld = ProcessCpu.Seconds(settings.ServerProcessId);
            var afterHold = Rss(settings);
            var alive = fleet.Clients.Count(c => c.IsAlive);
            var answered = fleet.Clients.Count(c => c.PingsAnswered > 0);
            var completed = fleet.Clients.Count == settings.Clients && held >= settings.Hold.TotalSeconds && alive == settings.Clients;
            var note = completed ? null : Explain(settings, fleet, alive, held);
            double? perConnection = afterHold is { } after && baseline is { } before && fleet.Clients.Count > 0 ? (after - before) / (double)fleet.Clients.Count : null;
            return new IdleResult(
                settings.Clients,
                fleet.Clients.Count,
                fleet.Failed,
                fleet.Elapsed.TotalSeconds,
                fleet.ConnectsPerSecond,
                baseline,
                connectedBytes,
                afterHold,
                perConnection,
                alive,
                answered,
                held,
                completed,
                note,
                cpu.Stop().CpuSeconds)
            {
                ServerCpuDuringHold = cpuHeld - cpuConnected is { } holding && held > 0 ? holding / held : null,
                ServerCpuPerConnect = cpuConnected - cpuBefore is { } connecting && fleet.Clients.Count > 0 ? connecting / fleet.Clients.Count : null,
            };
        }
        finally
        {
            await ClientFleet.CloseAllAsync(fleet.Clients);
        }
    }

    private static string Explain(IdleSettings settings, FleetConnectResult fleet, int alive, double held)
    {
        if (fleet.Clients.Count < settings.Clients)
        {
            return $"connected {fleet.Clients.Count} of {settings.Clients}" + (fleet.Failed > 0 ? $"; {fleet.Failed} failed ({fleet.FirstError})" : " before the time cap");
        }

        return held < settings.Hold.TotalSeconds ? $"time cap reached after holding {held:F0} s" : $"{settings.Clients - alive} connections dropped while idle";
    }

    private static long? Rss(IdleSettings settings) => settings.ServerProcessId is { } pid ? ProcessMemory.ResidentBytes(pid) : null;
}
