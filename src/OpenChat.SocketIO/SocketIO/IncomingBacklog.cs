namespace OpenChat.SocketIO;

/// <summary>
/// The incoming packets of one connection that wait for their handlers, across all its namespaces, bounded by
/// <see cref="SocketIOOptions.MaxBufferedIncomingPackets"/>. When it is full the connection reads nothing more
/// from its client until a handler takes the next packet: memory stays bounded however fast a client sends.
/// </summary>
internal sealed class IncomingBacklog(int capacity)
{
    private readonly Lock _sync = new();
    private int _count;
    private TaskCompletionSource? _space;

    /// <summary>Packets waiting now (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _count;
            }
        }
    }

    /// <summary>Counts one more waiting packet; false when the backlog is full.</summary>
    public bool TryAdd()
    {
        lock (_sync)
        {
            if (_count >= capacity)
            {
                return false;
            }

            _count++;
            return true;
        }
    }

    /// <summary>Completes once there is room for one more packet.</summary>
    public Task WhenSpaceAsync()
    {
        lock (_sync)
        {
            if (_count < capacity)
            {
                return Task.CompletedTask;
            }

            _space ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _space.Task;
        }
    }

    /// <summary>A packet no longer waits: its handler started, or it was dropped with its socket.</summary>
    public void Remove(int packets = 1)
    {
        TaskCompletionSource? space = null;
        lock (_sync)
        {
            _count -= packets;
            if (_space is not null && _count < capacity)
            {
                space = _space;
                _space = null;
            }
        }

        space?.TrySetResult();
    }
}
