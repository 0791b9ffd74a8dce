using System.Collections.Concurrent;
using System.Threading.Channels;

namespace OpenChat.SocketIO.Tests.SocketIO.Recovery;

/// <summary>What the server's "connection" and disconnect handlers saw, for a test to await in order.</summary>
public sealed class ServerSockets
{
    private readonly Channel<SocketIOSocket> _connections = Channel.CreateUnbounded<SocketIOSocket>();
    private readonly ConcurrentDictionary<SocketIOSocket, TaskCompletionSource<string>> _reasons = new();

    /// <summary>Call from the "connection" handler.</summary>
    public void Track(SocketIOSocket socket)
    {
        var reason = Reason(socket);
        socket.OnDisconnect(r => reason.TrySetResult(r));
        _connections.Writer.TryWrite(socket);
    }

    /// <summary>The next socket the "connection" handler saw.</summary>
    public async Task<SocketIOSocket> NextAsync() => await _connections.Reader.ReadAsync().AsTask().WithTimeout();

    /// <summary>The reason the socket disconnected for, once its disconnect handlers ran.</summary>
    public Task<string> DisconnectedAsync(SocketIOSocket socket) => Reason(socket).Task.WithTimeout();

    private TaskCompletionSource<string> Reason(SocketIOSocket socket) =>
        _reasons.GetOrAdd(socket, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
}
