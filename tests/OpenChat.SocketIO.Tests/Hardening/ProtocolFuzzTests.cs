// Seeded fuzzing of the real server over both transports. CI runs a few thousand cases with a fixed seed;
// a longer run, or another seed:
//   OPENCHAT_FUZZ_CASES=60000 OPENCHAT_FUZZ_SEED=7 dotnet test tests/OpenChat.SocketIO.Tests --filter "FullyQualifiedName~ProtocolFuzzTests"
// A failure names the seed, the case index and its bytes, so it can be replayed.
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenChat.SocketIO.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// Random and damaged Engine.IO and Socket.IO input from many sessions at once. Every case is followed by
/// a probe event with an ack: an answered probe means the input was accepted, otherwise the session must
/// have closed with the protocol's reason. Meanwhile two healthy clients receive a steady stream that must
/// arrive whole and in order, and the server must never log a fault.
/// </summary>
public sealed class ProtocolFuzzTests(ITestOutputHelper output)
{
    private const int DefaultCases = 6000;
    private const int DefaultSeed = 20261123;
    private const int Workers = 6;
    private const int MaxFailuresReported = 20;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(10);

    private long _nextProbe = 900_000_000;

    public static TheoryData<string> Groups => new(FuzzCaseGenerator.Groups);

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    [Theory]
    [MemberData(nameof(Groups))]
    public async Task Fuzzed_input_closes_only_sessions_that_broke_the_protocol_and_a_healthy_stream_loses_nothing(string group)
    {
        var seed = Setting("OPENCHAT_FUZZ_SEED", DefaultSeed);
        var count = Math.Max(1, Setting("OPENCHAT_FUZZ_CASES", DefaultCases) / FuzzCaseGenerator.Groups.Count);
        var groupSeed = seed + FuzzCaseGenerator.Groups.ToList().IndexOf(group);
        var cases = new ConcurrentQueue<FuzzCase>(new FuzzCaseGenerator(groupSeed).Generate(group, count));

        var logs = new LogCapture();
        var reasons = new DisconnectReasonLog();
        var healthyJoined = new ConnectedSockets();
        // Thousands of sessions from one address: the handshake limits meant for floods are lifted.
        await using var host = await HardeningHost.StartAsync(logs, o =>
        {
            o.HandshakesPerMinutePerIp = null;
            o.MaxPendingSessionsPerIp = o.MaxPendingSessions;
        }, handlers: io => io.On("connection", socket =>
        {
            reasons.Track(socket);
            socket.On("probe", ctx => ctx.Ack("ok"));
            socket.On("echo", ctx => socket.Emit("echo", ctx.Arguments));
            socket.On("ack-echo", ctx => ctx.Ack(ctx.Arguments));
            if (socket.Handshake.Auth.ValueKind == JsonValueKind.Object && socket.Handshake.Auth.TryGetProperty("healthy", out _))
            {
                socket.Join("healthy");
                healthyJoined.Track(socket);
            }
        }));

        await using var healthyWs = await RawSocketIOClient.OpenWebSocketAsync(host);
        await using var healthyPolling = await RawSocketIOClient.OpenPollingAsync(host);
        await healthyJoined.For(await healthyWs.JoinAsync("{\"healthy\":true}")).WithTimeout();
        await healthyJoined.For(await healthyPolling.JoinAsync("{\"healthy\":true}")).WithTimeout();
        var wsTicks = CollectTicksAsync(healthyWs);
        var pollingTicks = CollectTicksAsync(healthyPolling);

        using var stopStream = new CancellationTokenSource();
        var stream = StreamAsync(host.IO, stopStream.Token);

        var failures = new ConcurrentQueue<string>();
        var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var webSocket = group != FuzzCaseGenerator.Polling;
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(() => WorkAsync(host, reasons, cases, webSocket, failures, outcomes))).ToList();
        await Task.WhenAll(workers).WithTimeout(TimeSpan.FromSeconds(Math.Max(60, count / 10)));

        await stopStream.CancelAsync();
        var sent = await stream.WithTimeout();
        host.IO.To("healthy").Emit("end", sent);
        output.WriteLine($"seed {groupSeed}, {count} cases: {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}; stream of {sent}");

        Assert.True(
            failures.IsEmpty,
            $"seed {groupSeed}, group {group}: {failures.Count} case(s) went wrong:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(MaxFailuresReported))}");
        Assert.True(sent > 0, "the stream never started");

        // A harness that accepted everything, or closed everything, would prove nothing.
        if (count >= 100)
        {
            Assert.True(outcomes.GetValueOrDefault("accepted") > 0, "no case was accepted");
            Assert.True(outcomes.GetValueOrDefault("parse error") > 0, "no case was a parse error");
        }

