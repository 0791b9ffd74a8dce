namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// The highest message number each of several receivers has seen, and a wait for all of them to reach a
/// number: lets a sender pace a stream by what was delivered, without sleeping.
/// </summary>
public sealed class StreamProgress
{
    private readonly long[] _seen;
    private readonly List<(long Number, TaskCompletionSource Reached)> _waiters = new();

    public StreamProgress(int receivers)
    {
        _seen = new long[receivers];
        Array.Fill(_seen, -1);
    }

    public void Report(int receiver, long number)
    {
        lock (_waiters)
        {
            _seen[receiver] = Math.Max(_seen[receiver], number);
            var lowest = _seen.Min();
            foreach (var waiter in _waiters.Where(w => w.Number <= lowest).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }
    }

    /// <summary>Completes once every receiver has seen <paramref name="number"/>.</summary>
    public Task WaitForAllAsync(long number)
    {
        lock (_waiters)
        {
            if (_seen.Min() >= number)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((number, reached));
            return reached.Task;
        }
    }
}
