using System.Diagnostics;
using OpenChat.Bench.Client;
using OpenChat.Bench.Measurement;

namespace OpenChat.Bench.Scenarios;

/// <summary>Everyone arrives at once: connect rate, presence traffic, and how long until every list is right.</summary>
public static class StormScenario
{
    public static async Task<StormResult> RunAsync(StormSettings settings, Uri server, CancellationToken cancellationToken)
    {
        var cpu = CpuClock.Start();
        var tracker = new StormPresenceTracker(settings.Clients);
        using var addresses = new SourceAddressPool(server, settings.SourceAddresses);
        var started = Stopwatch.GetTimestamp();
        long? peak = null;
        using var sampling = new CancellationTokenSource();
        var sampler = settings.ServerProcessId is { } pid ? SamplePeakAsync(pid, sampling.Token) : Task.CompletedTask;
        async Task SamplePeakAsync(int processId, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                if (ProcessMemory.ResidentBytes(processId) is { } now && now > (peak ?? 0))
                {
                    peak = now;
                }

                try
                {
                    await Task.Delay(100, stop);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        var fleet = await ClientFleet.ConnectAsync(server, addresses, tracker, 0, settings.Clients, joinNamespace: true, addUsername: true, settings.ConnectConcurrency, cancellationToken);
        try
        {
            var indexes = fleet.Clients.Select(c => c.Index).ToArray();
            var waitUntil = Stopwatch.GetTimestamp() + (long)(settings.ConvergenceTimeout.TotalSeconds * Stopwatch.Frequency);
            var (exact, latest) = tracker.Survey(indexes);
            while (fleet.Clients.Count == settings.Clients && exact < settings.Clients && Stopwatch.GetTimestamp() < waitUntil && !cancellationToken.IsCancellationRequested)
            {
                await Pause.ForAsync(TimeSpan.FromMilliseconds(50), cancellationToken);
                (exact, latest) = tracker.Survey(indexes);
            }

            var allExact = exact == settings.Clients;
            double? untilExact = allExact ? (latest - started) / (double)Stopwatch.Frequency : null;
            var bytes = fleet.Clients.Sum(c => c.BytesReceived);
            var (cpuSeconds, cores) = cpu.Stop();
            long? settled = null;
            if (settings.ServerProcessId is { } serverPid && !cancellationToken.IsCancellationRequested)
            {
                await Pause.ForAsync(settings.SettleTime, cancellationToken);
                settled = ProcessMemory.ResidentBytes(serverPid);
            }

            await sampling.CancelAsync();
            await sampler;
            return new StormResult(
                settings.Clients,
                fleet.Clients.Count,
                fleet.Failed,
                fleet.Elapsed.TotalSeconds,
                fleet.ConnectsPerSecond,
                bytes,
                tracker.ListsReceived,
                exact,
                untilExact,
                allExact,
                allExact ? null : Explain(settings, fleet, exact, cancellationToken.IsCancellationRequested),
                cpuSeconds,
                cores)
            {
                PeakResidentBytes = peak,
                SettledResidentBytes = settled,
            };
        }
        finally
        {
            await ClientFleet.CloseAllAsync(fleet.Clients);
        }
    }

    private static string Explain(StormSettings settings, FleetConnectResult fleet, int exact, bool capped)
    {
        if (fleet.Clients.Count < settings.Clients)
        {
            return $"connected {fleet.Clients.Count} of {settings.Clients}" + (fleet.Failed > 0 ? $"; {fleet.Failed} failed ({fleet.FirstError})" : capped ? " before the time cap" : string.Empty);
        }

        return $"{exact} of {settings.Clients} clients ended with the exact list" + (capped ? " (time cap reached)" : $" within {settings.ConvergenceTimeout.TotalSeconds:F0} s");
    }
}
