namespace OpenChat.Storage;

/// <summary>
/// The store's part of the app's life. Before anything listens, the schema is brought up to date and the
/// database is proven writable: a read-only, locked or unreachable database stops the start with a
/// <see cref="ChatStoreException"/> that says what to fix. When the app stops, new messages are refused,
/// the queued ones are written and answered, and only then does Socket.IO close the connections (this
/// service is registered after it, so it stops before it).
/// </summary>
internal sealed partial class StorageHost(IChatStore store, IMessageWriter writer, RetentionSweeper retention, ILogger<StorageHost> logger) : IHostedLifecycleService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _retention = Task.CompletedTask;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.InitializeAsync(cancellationToken);
        }
        catch (ChatStoreException e)
        {
            LogCannotStart(logger, e.Message);
            throw;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        (writer as BatchingMessageWriter)?.Start();
        _retention = retention.RunAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (writer is BatchingMessageWriter batching)
        {
            await batching.DrainAsync(cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retention.WaitAsync(cancellationToken);
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _stopping.Dispose();
        return Task.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Critical, "OpenChat cannot start: {Reason}", EventName = "StoreUnavailable")]
    private static partial void LogCannotStart(ILogger logger, string reason);
}
