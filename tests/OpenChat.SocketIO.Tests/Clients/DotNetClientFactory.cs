using System.Collections.Concurrent;
using System.Threading.Channels;
using OpenChat.SocketIO.Tests.Infrastructure;
using SocketIOClient;
using SocketIOClient.Transport;
using ClientSocket = SocketIOClient.SocketIO;

namespace OpenChat.SocketIO.Tests.Clients;

/// <summary>Builds SocketIOClient 3.0.6 clients for a <see cref="TestHost"/>: Engine.IO 4 (or 3), one fixed transport, no upgrade.</summary>
internal static class DotNetClientFactory
{
    public static DotNetClient Create(
        TestHost host,
        TransportProtocol transport,
        string ns = "/",
        object? auth = null,
        bool reconnection = false,
        int eio = 4)
    {
        var uri = ns == "/" ? host.BaseUri : new Uri(host.BaseUri, ns.TrimStart('/'));
        var options = new SocketIOClient.SocketIOOptions
        {
            EIO = eio,
            Transport = transport,
            AutoUpgrade = false,
            Path = "/socket.io",
            Auth = auth,
            Reconnection = reconnection,
            ReconnectionAttempts = 3,
            ReconnectionDelay = 50,
            ReconnectionDelayMax = 200,
            RandomizationFactor = 0,
            ConnectionTimeout = TimeSpan.FromSeconds(5),
        };
        return new DotNetClient(new ClientSocket(uri, options));
    }
}

/// <summary>
/// A SocketIOClient socket with its events turned into tasks and channels, so tests wait on them
/// (bounded) instead of sleeping. Register listeners with <see cref="Listen"/> before connecting.
/// </summary>
internal sealed class DotNetClient : IAsyncDisposable
{
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _error = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _reconnectAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, Channel<SocketIOResponse>> _events = new(StringComparer.Ordinal);
    private int _connectedCount;

    public DotNetClient(ClientSocket socket)
    {
        Socket = socket;
        socket.OnConnected += (_, _) =>
        {
            Interlocked.Increment(ref _connectedCount);
            _connected.TrySetResult();
        };
        socket.OnDisconnected += (_, reason) => _disconnected.TrySetResult(reason);
        socket.OnError += (_, message) => _error.TrySetResult(message);
        socket.OnReconnectAttempt += (_, attempt) => _reconnectAttempt.TrySetResult(attempt);
    }

    public ClientSocket Socket { get; }

    /// <summary>Completes on the first OnConnected.</summary>
    public Task Connected => _connected.Task;

    /// <summary>The reason of the first OnDisconnected.</summary>
    public Task<string> Disconnected => _disconnected.Task;

    /// <summary>The message of the first OnError (e.g. a refused CONNECT).</summary>
    public Task<string> Error => _error.Task;

    /// <summary>The number of the first OnReconnectAttempt.</summary>
    public Task<int> ReconnectAttempt => _reconnectAttempt.Task;

    /// <summary>How many times OnConnected fired.</summary>
    public int ConnectedCount => Volatile.Read(ref _connectedCount);

    /// <summary>Collects every <paramref name="eventName"/> the server sends, in order.</summary>
    public ChannelReader<SocketIOResponse> Listen(string eventName)
    {
        var channel = _events.GetOrAdd(eventName, static _ => Channel.CreateUnbounded<SocketIOResponse>());
        Socket.On(eventName, response => channel.Writer.TryWrite(response));
        return channel.Reader;
    }

    /// <summary>
    /// Connects and waits for OnConnected: with EIO 4, ConnectAsync may return before the namespace
    /// CONNECT reply arrived, so <see cref="ClientSocket.Connected"/> is not yet true at that point.
    /// </summary>
    public async Task ConnectAsync()
    {
        await Socket.ConnectAsync().WithTimeout();
        await Connected.WithTimeout();
    }

    /// <summary>Emits and returns the server's acknowledgement.</summary>
    public async Task<SocketIOResponse> EmitWithAckAsync(string eventName, params object[] args)
    {
        var ack = new TaskCompletionSource<SocketIOResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Socket.EmitAsync(eventName, response => ack.TrySetResult(response), args).WithTimeout();
        return await ack.Task.WithTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Even when not connected (e.g. after a refused CONNECT): SocketIOClient's Dispose alone leaves
            // its WebSocket open, and an open WebSocket delays the test host's shutdown.
            await Socket.DisconnectAsync().WithTimeout(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // Best effort: the server may already have closed the connection.
        }
        finally
        {
            Socket.Dispose();
        }
    }
}
