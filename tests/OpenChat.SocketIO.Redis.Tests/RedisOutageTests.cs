using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Redis.Tests.Infrastructure;

namespace OpenChat.SocketIO.Redis.Tests;

/// <summary>
/// Redis going away is an outage, not a failure: each server keeps serving its own clients, drops (rather than
/// queues) what was meant for the others, says so once, and rejoins by itself when Redis is back. A server
/// whose Redis is unreachable at start starts anyway and says which Redis it waits for.
/// </summary>
public sealed class RedisOutageTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task A_redis_restart_pauses_only_cross_server_delivery_and_is_logged_once()
    {
        await using var a = await ClusterServer.StartAsync(redis.Configuration);
        await using var b = await ClusterServer.StartAsync(redis.Configuration);
        await a.WaitForServersAsync(2);
        await using var clients = Clients.Start();
        await clients.ConnectAsync("a1", a.BaseUri);
        await clients.ConnectAsync("b1", b.BaseUri);
        a.IO.Emit("before", 0);
        await clients.WaitForReceivedAsync("b1", "before");

        await redis.StopAsync();
        await Eventually.TrueAsync(() => a.Logs.Count("RedisLost") > 0, "a to notice the outage");

        // Local delivery goes on; what was meant for b is dropped, not kept for later.
        for (var i = 0; i < 2000; i++)
        {
            a.IO.Emit("during", i);
        }

        await clients.WaitForReceivedAsync("a1", "during", 2000);
        Assert.Empty(a.Adapter.Servers);

        await redis.StartAsync();
        var n = 0;
        await Eventually.TrueAsync(
            () =>
            {
                a.IO.Emit("after", n++);
                return clients.Received("b1", "after").Count > 0;
            },
            "a broadcast of a to reach b's client again",
            TimeSpan.FromSeconds(30));

        Assert.Empty(clients.Received("b1", "during"));
        await Eventually.TrueAsync(() => a.Logs.Count("RedisRestored") == 1, "a to log the end of the outage");
        Assert.Equal(1, a.Logs.Count("RedisLost"));
        Assert.DoesNotContain(a.Logs.Entries, e => e.Level >= LogLevel.Error);
        await Eventually.TrueAsync(() => a.Adapter.Servers.Count == 1, "a to know b again");
    }

    [Fact]
    public async Task A_server_starts_without_redis_names_it_serves_its_own_clients_and_joins_when_redis_answers()
    {
        var later = new RedisServer();
        try
        {
            await using var a = await ClusterServer.StartAsync(later.Configuration, waitForRedis: false);
            await Eventually.TrueAsync(() => a.Logs.Count("RedisUnreachableAtStart") == 1, "the unreachable-at-start warning");
            var warning = a.Logs.Entries.Single(e => e.Name == "RedisUnreachableAtStart");
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.Contains(later.Configuration, warning.Message, StringComparison.Ordinal);

            await using var clients = Clients.Start();
            await clients.ConnectAsync("a1", a.BaseUri);
            a.IO.Emit("alone", 1);
            await clients.WaitForReceivedAsync("a1", "alone");

            await later.StartAsync();
            await a.Adapter.Initialization.WithTimeout(TimeSpan.FromSeconds(30));
            await using var b = await ClusterServer.StartAsync(later.Configuration);
            await clients.ConnectAsync("b1", b.BaseUri);
            await b.WaitForServersAsync(2);
            b.IO.Emit("together", 2);
            await clients.WaitForReceivedAsync("a1", "together");
        }
        finally
        {
            await later.DisposeAsync();
        }
    }
}
