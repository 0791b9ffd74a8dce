using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace OpenChat.Storage;

/// <summary>
/// Writes messages in batches: handlers queue them in a bounded channel and await their outcome, and one
/// background loop writes whatever has gathered (up to <see cref="StorageOptions.MaxBatchSize"/>) in a
/// single transaction, then completes each message. Under load the batches grow by themselves, so a
/// transaction's cost is shared by many messages; when idle a message is written on its own at once. A
/// message is completed as stored only after its transaction committed, so a sender's ack (and everyone
/// else's copy) always means "it is in the history". Completions resume their handlers on the loop's own
/// thread, in commit order: delivering a message only queues it to each recipient (their writers run on the
/// thread pool), so the loop is held for microseconds, while a resumption on the thread pool waited behind
/// the send work of thousands of connections and cost about a third of the saturated fan-out (measured in
/// docs/benchmarks-storage.md). Messages that arrive meanwhile gather into the next batch. If a batch fails,
/// each of its messages is completed with the reason and its sender is told; nothing is dropped silently.
/// </summary>
internal sealed partial class BatchingMessageWriter : IMessageWriter
{
    private readonly Channel<Pending> _queue;
    private readonly IChatStore _store;
    private readonly StorageOptions _options;
    private readonly ILogger<BatchingMessageWriter> _logger;
    private Task? _loop;
    private volatile bool _stopping;

    public BatchingMessageWriter(IChatStore store, IOptions<StorageOptions> options, ILogger<BatchingMessageWriter> logger)
    {
        _store = store;
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(_options.WriteQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Transactions written so far (for tests and metrics).</summary>
    public long Batches { get; private set; }

    public ValueTask<WriteOutcome> WriteAsync(NewChatMessage message)
    {
        // Not RunContinuationsAsynchronously: the handler resumes on the writer loop once its batch committed.
        var pending = new Pending(message, new TaskCompletionSource<WriteOutcome>());
        if (_queue.Writer.TryWrite(pending))
        {
            return new ValueTask<WriteOutcome>(pending.Completion.Task);
        }

        return ValueTask.FromResult(WriteOutcome.Refused(_stopping
            ? "The server is shutting down; your message was not sent."
            : "The server is busy storing messages; your message was not sent. Try again in a moment."));
    }

    /// <summary>Starts the background loop (once the store is initialized).</summary>
    public void Start() => _loop ??= Task.Run(RunAsync);

    /// <summary>Refuses new messages, then writes and completes every queued one; bounded by <paramref name="cancellationToken"/>.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
        {
            await loop.WaitAsync(cancellationToken);
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(_options.MaxBatchSize);
        var messages = new List<NewChatMessage>(_options.MaxBatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                messages.Add(pending.Message);
            }

            await WriteAsync(batch, messages);
            batch.Clear();
            messages.Clear();
        }
    }

    private async Task WriteAsync(List<Pending> batch, List<NewChatMessage> messages)
    {
        IReadOnlyList<long> ids;
        try
        {
            ids = await _store.AppendAsync(messages, CancellationToken.None);
            Batches++;
        }
        catch (Exception e)
        {
            var failure = e as ChatStoreException;
            LogWriteFailed(_logger, batch.Count, _store.Description, e);
            var reason = Reason(failure?.Failure ?? ChatStoreFailure.Failed);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetResult(WriteOutcome.Refused(reason));
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(new WriteOutcome(ids[i], null));
        }
    }

    /// <summary>What a sender is told; the details (paths, servers) stay in the server's log.</summary>
    private static string Reason(ChatStoreFailure failure) => failure switch
    {
        ChatStoreFailure.Locked => "Your message was not sent: the chat history is locked by another program. Try again in a moment.",
        ChatStoreFailure.ReadOnly => "Your message was not sent: the chat history cannot be written right now.",
        ChatStoreFailure.Unavailable => "Your message was not sent: the chat history cannot be reached right now.",
        _ => "Your message was not sent: it could not be stored.",
    };

    [LoggerMessage(1, LogLevel.Error, "Could not store {Count} messages in the {Store}; their senders were told", EventName = "WriteFailed")]
    private static partial void LogWriteFailed(ILogger logger, int count, string store, Exception error);

    private sealed record Pending(NewChatMessage Message, TaskCompletionSource<WriteOutcome> Completion);
}
