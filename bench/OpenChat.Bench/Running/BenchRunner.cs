using System.Diagnostics;
using System.Globalization;
using OpenChat.Bench.Measurement;
using OpenChat.Bench.Scenarios;

namespace OpenChat.Bench.Running;

/// <summary>
/// Runs every case of a profile against every server, one server at a time and each on a fresh process,
/// alternating servers within a round (A B C, A B C, ...). Each case has a time cap; a server that hits it
/// is recorded with what it reached and skips the larger sizes of that scenario in the same round. A case runs
/// under each of its pinnings in turn (pinned first: server and load generator on their own cores), every
/// server under one pinning before the next, so each ratio compares servers measured side by side.
/// </summary>
public sealed class BenchRunner(BenchProfile profile, IReadOnlyList<ServerDefinition> servers, string logDirectory, TextWriter progress, Func<string, IReadOnlyList<Pinning>> pinnings)
{
    /// <summary>Extra time a scenario gets after its cap to wind down (closing clients) before it is abandoned.</summary>
    private static readonly TimeSpan WindDown = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Long enough for a JIT to reach its optimized code: .NET's tiered compilation promotes a hot method only
    /// after calls stop bringing new methods for a while, and then runs it instrumented before the final
    /// version, which took several seconds of traffic on one core. A one-second warm-up left the first cases
    /// measuring partly instrumented code, more in some builds than others.
    /// </summary>
    private static readonly FanOutSettings WarmUp = new()
    {
        Clients = 50,
        Senders = 10,
        OfferedRates = [500],
        IncludeMaxRate = true,
        LevelDuration = TimeSpan.FromSeconds(3),
        DrainTimeout = TimeSpan.FromSeconds(2),
        SettleTime = TimeSpan.Zero,
        SourceAddresses = 1,
    };

