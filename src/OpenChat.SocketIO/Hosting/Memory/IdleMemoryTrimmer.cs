using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenChat.SocketIO.Hosting;

/// <summary>
/// Gives memory back after a burst: when the process has been quiet for one check and the GC holds much
/// more than the live heap, one aggressive collection compacts the heap and decommits what it no longer
/// needs (and the runtime's shared array pool trims itself on it). Never while the server is busy, and at
/// most once per <see cref="IdleMemoryTrimOptions.MinimumTrimInterval"/>.
/// </summary>
internal sealed partial class IdleMemoryTrimmer : BackgroundService
{
    private readonly IdleMemoryTrimOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TrimPolicy _policy;
    private long _lastAllocated = GC.GetTotalAllocatedBytes();

    public IdleMemoryTrimmer(IOptions<IdleMemoryTrimOptions> options, TimeProvider time, ILogger<IdleMemoryTrimmer> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _policy = new TrimPolicy(_options, time);
    }

    /// <summary>Trims done since the start (for tests and diagnostics).</summary>
    public int Trims { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.CheckInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Check();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One look at the heap; trims when the policy says so. Returns whether it trimmed.</summary>
    internal bool Check()
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var rate = (allocated - _lastAllocated) / _options.CheckInterval.TotalSeconds;
        _lastAllocated = allocated;
        var info = GC.GetGCMemoryInfo();
        if (!_policy.ShouldTrim(rate, info.TotalCommittedBytes, info.HeapSizeBytes))
        {
            return false;
        }

        Trims++;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetGCMemoryInfo();
        _policy.Trimmed(info.TotalCommittedBytes, after.TotalCommittedBytes, after.HeapSizeBytes);
        _lastAllocated = GC.GetTotalAllocatedBytes();
        Log.Trimmed(_logger, info.TotalCommittedBytes / (1024 * 1024), after.TotalCommittedBytes / (1024 * 1024), after.HeapSizeBytes / (1024 * 1024));
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(70, LogLevel.Information, "Quiet after a burst: memory the GC holds trimmed from {Before} MiB to {After} MiB ({Live} MiB live).", EventName = "MemoryTrimmed")]
        public static partial void Trimmed(ILogger logger, long before, long after, long live);
    }
}
