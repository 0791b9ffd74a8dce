using OpenChat.Bench.Scenarios;

namespace OpenChat.Bench.Running;

/// <summary>
/// The sizes of a run. smoke: seconds, to check the pipeline; default: about 45 minutes on 2 cores, three
/// rounds; full: the sizes of the original request, three rounds (hours); compression: 1.5 KB text messages
/// over both transports, for the compression variants of the server. Connection counts are clamped to
/// what the open-file limit allows, and the clamping is reported.
/// </summary>
public sealed record BenchProfile(string Name, int Rounds, TimeSpan ScenarioCap, IReadOnlyList<BenchCase> Cases, IReadOnlyList<string> Notes)
{
    public static BenchProfile Create(string name, int openFileLimit)
    {
        var notes = new List<string>();
        // Each connection is one descriptor in the harness and one in the server; keep a margin for everything else.
        var connectionBudget = Math.Max(100, openFileLimit - 1000);
        int Clamp(int requested)
        {
            if (requested <= connectionBudget)
            {
                return requested;
            }

            notes.Add($"{requested} connections requested, {connectionBudget} used: the open-file limit (ulimit -n) is {openFileLimit}.");
            return connectionBudget;
        }

        return name switch
        {
            "smoke" => new BenchProfile(name, 1, TimeSpan.FromSeconds(45),
            [
                FanOut(20, 5, [50, 200], TimeSpan.FromSeconds(2)),
                FanOutThroughRedis(20, 5, [50], TimeSpan.FromSeconds(2)),
                Idle(Clamp(200), TimeSpan.FromSeconds(3)),
                Polling(20, 10, TimeSpan.FromSeconds(3)),
                Churn(200, 16),
                Storm(Clamp(200), TimeSpan.FromSeconds(5)),
                Burst(Clamp(200), TimeSpan.FromSeconds(20)),
                BareIdle(Clamp(200), TimeSpan.FromSeconds(3)),
                BareHold(Clamp(300), TimeSpan.FromSeconds(3)),
            ], notes),
            "default" => new BenchProfile(name, 2, TimeSpan.FromSeconds(100),
            [
                FanOut(100, 10, [100, 1000], TimeSpan.FromSeconds(5)),
                FanOut(1000, 10, [10, 100], TimeSpan.FromSeconds(5)),
                FanOutThroughRedis(1000, 10, [20, 100], TimeSpan.FromSeconds(5)),
                Idle(Clamp(1000), TimeSpan.FromSeconds(30)),
                Idle(Clamp(10000), TimeSpan.FromSeconds(30)),
                Polling(200, 50, TimeSpan.FromSeconds(10)),
                Churn(5000, 32),
                Storm(Clamp(1000), TimeSpan.FromSeconds(10)),
                Storm(Clamp(10000), TimeSpan.FromSeconds(10)),
                Burst(Clamp(5000), TimeSpan.FromSeconds(60)),
                BareIdle(Clamp(10000), TimeSpan.FromSeconds(30)),
                BareHold(Clamp(18000), TimeSpan.FromSeconds(60)),
            ], notes),
            "full" => new BenchProfile(name, 3, TimeSpan.FromSeconds(300),
            [
                FanOut(100, 10, [100, 1000, 5000], TimeSpan.FromSeconds(10)),
                FanOut(1000, 10, [20, 100, 500], TimeSpan.FromSeconds(10)),
                FanOut(Clamp(5000), 10, [10, 50, 100], TimeSpan.FromSeconds(10)),
                FanOutThroughRedis(1000, 10, [20, 100, 500], TimeSpan.FromSeconds(10)),
                Idle(Clamp(1000), TimeSpan.FromSeconds(60)),
                Idle(Clamp(10000), TimeSpan.FromSeconds(60)),
                Idle(Clamp(50000), TimeSpan.FromSeconds(60)),
                Polling(200, 50, TimeSpan.FromSeconds(20)),
                Churn(20000, 64),
                Storm(Clamp(1000), TimeSpan.FromSeconds(15)),
                Storm(Clamp(10000), TimeSpan.FromSeconds(15)),
                Burst(Clamp(20000), TimeSpan.FromSeconds(60)),
                BareIdle(Clamp(10000), TimeSpan.FromSeconds(60)),
                BareHold(Clamp(18000), TimeSpan.FromSeconds(60)),
            ], notes),
            // What compression costs and saves: chat messages of 1.5 KB of text, over WebSocket and long-polling;
            // run it against openchat, openchat-deflate and openchat-nogzip (--servers).
            "compression" => new BenchProfile(name, 3, TimeSpan.FromSeconds(80),
            [
                FanOut(100, 10, [100, 400], TimeSpan.FromSeconds(5), paddingBytes: 1500),
                Polling(100, 50, TimeSpan.FromSeconds(10), paddingBytes: 1500),
            ], notes),
            _ => throw new ArgumentException($"Unknown profile '{name}' (smoke, default, full, compression).", nameof(name)),
        };
    }