    public async Task<List<RunRecord>> RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(logDirectory);
        var records = new List<RunRecord>();
        for (var round = 1; round <= profile.Rounds; round++)
        {
            var cappedAt = new Dictionary<(string Server, string Scenario, string Pinning), int>();
            foreach (var benchCase in profile.Cases)
            {
                foreach (var pinning in pinnings(benchCase.Scenario))
                {
                    pinning.ApplyToHarness();
                    ServerProcess.Cpus = pinning.ServerCpus;
                    foreach (var server in servers.Where(s => s.IsBare == benchCase.ForBareHosts))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (cappedAt.TryGetValue((server.Key, benchCase.Scenario, pinning.Name), out var smaller) && smaller < benchCase.Size)
                        {
                            records.Add(new RunRecord(round, server.Key, benchCase.Scenario, benchCase.Label, benchCase.Size, false, true, $"skipped: hit the time cap at size {smaller}", 0, new Dictionary<string, double?>()) { Pinning = pinning.Name });
                            Report(records[^1]);
                            continue;
                        }

                        var caseRecords = (await RunCaseAsync(round, benchCase, server, cancellationToken)).Select(r => r with { Pinning = pinning.Name }).ToList();
                        records.AddRange(caseRecords);
                        foreach (var record in caseRecords)
                        {
                            Report(record);
                        }

                        if (caseRecords.Any(r => r.Capped))
                        {
                            cappedAt[(server.Key, benchCase.Scenario, pinning.Name)] = benchCase.Size;
                        }
                    }
                }
            }
        }

        return records;
    }

    private async Task<List<RunRecord>> RunCaseAsync(int round, BenchCase benchCase, ServerDefinition server, CancellationToken cancellationToken)
    {
        if (benchCase.Instances > 1)
        {
            return await RunClusterCaseAsync(round, benchCase, server, cancellationToken);
        }

        var log = Path.Combine(logDirectory, $"{server.Key}-{benchCase.Scenario}-{benchCase.Size}-r{round}.log");
        var started = Stopwatch.GetTimestamp();
        RunRecord Failure(string note, bool capped) => new(round, server.Key, benchCase.Scenario, benchCase.Label, benchCase.Size, false, capped, note, Stopwatch.GetElapsedTime(started).TotalSeconds, new Dictionary<string, double?>());

        ServerProcess process;
        try
        {
            process = await ServerProcess.StartAsync(server, log, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return [Failure($"server did not start: {e.Message}", false)];
        }

        await using (process)
        {
            using (var warmUpCap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                warmUpCap.CancelAfter(TimeSpan.FromSeconds(30));
                // The same warm-up for every server: JIT, connection pools, first allocations.
                await FanOutScenario.RunAsync(WarmUp, process.BaseUri, warmUpCap.Token);
                await ServerQuiet.WaitAsync(process.ProcessId, warmUpCap.Token);
            }

            await ConnectWarmUp.RunAsync(process.BaseUri, process.ProcessId, cancellationToken);

            started = Stopwatch.GetTimestamp();
            using var cap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cap.CancelAfter(profile.ScenarioCap);
            IReadOnlyList<CaseOutcome> outcomes;
            try
            {
                outcomes = await benchCase.RunAsync(process.BaseUri, process.ProcessId, cap.Token).WaitAsync(profile.ScenarioCap + WindDown, cancellationToken);
            }
            catch (TimeoutException)
            {
                return [Failure($"did not finish within the time cap of {profile.ScenarioCap.TotalSeconds:F0} s and did not wind down", true)];
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return [Failure($"harness error: {e.GetType().Name}: {e.Message}", cap.IsCancellationRequested)];
            }

            var capped = cap.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
            var exited = process.HasExited ? "the server process exited during the run" : null;
            var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
            return outcomes.Select(o => new RunRecord(
                round,
                server.Key,
                benchCase.Scenario,
                o.Case,
                benchCase.Size,
                o.Completed && !capped && exited is null,
                capped,
                Join(exited, capped ? $"time cap of {profile.ScenarioCap.TotalSeconds:F0} s reached" : null, o.Note),
                wall,
                o.Metrics)).ToList();
        }
    }

    /// <summary>A case on several instances of a server sharing a fresh redis-server: all of them start, warm up together, then run.</summary>
    private async Task<List<RunRecord>> RunClusterCaseAsync(int round, BenchCase benchCase, ServerDefinition server, CancellationToken cancellationToken)
    {
        RunRecord Record(bool completed, bool capped, string? note, double wall, IReadOnlyDictionary<string, double?> metrics, string? label = null) =>
            new(round, server.Key, benchCase.Scenario, label ?? benchCase.Label, benchCase.Size, completed, capped, note, wall, metrics);

        var prefix = Path.Combine(logDirectory, $"{server.Key}-{benchCase.Scenario}-{benchCase.Size}-r{round}");
        RedisProcess redis;
        try
        {
            redis = await RedisProcess.StartAsync(prefix + "-redis.log", cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return [Record(false, false, $"redis-server did not start: {e.Message}", 0, new Dictionary<string, double?>())];
        }

        await using (redis)
        {
            if (server.OnRedis(redis.Port) is not { } clustered)
            {
                return [Record(false, false, "no Redis adapter that shares a fleet", 0, new Dictionary<string, double?>())];
            }

            var instances = new List<ServerProcess>();
            try
            {
                for (var i = 0; i < benchCase.Instances; i++)
                {
                    instances.Add(await ServerProcess.StartAsync(clustered, $"{prefix}-{i}.log", cancellationToken));
                }
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                await Task.WhenAll(instances.Select(p => p.DisposeAsync().AsTask()));
                return [Record(false, false, $"server did not start: {e.Message}", 0, new Dictionary<string, double?>())];
            }

            try
            {
                var uris = instances.Select(p => p.BaseUri).ToList();
                using (var warmUpCap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    warmUpCap.CancelAfter(TimeSpan.FromSeconds(30));
                    await FanOutScenario.RunAsync(WarmUp, uris, warmUpCap.Token);
                }

                var started = Stopwatch.GetTimestamp();
                using var cap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                cap.CancelAfter(profile.ScenarioCap);
                IReadOnlyList<CaseOutcome> outcomes;
                try
                {
                    outcomes = await benchCase.RunOnInstancesAsync!(uris, cap.Token).WaitAsync(profile.ScenarioCap + WindDown, cancellationToken);
                }
                catch (TimeoutException)
                {
                    return [Record(false, true, $"did not finish within the time cap of {profile.ScenarioCap.TotalSeconds:F0} s and did not wind down", Stopwatch.GetElapsedTime(started).TotalSeconds, new Dictionary<string, double?>())];
                }

                var capped = cap.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
                var exited = instances.Any(p => p.HasExited) ? "a server process exited during the run" : null;
                var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
                return [.. outcomes.Select(o => Record(o.Completed && !capped && exited is null, capped, Join(exited, capped ? $"time cap of {profile.ScenarioCap.TotalSeconds:F0} s reached" : null, o.Note), wall, o.Metrics, o.Case))];
            }
            finally
            {
                await Task.WhenAll(instances.Select(p => p.DisposeAsync().AsTask()));
            }
        }
    }

    private static string? Join(params string?[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrEmpty(p)).Distinct().ToArray();
        return present.Length == 0 ? null : string.Join("; ", present);
    }

    private void Report(RunRecord record)
    {
        var metrics = string.Join(", ", record.Metrics.Where(m => m.Value is not null).Select(m => $"{m.Key}={m.Value!.Value.ToString("0.###", CultureInfo.InvariantCulture)}"));
        progress.WriteLine($"[round {record.Round}, {record.Pinning}] {record.Server,-8} {record.Scenario,-7} {record.Case,-28} {(record.Completed ? "ok" : "INCOMPLETE"),-10} {record.WallSeconds,6:F1}s  {metrics}{(record.Note is null ? string.Empty : "  (" + record.Note + ")")}");
        progress.Flush();
    }
}
