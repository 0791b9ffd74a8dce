using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.Hosting;

/// <summary>
/// Open connections of the whole process against the ceiling (descriptors are per process, so every
/// listener shares one gauge), and the warnings about refusals and exhausted descriptors, at most one per
/// interval with a count. When descriptors run out below the ceiling (something else used them, or the
/// ceiling was set too high), the reserve is released and the ceiling lowered to what fitted.
/// </summary>
internal sealed partial class ConnectionGauge : IDisposable
{
    /// <summary>Descriptors held in reserve for the runtime.</summary>
    internal const int ReserveSize = 32;

    private readonly DescriptorReserve _reserve;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _interval;
    private readonly Lock _sync = new();
    private int _open;
    private long _refused;
    private long _refusedSinceWarning;
    private long? _lastRefusalWarning;
    private long _exhaustedSinceWarning;
    private long? _lastExhaustionWarning;
    private bool _atCeiling;
    private int? _ceiling;

    public ConnectionGauge(int? ceiling, long? fileLimit, TimeSpan interval, TimeProvider time, ILogger logger, int reserve = ReserveSize)
    {
        _ceiling = ceiling;
        _reserve = new DescriptorReserve(reserve);
        FileLimit = fileLimit;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    /// <summary>Most connections held at once; null when there is none. Lowered when descriptors ran out below it.</summary>
    public int? Ceiling
    {
        get
        {
            lock (_sync)
            {
                return _ceiling;
            }
        }
    }

    /// <summary>Whether the descriptor reserve is held (it is released when descriptors run out).</summary>
    public bool ReserveHeld => _reserve.IsHeld;

    /// <summary>The open-file limit the ceiling was derived from, when known.</summary>
    public long? FileLimit { get; }

    public int Open => Volatile.Read(ref _open);

    /// <summary>Connections closed at accept because the ceiling was reached, since the start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Counts a new connection in; false (and a warning at most once per interval) when the ceiling is reached.</summary>
    public bool TryEnter()
    {
        if (Ceiling is not int ceiling)
        {
            Interlocked.Increment(ref _open);
            return true;
        }

        if (!_reserve.IsHeld && Volatile.Read(ref _open) < ceiling - _reserve.Size && _reserve.TryAcquire())
        {
            Log.ReserveRestored(_logger, _reserve.Size);
        }

        bool admitted;
        long? refusedWhileFull = null;
        long? warnNow = null;
        lock (_sync)
        {
            ceiling = _ceiling ?? int.MaxValue;
            admitted = Volatile.Read(ref _open) < ceiling;
            if (admitted)
            {
                // Exit decrements without the lock; only increments need it, so the ceiling is never passed.
                Interlocked.Increment(ref _open);
                if (_atCeiling)
                {
                    _atCeiling = false;
                    refusedWhileFull = _refusedSinceWarning;
                    _refusedSinceWarning = 0;
                    _lastRefusalWarning = null;
                }
            }
            else
            {
                _atCeiling = true;
                _refused++;
                _refusedSinceWarning++;
                var now = _time.GetTimestamp();
                if (_lastRefusalWarning is not long last || _time.GetElapsedTime(last, now) >= _interval)
                {
                    warnNow = _refusedSinceWarning;
                    _refusedSinceWarning = 0;
                    _lastRefusalWarning = now;
                }
            }
        }

        if (warnNow is long count)
        {
            Log.CeilingReached(_logger, ceiling, count, _interval.TotalSeconds);
        }
        else if (refusedWhileFull is long since)
        {
            Log.BelowCeiling(_logger, ceiling, since);
        }

        return admitted;
    }

    public void Exit() => Interlocked.Decrement(ref _open);

    /// <summary>Accept failed for want of descriptors or memory; warns at most once per interval.</summary>
    public void OnExhausted(string error)
    {
        long? warnNow = null;
        int? lowered = null;
        var released = _reserve.Release();
        lock (_sync)
        {
            // What fitted, less the reserve to take back: from now on the ceiling sheds before the limit.
            var fits = Math.Max(1, Volatile.Read(ref _open) - _reserve.Size);
            if (_ceiling is not int current || fits < current)
            {
                _ceiling = fits;
                lowered = fits;
            }

            _exhaustedSinceWarning++;
            var now = _time.GetTimestamp();
            if (_lastExhaustionWarning is not long last || _time.GetElapsedTime(last, now) >= _interval)
            {
                warnNow = _exhaustedSinceWarning;
                _exhaustedSinceWarning = 0;
                _lastExhaustionWarning = now;
            }
        }

        if (warnNow is long count)
        {
            Log.DescriptorsExhausted(_logger, error, Open, FileLimit, count, _interval.TotalSeconds);
        }

        if (lowered is int ceiling)
        {
            Log.CeilingLowered(_logger, ceiling, released ? _reserve.Size : 0);
        }
    }

    public void Dispose() => _reserve.Dispose();

    private static partial class Log
    {
        [LoggerMessage(60, LogLevel.Warning, "Connection ceiling of {Ceiling} reached: new connections are closed as they arrive; open ones are still served ({Refused} refused since the last such warning, which repeats at most every {Interval} s). ConnectionCeiling:MaxConnections sets the ceiling.", EventName = "ConnectionCeilingReached")]
        public static partial void CeilingReached(ILogger logger, int ceiling, long refused, double interval);

        [LoggerMessage(61, LogLevel.Information, "Back under the connection ceiling of {Ceiling}: new connections are accepted again ({Refused} refused since the last warning).", EventName = "BelowConnectionCeiling")]
        public static partial void BelowCeiling(ILogger logger, int ceiling, long refused);

        [LoggerMessage(62, LogLevel.Warning, "Cannot accept connections: {Error} with {Open} connections open (open-file limit {FileLimit}); accepting pauses and retries ({Failures} failures since the last such warning, repeated at most every {Interval} s). Raise the limit or lower ConnectionCeiling:MaxConnections.", EventName = "DescriptorsExhausted")]
        public static partial void DescriptorsExhausted(ILogger logger, string error, int open, long? fileLimit, long failures, double interval);

        [LoggerMessage(65, LogLevel.Warning, "The connection ceiling is lowered to {Ceiling}, what fitted under the open-file limit; {Released} reserved descriptors were released for the runtime.", EventName = "ConnectionCeilingLowered")]
        public static partial void CeilingLowered(ILogger logger, int ceiling, int released);

        [LoggerMessage(66, LogLevel.Information, "{Size} reserved descriptors are held again.", EventName = "DescriptorReserveRestored")]
        public static partial void ReserveRestored(ILogger logger, int size);
    }
}