        AssertWholeStream(sent, await wsTicks.WithTimeout(), "websocket");
        AssertWholeStream(sent, await pollingTicks.WithTimeout(), "polling");
        Assert.False(healthyWs.Closed.IsCompleted || healthyPolling.Closed.IsCompleted, "a healthy client was disconnected");
        logs.AssertNoFaults();
    }

    private static void AssertWholeStream(long sent, List<long> ticks, string transport)
    {
        Assert.True(ticks.Count == sent, $"the healthy {transport} client got {ticks.Count} of {sent} messages");
        for (var i = 0; i < ticks.Count; i++)
        {
            Assert.True(ticks[i] == i, $"the healthy {transport} client got message {ticks[i]} in position {i}");
        }
    }

    /// <summary>Emits "tick" 0, 1, 2, ... to the healthy room until stopped; returns how many were sent.</summary>
    private static async Task<long> StreamAsync(SocketIOServer io, CancellationToken stop)
    {
        long sent = 0;
        while (!stop.IsCancellationRequested)
        {
            io.To("healthy").Emit("tick", sent++);
            try
            {
                await Task.Delay(2, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return sent;
    }

    private static async Task<List<long>> CollectTicksAsync(RawSocketIOClient client)
    {
        var ticks = new List<long>();
        while (true)
        {
            var packet = await client.NextAsync(
                p => p.StartsWith("42[\"tick\",", StringComparison.Ordinal) || p.StartsWith("42[\"end\",", StringComparison.Ordinal),
                TimeSpan.FromSeconds(90))
                ?? throw new InvalidOperationException($"the healthy client lost its session: {await client.DescribeCloseAsync()}");
            using var json = JsonDocument.Parse(packet[2..]);
            if (json.RootElement[0].GetString() == "end")
            {
                return ticks;
            }

            ticks.Add(json.RootElement[1].GetInt64());
        }
    }

    private async Task WorkAsync(
        TestHost host, DisconnectReasonLog reasons, ConcurrentQueue<FuzzCase> cases, bool webSocket, ConcurrentQueue<string> failures, ConcurrentDictionary<string, int> outcomes)
    {
        RawSocketIOClient? session = null;
        try
        {
            while (failures.Count < MaxFailuresReported && cases.TryDequeue(out var fuzzCase))
            {
                if (session is null)
                {
                    session = await RawSocketIOClient.OpenAsync(host, webSocket);
                    await session.JoinAsync();
                }

                string? reason;
                try
                {
                    reason = await RunAsync(session, fuzzCase, reasons);
                }
                catch (TimeoutException)
                {
                    failures.Enqueue($"{fuzzCase}: the probe was neither answered nor the session closed within {CaseTimeout.TotalSeconds} s");
                    reason = "hung";
                }

                outcomes.AddOrUpdate(reason ?? "accepted", 1, static (_, n) => n + 1);
                if (Check(fuzzCase.Expect, reason) is { } problem)
                {
                    failures.Enqueue($"{fuzzCase}: {problem}");
                }

                if (reason is not null)
                {
                    // Closed, or left the main namespace: this session is spent.
                    await session.DisposeAsync();
                    session = null;
                }
            }
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
    }

    /// <summary>Sends the case and a probe; null when the probe was answered, else the server's disconnect reason.</summary>
    private async Task<string?> RunAsync(RawSocketIOClient session, FuzzCase fuzzCase, DisconnectReasonLog reasons)
    {
        var probeId = Interlocked.Increment(ref _nextProbe);
        var probe = Encoding.UTF8.GetBytes($"42{probeId}[\"probe\"]");
        if (session.IsWebSocket)
        {
            foreach (var frame in fuzzCase.Frames)
            {
                if (!await session.TrySendFrameAsync(frame.Data, frame.Binary))
                {
                    break;
                }
            }

            await session.TrySendFrameAsync(probe, binary: false);
        }
        else
        {
            await session.PostAsync(fuzzCase.Frames[0].Data);
            await session.PostAsync(probe);
        }

        var answer = session.NextAsync(p => p == $"43{probeId}[\"ok\"]", CaseTimeout);
        var disconnected = reasons.For(session.SocketId);
        var first = await Task.WhenAny((Task)answer, disconnected);
        if (first == answer && await answer is not null)
        {
            return null;
        }

        return await disconnected.WithTimeout(CaseTimeout);
    }

    private static string? Check(FuzzExpectation expect, string? reason)
    {
        var accepted = reason is null;
        var leftNamespace = reason == DisconnectReasons.ClientNamespaceDisconnect;
        var protocolClose = reason is not null && FuzzExpectation.ProtocolReasons.Contains(reason);
        var outcome = accepted ? "accepted" : $"closed with \"{reason}\"";
        return expect.Outcome switch
        {
            FuzzExpectation.Kind.Accept when !accepted => $"must be accepted, but was {outcome}",
            FuzzExpectation.Kind.Close when !(protocolClose && (expect.Reason is null || expect.Reason == reason)) =>
                $"must close the session with \"{expect.Reason ?? string.Join("\" or \"", FuzzExpectation.ProtocolReasons)}\", but was {outcome}",
            FuzzExpectation.Kind.Either when !(accepted || leftNamespace || protocolClose) => $"closed with a reason outside the protocol: {outcome}",
            _ => null,
        };
    }
}
