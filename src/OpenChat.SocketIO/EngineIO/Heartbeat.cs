namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// The v4 heartbeat of one session: a ping every <c>interval</c>, and a timeout when the pong does not come
/// within <c>timeout</c>. One timer on the session's <see cref="TimeProvider"/>; the session sends the ping
/// and decides what a timeout means. The pong is due one timeout after the ping went out, as in the
/// reference server; a request that arrives after that deadline can learn it (<see cref="IsOverdue"/>)
/// before a timer that a busy machine runs late does.
/// </summary>
internal sealed class Heartbeat : IDisposable
{
    private readonly Lock _sync = new();
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly Action _sendPing;
    private readonly Action _timedOut;
    private readonly ITimer _timer;
    private readonly TimeProvider _time;
    private long _pingSent;
    private bool _awaitingPong;
    private bool _stopped;

    public Heartbeat(TimeProvider time, TimeSpan interval, TimeSpan timeout, Action sendPing, Action timedOut)
    {
        _interval = interval;
        _timeout = timeout;
        _sendPing = sendPing;
        _timedOut = timedOut;
        _time = time;
        _timer = time.CreateTimer(static s => ((Heartbeat)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Whether a ping is out and its pong not back yet.</summary>
    public bool AwaitingPong
    {
        get
        {
            lock (_sync)
            {
                return _awaitingPong;
            }
        }
    }

    /// <summary>A ping is out and its pong is past its deadline, whether or not the timer has fired yet.</summary>
    public bool IsOverdue
    {
        get
        {
            lock (_sync)
            {
                return !_stopped && _awaitingPong && _time.GetElapsedTime(_pingSent) >= _timeout;
            }
        }
    }

    /// <summary>The first ping goes out one interval from now.</summary>
    public void Start()
    {
        lock (_sync)
        {
            if (!_stopped)
            {
                ScheduleNextPing();
            }
        }
    }

    /// <summary>A pong arrived: the next ping goes out one interval from now. A pong nobody asked for is ignored.</summary>
    public void OnPong()
    {
        lock (_sync)
        {
            if (_stopped || !_awaitingPong)
            {
                return;
            }

            _awaitingPong = false;
            ScheduleNextPing();
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _stopped = true;
        }

        _timer.Dispose();
    }

    private void ScheduleNextPing() => _timer.Change(_interval, Timeout.InfiniteTimeSpan);

    private void OnTimer()
    {
        bool timedOut;
        lock (_sync)
        {
            if (_stopped)
            {
                return;
            }

            timedOut = _awaitingPong;
            if (!timedOut)
            {
                _awaitingPong = true;
                _pingSent = _time.GetTimestamp();
                _timer.Change(_timeout, Timeout.InfiniteTimeSpan);
            }
        }

        if (timedOut)
        {
            _timedOut();
        }
        else
        {
            _sendPing();
        }
    }
}
