using System.Text.Json;

namespace OpenChat.SocketIO.Adapters;

public abstract partial class ClusterAdapter
{
    private PendingRequest Register(int expected, List<object> initial, TimeSpan timeout, string what)
    {
        var request = new PendingRequest(this, NewRequestId(), expected, initial, what);
        _requests[request.Id] = request;
        request.Timer = Time.CreateTimer(static s => ((PendingRequest)s!).TimeOut(), request, timeout, Timeout.InfiniteTimeSpan);
        return request;
    }

    /// <summary>A fetch or server-side emit waiting for one answer from each other server.</summary>
    private sealed class PendingRequest(ClusterAdapter adapter, string id, int expected, List<object> responses, string what)
    {
        private readonly Lock _sync = new();
        private int _received;

        public string Id { get; } = id;

        public TaskCompletionSource<List<object>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ITimer? Timer { get; set; }

        public void Add(IEnumerable<object> items)
        {
            lock (_sync)
            {
                responses.AddRange(items);
                if (++_received < expected)
                {
                    return;
                }
            }

            Finish();
            Completion.TrySetResult(responses);
        }

        public void TimeOut()
        {
            Finish();
            List<object> partial;
            lock (_sync)
            {
                partial = [.. responses];
            }

            var message = $"timeout reached: only {_received} responses received out of {expected} ({what})";
            Completion.TrySetException(what == "serverSideEmit"
                ? new ServerSideEmitTimeoutException(message, partial.Cast<JsonElement>().ToList())
                : new TimeoutException(message));
        }

        private void Finish()
        {
            Timer?.Dispose();
            adapter._requests.TryRemove(Id, out _);
        }
    }

    /// <summary>The callbacks of one broadcast with acknowledgements, kept until its timeout.</summary>
    private sealed class AckRequest(ClusterAdapter adapter, string id, Action<int> onClientCount, Action<EventArguments> onAck)
    {
        public ITimer? Timer { get; set; }

        public void OnClientCount(int count) => onClientCount(count);

        public void OnAck(EventArguments args) => onAck(args);

        public void Expire()
        {
            if (adapter._ackRequests.TryRemove(id, out var stored))
            {
                stored.Timer?.Dispose();
            }
        }
    }
}
