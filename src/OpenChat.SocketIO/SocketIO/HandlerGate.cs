namespace OpenChat.SocketIO;

/// <summary>
/// Counts the event handlers running, so that a shutdown can wait for the ones that started before it:
/// a handler that read <see cref="SocketIOServer.IsStopping"/> as false may be broadcasting, and its
/// message must be in every recipient's queue before any session is closed. A handler enters before it
/// reads the flag and the shutdown sets the flag before it reads the count (both with full fences), so
/// every handler either sees the flag or is waited for.
/// </summary>
internal sealed class HandlerGate
{
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;
    private int _closed;

    public bool IsClosed => Volatile.Read(ref _closed) == 1;

    public int Running => Volatile.Read(ref _running);

    public void Enter() => Interlocked.Increment(ref _running);

    public void Exit()
    {
        if (Interlocked.Decrement(ref _running) == 0 && IsClosed)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>Sets the flag; completes when no handler that entered before it is still running.</summary>
    public Task CloseAsync()
    {
        Interlocked.Exchange(ref _closed, 1);
        if (Volatile.Read(ref _running) == 0)
        {
            _idle.TrySetResult();
        }

        return _idle.Task;
    }
}
