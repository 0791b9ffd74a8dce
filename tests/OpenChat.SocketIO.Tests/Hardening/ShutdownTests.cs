using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// Graceful shutdown seen by raw clients of both transports (the official clients' view of it is in
/// NodeClientTests and DotNetClientTests).
/// </summary>
public sealed class ShutdownTests
{
    private const int ClientsPerTransport = 3;

    // TestHost gives StopAsync 10 s; a stop that waited for open connections to time out would take that long.
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Stopping_the_host_flushes_queued_messages_then_sends_every_client_the_close_packet_and_completes_in_bounded_time()
    {
        var reasons = new DisconnectReasonLog();
        var host = await TestHost.StartAsync(handlers: io => io.On("connection", reasons.Track));
        var clients = new List<RawSocketIOClient>();
        Task? stopping = null;
        try
        {
            for (var i = 0; i < ClientsPerTransport * 2; i++)
            {
                var client = await RawSocketIOClient.OpenAsync(host, webSocket: i % 2 == 0);
                clients.Add(client);
                await client.JoinAsync();
            }

            // Polling clients have a GET pending (their pump polls continuously), as real ones do.
            host.IO.Emit("bye", "last words");
            stopping = host.DisposeAsync().AsTask();

            foreach (var client in clients)
            {
                var transport = client.IsWebSocket ? "websocket" : "polling";
                Assert.Equal("42[\"bye\",\"last words\"]", await client.NextAsync(p => p.StartsWith("42", StringComparison.Ordinal) || p == "1"));
                Assert.True(await client.NextAsync(p => p == "1") is not null, $"the {transport} client got no close packet: {await client.DescribeCloseAsync()}");
                await client.Closed.WithTimeout();
                Assert.Equal("server shutting down", await reasons.For(client.SocketId).WithTimeout());
            }

            await stopping.WithTimeout(StopBound);
        }
        finally
        {
            await (stopping ?? host.DisposeAsync().AsTask()).WithTimeout();
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task New_handshakes_are_refused_while_the_server_is_closing_its_sessions()
    {
        var host = await TestHost.StartAsync();
        await using var client = await RawSocketIOClient.OpenWebSocketAsync(host);
        await client.JoinAsync();

        await host.IO.CloseAsync().WithTimeout();

        using var http = new HttpClient();
        using var response = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();
        await Infrastructure.EnginePayload.AssertErrorAsync(response, System.Net.HttpStatusCode.Forbidden, 4, "Forbidden");
        Assert.Equal(0, host.IO.ConnectionCount);
        await host.DisposeAsync().AsTask().WithTimeout(StopBound);
    }

    [Fact]
    public async Task A_handler_running_when_stopping_begins_finishes_its_broadcast_before_any_connection_closes_and_later_events_see_the_server_stopping()
    {
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawStopping = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = await TestHost.StartAsync(handlers: io => io.On("connection", s =>
        {
            s.On("slow", async _ =>
            {
                inHandler.TrySetResult();
                await release.Task;
                io.Emit("news", "from the slow handler");
            });
            s.On("late", _ => sawStopping.TrySetResult(io.IsStopping));
        }));
        await using var sender = await RawSocketIOClient.OpenWebSocketAsync(host);
        await using var listener = await RawSocketIOClient.OpenPollingAsync(host);
        await sender.JoinAsync();
        await listener.JoinAsync();
        Task? closing = null;
        try
        {
            await sender.SendAsync("42[\"slow\"]");
            await inHandler.Task.WithTimeout();

            closing = host.IO.CloseAsync();
            Assert.True(host.IO.IsStopping);
            await listener.SendAsync("42[\"late\"]");
            Assert.True(await sawStopping.Task.WithTimeout());
            Assert.False(closing.IsCompleted);
            Assert.False(listener.Closed.IsCompleted);

            release.SetResult();
            Assert.Equal("42[\"news\",\"from the slow handler\"]", await listener.NextAsync(p => p.StartsWith("42", StringComparison.Ordinal) || p == "1"));
            Assert.Equal("42[\"news\",\"from the slow handler\"]", await sender.NextAsync(p => p.StartsWith("42", StringComparison.Ordinal) || p == "1"));
            await closing.WithTimeout(StopBound);
        }
        finally
        {
            release.TrySetResult();
            await host.DisposeAsync().AsTask().WithTimeout(StopBound);
        }
    }

    [Fact]
    public async Task A_polling_session_that_stops_polling_holds_the_stop_for_the_close_timeout_and_no_longer()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var host = await TestHost.StartAsync(o => o.PingInterval = TimeSpan.FromHours(1), services: s => s.AddSingleton<TimeProvider>(time));
        using var idle = new PollingClient(host);
        await idle.HandshakeAsync();
        await idle.SendAsync("40");
        Assert.Single(await idle.PollPacketsAsync());

        // From here the client never polls: nobody will take its close packet.
        var closing = host.IO.CloseAsync();
        time.Advance(host.IO.Options.CloseTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(closing.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await closing.WithTimeout();
        Assert.Equal(0, host.IO.ConnectionCount);
    }
}
