using System.Collections.Concurrent;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>Server-side sockets by id, so a test can act on the socket of the raw client it just connected.</summary>
public sealed class ConnectedSockets
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<SocketIOSocket>> _sockets = new(StringComparer.Ordinal);
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Track(SocketIOSocket socket)
    {
        Source(socket.Id).TrySetResult(socket);
        lock (_waiters)
        {
            _count++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }
    }

    public Task<SocketIOSocket> For(string socketId) => Source(socketId).Task;

    /// <summary>Completes once <paramref name="count"/> sockets have connected in all.</summary>
    public Task WaitForCountAsync(int count)
    {
        lock (_waiters)
        {
            if (_count >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    private TaskCompletionSource<SocketIOSocket> Source(string socketId) =>
        _sockets.GetOrAdd(socketId, _ => new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously));
}
