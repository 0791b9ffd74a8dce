namespace OpenChat.SocketIO.Hosting;

/// <summary>
/// When <see cref="IdleMemoryTrimmer"/> collects. Only while quiet (allocating under the quiet rate), at
/// most once per minimum interval, and when the GC holds enough beyond the live heap of its last collection,
/// or on the first quiet check after a busy one (a burst just ended: what its last collection saw live, the
/// burst's connections, may be gone now). A trim can only see what is live at that moment: right after a
/// burst that may still be the burst's leftovers (sessions waiting to expire), so a trim that left a large
/// live heap is tried again one interval later,
/// and then at doubling intervals (up to <see cref="LongestRetry"/>) while it keeps finding the heap live,
/// which is what a server with a genuinely large steady heap costs: a full collection every few minutes.
/// </summary>
internal sealed class TrimPolicy(IdleMemoryTrimOptions options, TimeProvider time)
{
    internal static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(10);

    private long? _lastTrim;
    private long? _retryAt;
    private bool _wasBusy;
    private TimeSpan _retryDelay = options.MinimumTrimInterval;

    /// <summary>Whether to trim now, given the allocation rate since the last check and the GC's last collection.</summary>
    public bool ShouldTrim(double allocatedBytesPerSecond, long committedBytes, long heapBytesAtLastGc)
    {
        if (allocatedBytesPerSecond > options.QuietAllocationBytesPerSecond)
        {
            // Busy: whatever is live belongs to the load, not to a burst that ended.
            _retryAt = null;
            _retryDelay = options.MinimumTrimInterval;
            _wasBusy = true;
            return false;
        }

        var now = time.GetTimestamp();
        if (_lastTrim is long last && time.GetElapsedTime(last, now) < options.MinimumTrimInterval)
        {
            return false;
        }

        var worthIt = committedBytes - heapBytesAtLastGc >= options.MinimumReclaimableBytes;
        var retryDue = _retryAt is long at && now >= at;
        var burstEnded = _wasBusy && committedBytes >= options.MinimumReclaimableBytes;
        return worthIt || retryDue || burstEnded;
    }

    /// <summary>A trim ran: it took committed memory from <paramref name="committedBefore"/> to <paramref name="committedAfter"/> with <paramref name="liveAfter"/> live.</summary>
    public void Trimmed(long committedBefore, long committedAfter, long liveAfter)
    {
        var now = time.GetTimestamp();
        var wasRetry = _retryAt is not null;
        _lastTrim = now;
        _wasBusy = false;
        if (liveAfter < options.MinimumReclaimableBytes)
        {
            _retryAt = null;
            _retryDelay = options.MinimumTrimInterval;
            return;
        }

        // Still a large live heap: try again later, sooner if this trim found much to give back.
        var gained = committedBefore - committedAfter >= options.MinimumReclaimableBytes;
        _retryDelay = !wasRetry || gained ? options.MinimumTrimInterval : Min(_retryDelay * 2, LongestRetry);
        _retryAt = now + (long)(_retryDelay.TotalSeconds * time.TimestampFrequency);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
