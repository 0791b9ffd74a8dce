using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

// The floor under any Socket.IO server built on the framework: Kestrel and System.Net.WebSockets with only
// what the benchmark's idle clients need of Engine.IO and Socket.IO (the open packet, the CONNECT answer, a
// ping every 25 s, my_mssg relayed as "message" for the warm-up). No session, no queue, no timers per
// connection: one loop pings everyone. What a connection costs here, the library cannot go below on
// Kestrel; bench/peers/dotnet-bare is the library on the same runtime settings.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
// No WebSocket keep-alive of its own, as in the library: the Engine.IO ping does that job.
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
var sockets = new ConcurrentDictionary<long, FloorConnection>();
var nextId = 0L;
var pingInterval = TimeSpan.FromSeconds(25);

string OpenPacket() =>
    $"0{{\"sid\":\"{Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_')}\",\"upgrades\":[],\"pingInterval\":{(int)pingInterval.TotalMilliseconds},\"pingTimeout\":20000,\"maxPayload\":1000000}}";

app.Map("/socket.io/", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        // A polling handshake gets its open packet, so the harness sees the server is up; no session is kept.
        if (context.Request.Query["transport"] == "polling" && !context.Request.Query.ContainsKey("sid"))
        {
            await context.Response.WriteAsync(OpenPacket());
            return;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero });
    var connection = new FloorConnection(socket);
    var id = Interlocked.Increment(ref nextId);
    await connection.SendAsync(Encoding.UTF8.GetBytes(OpenPacket()));
    try
    {
        while (true)
        {
            // Parked on a zero-byte read, as the library's transport is, so an idle connection holds no buffer.
            var ready = await socket.ReceiveAsync(Memory<byte>.Empty, context.RequestAborted);
            if (ready.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            var rented = ArrayPool<byte>.Shared.Rent(4096);
            var result = await socket.ReceiveAsync(rented.AsMemory(), context.RequestAborted);
            if (result.MessageType == WebSocketMessageType.Close || !result.EndOfMessage)
            {
                ArrayPool<byte>.Shared.Return(rented);
                break;
            }

            var frame = rented.AsMemory(0, result.Count).ToArray();
            ArrayPool<byte>.Shared.Return(rented);
            if (frame.AsSpan().SequenceEqual("40"u8))
            {
                await connection.SendAsync(Encoding.UTF8.GetBytes($"40{{\"sid\":\"{id}\"}}"));
                sockets[id] = connection;
            }
            else if (frame.AsSpan().StartsWith("42[\"my_mssg\","u8))
            {
                var relayed = Encoding.UTF8.GetBytes("42[\"message\",").Concat(frame[13..].ToArray()).ToArray();
                foreach (var other in sockets.Values)
                {
                    await other.SendAsync(relayed);
                }
            }
        }
    }
    catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException)
    {
        // The client went away; nothing to keep.
    }
    finally
    {
        sockets.TryRemove(id, out _);
    }
});

_ = Task.Run(async () =>
{
    using var timer = new PeriodicTimer(pingInterval);
    var ping = "2"u8.ToArray();
    while (await timer.WaitForNextTickAsync(app.Lifetime.ApplicationStopping))
    {
        foreach (var connection in sockets.Values)
        {
            await connection.SendAsync(ping);
        }
    }
});

app.Run();

/// <summary>A WebSocket allows one send at a time; the ping loop and relays share it.</summary>
internal sealed class FloorConnection(WebSocket socket)
{
    private readonly SemaphoreSlim _send = new(1, 1);

    public async Task SendAsync(byte[] frame)
    {
        await _send.WaitAsync();
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Closed meanwhile: the receive loop removes it.
        }
        finally
        {
            _send.Release();
        }
    }
}