    /// <summary>Unrecorded traffic of each fan-out case's own shape before its levels (see <see cref="FanOutSettings.WarmUp"/>).</summary>
    private static readonly TimeSpan FanOutWarmUp = TimeSpan.FromSeconds(6);

    /// <param name="paddingBytes">With a value, each message carries that much chat-like text (the compression profile).</param>
    private static BenchCase FanOut(int clients, int senders, double[] rates, TimeSpan levelDuration, int? paddingBytes = null)
    {
        var label = paddingBytes is { } text ? $"R={clients}, {text / 1000.0:0.#} KB of text" : $"R={clients}";
        var settings = new FanOutSettings
        {
            Clients = clients,
            Senders = senders,
            OfferedRates = rates,
            LevelDuration = levelDuration,
            WarmUp = FanOutWarmUp,
            SourceAddresses = Math.Max(1, clients / 2000 + 1),
            PaddingBytes = paddingBytes ?? new FanOutSettings().PaddingBytes,
            RealisticText = paddingBytes is not null,
        };
        return new BenchCase("fanout", clients, label, async (server, pid, ct) => OutcomeMapping.FromFanOut(await FanOutScenario.RunAsync(settings, server, ct, pid), label));
    }

    /// <summary>Two instances of the server on one Redis, half of the clients on each; the senders are on the first.</summary>
    private static BenchCase FanOutThroughRedis(int clients, int senders, double[] rates, TimeSpan levelDuration)
    {
        var label = $"2 × {clients / 2}";
        var settings = new FanOutSettings
        {
            Clients = clients,
            Senders = senders,
            OfferedRates = rates,
            LevelDuration = levelDuration,
            WarmUp = FanOutWarmUp,
            SourceAddresses = Math.Max(1, clients / 2000 + 1),
        };
        return new BenchCase("fanout-redis", clients, label, (_, _, _) => throw new InvalidOperationException("Runs on several instances."))
        {
            Instances = 2,
            RunOnInstancesAsync = async (servers, ct) => OutcomeMapping.FromFanOut(await FanOutScenario.RunAsync(settings, servers, ct), label),
        };
    }

    private static BenchCase Idle(int clients, TimeSpan hold)
    {
        var label = $"N={clients}";
        return new BenchCase("idle", clients, label, async (server, pid, ct) => OutcomeMapping.FromIdle(
            await IdleScenario.RunAsync(new IdleSettings { Clients = clients, Hold = hold, ServerProcessId = pid }, server, ct), label));
    }

    /// <summary>Idle connections on the bare hosts: what a connection costs the library (connect rate, memory) without an app.</summary>
    private static BenchCase BareIdle(int clients, TimeSpan hold) => Idle(clients, hold) with { Scenario = "bare-idle", ForBareHosts = true };

    /// <summary>As many connections as the open-file limit allows (18 000 under 20 000), held with heartbeats: none may be lost.</summary>
    private static BenchCase BareHold(int clients, TimeSpan hold) => Idle(clients, hold) with { Scenario = "bare-hold", ForBareHosts = true };

    private static BenchCase Burst(int clients, TimeSpan window)
    {
        var label = $"N={clients}";
        return new BenchCase("burst", clients, label, async (server, pid, ct) => OutcomeMapping.FromBurst(
            await BurstScenario.RunAsync(new BurstSettings { Clients = clients, ReturnWindow = window, ServerProcessId = pid }, server, ct), label));
    }

    private static BenchCase Polling(int clients, double rate, TimeSpan duration, int? paddingBytes = null)
    {
        var label = $"{clients} clients, {rate:0.#} msg/s" + (paddingBytes is { } text ? $", {text / 1000.0:0.#} KB of text" : string.Empty);
        var settings = new PollingSettings
        {
            Clients = clients,
            OfferedRate = rate,
            Duration = duration,
            PaddingBytes = paddingBytes ?? new PollingSettings().PaddingBytes,
            RealisticText = paddingBytes is not null,
        };
        return new BenchCase("polling", clients, label, async (server, pid, ct) => OutcomeMapping.FromPolling(
            await PollingScenario.RunAsync(settings, server, ct, pid), label));
    }

    private static BenchCase Churn(int cycles, int concurrency)
    {
        var label = $"K={cycles}, {concurrency} at once";
        return new BenchCase("churn", cycles, label, async (server, pid, ct) => OutcomeMapping.FromChurn(
            await ChurnScenario.RunAsync(new ChurnSettings { Cycles = cycles, Concurrency = concurrency, ServerProcessId = pid }, server, ct), label));
    }

    private static BenchCase Storm(int clients, TimeSpan convergence)
    {
        var label = $"N={clients}";
        return new BenchCase("storm", clients, label, async (server, pid, ct) => OutcomeMapping.FromStorm(
            await StormScenario.RunAsync(new StormSettings { Clients = clients, ConvergenceTimeout = convergence, ServerProcessId = pid }, server, ct), label));
    }
}
