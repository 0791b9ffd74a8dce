namespace OpenChat.SocketIO;

/// <summary>
/// Collects the acknowledgements of one broadcast as the reference server does: complete once every server
/// has reported its client count and that many answers came, or fail at the timeout with what came.
/// </summary>
internal sealed class AckAggregate
{
    private readonly Lock _sync = new();
    private readonly List<EventArguments> _responses = new();
    private readonly TaskCompletionSource<IReadOnlyList<EventArguments>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer _timer;
    private int _expectedServers = -1;
    private int _reportedServers;
    private int _expectedClients;

    public AckAggregate(TimeProvider time, TimeSpan timeout) =>
        _timer = time.CreateTimer(static s => ((AckAggregate)s!).TimeOut(), this, timeout, System.Threading.Timeout.InfiniteTimeSpan);

    public Task<IReadOnlyList<EventArguments>> Completion => _completion.Task;

    public void AddClients(int count)
    {
        lock (_sync)
        {
            _expectedClients += count;
            _reportedServers++;
        }

        CheckCompleteness();
    }

    public void AddResponse(EventArguments args)
    {
        lock (_sync)
        {
            _responses.Add(args.Count > 1 ? args.Slice(0, 1) : args);
        }

        CheckCompleteness();
    }

    public void SetServerCount(int servers)
    {
        lock (_sync)
        {
            _expectedServers = servers;
        }

        CheckCompleteness();
    }

    private void CheckCompleteness()
    {
        IReadOnlyList<EventArguments> done;
        lock (_sync)
        {
            if (_completion.Task.IsCompleted || _expectedServers != _reportedServers || _responses.Count != _expectedClients)
            {
                return;
            }

            done = [.. _responses];
        }

        _timer.Dispose();
        _completion.TrySetResult(done);
    }

    /// <summary>The broadcaster stopped waiting: the task is cancelled; answers that come later are ignored.</summary>
    public void Cancel(CancellationToken token)
    {
        _timer.Dispose();
        _completion.TrySetCanceled(token);
    }

    private void TimeOut()
    {
        IReadOnlyList<EventArguments> partial;
        lock (_sync)
        {
            partial = [.. _responses];
        }

        _completion.TrySetException(new BroadcastAckTimeoutException(partial));
    }
}
