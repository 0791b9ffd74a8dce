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
}
