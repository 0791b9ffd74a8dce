using Microsoft.Extensions.Options;

namespace OpenChat.Storage;

/// <summary>
/// Deletes messages older than <see cref="StorageOptions.Retention"/>, once at start and then every
/// <see cref="StorageOptions.RetentionSweepInterval"/>, on the injected <see cref="TimeProvider"/>. A failed
/// sweep is logged and tried again at the next interval; the chat is not affected.
/// </summary>
internal sealed partial class RetentionSweeper(IChatStore store, IOptions<StorageOptions> options, TimeProvider time, ILogger<RetentionSweeper> logger)
{
    private readonly StorageOptions _options = options.Value;

    /// <summary>Whether a retention is configured at all.</summary>
    public bool Enabled => _options.Retention is { } retention && retention > TimeSpan.Zero;

    /// <summary>Raised after each sweep, with how many messages it deleted (for tests and metrics).</summary>
    public event Action<long>? Swept;

    /// <summary>Deletes what is older than the retention now; returns how many messages went.</summary>
    public async Task<long> SweepAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return 0;
        }

        var cutoff = time.GetUtcNow() - _options.Retention!.Value;
        long deleted = 0;
        try
        {
            deleted = await store.DeleteMessagesSentBeforeAsync(cutoff.ToUnixTimeMilliseconds(), cancellationToken);
            if (deleted > 0)
            {
                LogSwept(logger, deleted, cutoff);
            }
        }
        catch (ChatStoreException e)
        {
            LogSweepFailed(logger, e);
        }

        Swept?.Invoke(deleted);
        return deleted;
    }

    /// <summary>Sweeps now and then at every interval until <paramref name="stopping"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        if (!Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.RetentionSweepInterval, time);
        try
        {
            do
            {
                await SweepAsync(stopping);
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Retention: deleted {Count} messages sent before {Cutoff:u}", EventName = "RetentionSwept")]
    private static partial void LogSwept(ILogger logger, long count, DateTimeOffset cutoff);

    [LoggerMessage(2, LogLevel.Warning, "Retention: the sweep failed; it will be tried again", EventName = "RetentionFailed")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);
}
