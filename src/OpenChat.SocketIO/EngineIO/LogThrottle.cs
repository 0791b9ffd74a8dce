namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Turns a stream of events (refused handshakes, refused connections) into at most one log line per
/// interval, carrying how many happened since the last one: a flood must not become a flood of logs.
/// </summary>
internal sealed class LogThrottle(TimeSpan interval, TimeProvider time)
{
    private readonly Lock _sync = new();
    private long _since;
    private long? _last;

    /// <summary>Counts one event; returns how many to report when a line is due now, else null.</summary>
    public long? Count()
    {
        lock (_sync)
        {
            _since++;
            var now = time.GetTimestamp();
            if (_last is long last && time.GetElapsedTime(last, now) < interval)
            {
                return null;
            }

            var due = _since;
            _since = 0;
            _last = now;
            return due;
        }
    }

    /// <summary>Takes the events counted since the last line and makes the next event report at once.</summary>
    public long Reset()
    {
        lock (_sync)
        {
            var since = _since;
            _since = 0;
            _last = null;
            return since;
        }
    }
}
