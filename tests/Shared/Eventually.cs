namespace OpenChat.SocketIO.Redis.Tests.Infrastructure;

/// <summary>Waits for a state another process reaches (a subscription, a reconnection) that raises no event here; bounded.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TaskTimeouts.Default);
        while (!await condition())
        {
            if (cancel.IsCancellationRequested)
            {
                throw new TimeoutException($"Gave up waiting for {what}.");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Until the Redis adapter counts <paramref name="servers"/> servers on the request channel (Node's count).</summary>
    public static Task ServersAsync(ClusterServer server, int servers) =>
        TrueAsync(async () => await server.Adapter.ServerCountAsync() == servers, $"{servers} servers subscribed");
}
