using System.Net;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Operations;

/// <summary>/readyz follows the app's dependencies: a clustered app is not ready while its Redis is gone, and is again once it is back.</summary>
public sealed class ReadinessTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task A_clustered_app_is_not_ready_while_Redis_is_down_but_stays_alive()
    {
        await using var host = await ChatHost.StartAsync(null, "--Redis:Configuration=" + redis.Configuration);
        using var http = new HttpClient { BaseAddress = host.BaseUri };
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(http, HttpStatusCode.OK)).Status);

        await redis.StopAsync();
        try
        {
            var (_, body) = await ReadyAsync(http, HttpStatusCode.ServiceUnavailable);
            Assert.StartsWith("Unhealthy\nredis: Unhealthy (Redis 127.0.0.1:", body);
            using var alive = await http.GetAsync("/healthz").WithTimeout();
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }
        finally
        {
            await redis.StartAsync();
        }

        await ReadyAsync(http, HttpStatusCode.OK, TimeSpan.FromSeconds(30));
    }

    // Polls /readyz (bounded) until it answers with the status: the connection's loss and return are noticed in the background.
    private static async Task<(HttpStatusCode Status, string Body)> ReadyAsync(HttpClient http, HttpStatusCode wanted, TimeSpan? within = null)
    {
        using var limit = new CancellationTokenSource(within ?? TaskTimeouts.Default);
        while (true)
        {
            using var response = await http.GetAsync("/readyz", limit.Token);
            var body = await response.Content.ReadAsStringAsync(limit.Token);
            if (response.StatusCode == wanted)
            {
                return (response.StatusCode, body);
            }

            await Task.Delay(20, limit.Token);
        }
    }
}
