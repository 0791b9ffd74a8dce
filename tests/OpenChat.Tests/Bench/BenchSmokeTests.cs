using OpenChat.Bench.Scenarios;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Bench;

/// <summary>
/// The benchmark scenarios, seconds long, against the app in this process: they check the harness and the
/// server agree on the chat contract (nothing lost, every presence list right), never how fast it is.
/// </summary>
public sealed class BenchSmokeTests
{
    private static readonly TimeSpan ScenarioTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_fan_out_delivers_every_message_to_every_client_and_its_warm_up_counts_in_no_level()
    {
        await using var host = await ChatHost.StartAsync(null, "--Chat:MessagesPerSecond=100000", "--Chat:MessageBurst=100000", "--Chat:MessagesPerSecondPerIp=0");
        using var cap = new CancellationTokenSource(ScenarioTimeout);
        var settings = new FanOutSettings
        {
            Clients = 20,
            Senders = 4,
            OfferedRates = [100],
            IncludeMaxRate = true,
            LevelDuration = TimeSpan.FromSeconds(1),
            DrainTimeout = TimeSpan.FromSeconds(10),
            SettleTime = TimeSpan.FromMilliseconds(200),
            SourceAddresses = 2,
            WarmUp = TimeSpan.FromSeconds(1),
        };

        // The server's process id makes the harness also wait for its CPU to go quiet after the warm-up.
        var result = await FanOutScenario.RunAsync(settings, host.BaseUri, cap.Token, Environment.ProcessId).WithTimeout(ScenarioTimeout);

        Assert.True(result.Completed, result.Note);
        Assert.Equal(20, result.ClientsConnected);
        Assert.Equal(2, result.Levels.Count);
        Assert.All(result.Levels, level =>
        {
            Assert.True(level.Sent > 0);
            Assert.Equal(level.Sent * 20, level.Expected);
            Assert.Equal(0, level.Lost);
        });
    }

    [Fact]
    public async Task A_connect_storm_ends_with_every_client_holding_the_exact_list()
    {
        await using var host = await ChatHost.StartAsync(null, "--Chat:MessagesPerSecond=100000", "--Chat:MessageBurst=100000", "--Chat:MessagesPerSecondPerIp=0");
        using var cap = new CancellationTokenSource(ScenarioTimeout);
        var settings = new StormSettings { Clients = 100, ConnectConcurrency = 32, ConvergenceTimeout = TimeSpan.FromSeconds(15), SourceAddresses = 4 };

        var result = await StormScenario.RunAsync(settings, host.BaseUri, cap.Token).WithTimeout(ScenarioTimeout);

        Assert.True(result.Completed, result.Note);
        Assert.Equal(100, result.ClientsConnected);
        Assert.Equal(100, result.ClientsWithExactList);
        Assert.NotNull(result.SecondsUntilExact);
        Assert.True(result.BytesReceived > 0);
    }
}
