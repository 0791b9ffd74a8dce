using System.Collections.Concurrent;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>The server-side disconnect reason of every socket, by socket id, as its handler received it.</summary>
public sealed class DisconnectReasonLog
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _reasons = new(StringComparer.Ordinal);

    public void Track(SocketIOSocket socket) => socket.OnDisconnect(reason => Source(socket.Id).TrySetResult(reason));

    public Task<string> For(string socketId) => Source(socketId).Task;

    public int Count => _reasons.Values.Count(r => r.Task.IsCompleted);

    private TaskCompletionSource<string> Source(string socketId) =>
        _reasons.GetOrAdd(socketId, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
}
