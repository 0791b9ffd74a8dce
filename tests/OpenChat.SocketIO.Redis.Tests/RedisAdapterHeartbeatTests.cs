using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Redis.Tests.Infrastructure;

namespace OpenChat.SocketIO.Redis.Tests;

/// <summary>
/// Servers of this kind know each other by their heartbeats (every 5 s by default): one that goes silent for
/// more than the heartbeat timeout (10 s) leaves the others' lists, checked every second; one that closes
/// leaves at once. Each server runs on its own fake clock here, so silence is a clock that does not move.
/// </summary>
public sealed class RedisAdapterHeartbeatTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Servers_know_each_other_from_the_first_heartbeat()
    {
        var (a, b, _, _) = await StartPairAsync();
        await using (a)
        await using (b)
        {
            Assert.Equal([b.Adapter.ServerId], a.Adapter.Servers);
            Assert.Equal([a.Adapter.ServerId], b.Adapter.Servers);
        }
    }

    [Fact]
    public async Task A_silent_server_leaves_after_the_heartbeat_timeout_and_comes_back_with_its_next_heartbeat()
    {
        var (a, b, timeA, timeB) = await StartPairAsync();
        await using (a)
        await using (b)
        {
            var left = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            a.Adapter.ServerLeft += id => left.TrySetResult(id);

            // b's clock stands still: it sends nothing more. Ten seconds of silence are not yet too many.
            timeA.Advance(TimeSpan.FromSeconds(10));
            Assert.False(left.Task.IsCompleted);
            Assert.Equal([b.Adapter.ServerId], a.Adapter.Servers);

            timeA.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(b.Adapter.ServerId, await left.Task.WithTimeout());
            Assert.Empty(a.Adapter.Servers);

            var back = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            a.Adapter.ServerJoined += id => back.TrySetResult(id);
            timeB.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(b.Adapter.ServerId, await back.Task.WithTimeout());
        }
    }

    [Fact]
    public async Task A_server_that_closes_leaves_the_others_at_once()
    {
        var (a, b, _, _) = await StartPairAsync();
        await using (a)
        {
            var left = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            a.Adapter.ServerLeft += id => left.TrySetResult(id);
            var id = b.Adapter.ServerId;
            await b.DisposeAsync();
            Assert.Equal(id, await left.Task.WithTimeout());
        }
    }

    private async Task<(ClusterServer A, ClusterServer B, FakeTimeProvider TimeA, FakeTimeProvider TimeB)> StartPairAsync()
    {
        var timeA = new FakeTimeProvider();
        var timeB = new FakeTimeProvider();
        var a = await ClusterServer.StartAsync(redis.Configuration, time: timeA);
        var joined = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Adapter.ServerJoined += id => joined.TrySetResult(id);
        var b = await ClusterServer.StartAsync(redis.Configuration, time: timeB);
        Assert.Equal(b.Adapter.ServerId, await joined.Task.WithTimeout());

        // b learns of a from a's answer to its initial heartbeat.
        await Eventually.TrueAsync(() => b.Adapter.Servers.Count == 1, "b to know a");
        return (a, b, timeA, timeB);
    }
}
