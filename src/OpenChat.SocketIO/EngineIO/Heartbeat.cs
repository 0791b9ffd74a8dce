namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// The heartbeat of one session, on one timer of the session's <see cref="TimeProvider"/>; the session sends
/// the packets and decides what a timeout means.
/// <list type="bullet">
/// <item>v4, the server pings: a ping every <c>interval</c>; the pong is due one <c>timeout</c> after the
/// ping went out, as in the reference server.</item>
/// <item>v3, the client pings: the server answers each ping with a pong; a client whose next ping does not
/// come within <c>interval + timeout</c> has timed out.</item>
/// </list>
/// A request that arrives after a deadline can learn it (<see cref="IsOverdue"/>) before a timer that a
/// busy machine runs late does; in v4 that includes a client silent for more than <c>interval + timeout</c>
/// since its last pong, which is the client's own rule (it gives up when no ping came for that long), so a
/// ping the server sent late cannot keep a session the client has given up on.
/// </summary>
internal sealed class Heartbeat : IDisposable
{
    private readonly Lock _sync = new();
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly bool _clientPings;
    private readonly EngineSession _session;
    private readonly ITimer _timer;
    private readonly TimeProvider _time;
    private long _deadlineFrom;
    private long _lastHeard;
    private bool _awaitingPong;
    private bool _started;
    private bool _stopped;

    // clientPings: the v3 direction, where the client pings and the server answers.
    // It calls the session back directly: two delegate objects fewer per connection.
    public Heartbeat(EngineSession session, TimeProvider time, TimeSpan interval, TimeSpan timeout, bool clientPings)
    {
        _session = session;
        _interval = interval;
        _timeout = timeout;
        _clientPings = clientPings;
        _time = time;
        _timer = time.CreateTimer(static s => ((Heartbeat)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Whether a ping of the server is out and its pong not back yet (never, when the client pings).</summary>
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

    /// <summary>The deadline has passed, whether or not the timer has fired yet.</summary>
    public bool IsOverdue
    {
        get
        {
            lock (_sync)
            {
                if (_stopped || !_started)
                {
                    return false;
                }

                return _clientPings
                    ? _time.GetElapsedTime(_deadlineFrom) >= Patience
                    : (_awaitingPong && _time.GetElapsedTime(_deadlineFrom) >= _timeout) || _time.GetElapsedTime(_lastHeard) > _interval + _timeout;
            }
        }
    }

    /// <summary>How long after the last ping (v3) or after the ping went out (v4) the client may stay silent.</summary>
    private TimeSpan Patience => _clientPings ? _interval + _timeout : _timeout;

    /// <summary>v4: the first ping goes out one interval from now. v3: the client's first ping is due within interval + timeout.</summary>
    public void Start()
    {
        lock (_sync)
        {
            if (_stopped)
            {
                return;
            }

            _started = true;
            _lastHeard = _time.GetTimestamp();
            if (_clientPings)
            {
                WaitForClientPing();
            }
            else
            {
                _timer.Change(_interval, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>v4: a pong arrived; the next ping goes out one interval from now. A pong nobody asked for is ignored.</summary>
    public void OnPong()
    {
        lock (_sync)
        {
            if (_stopped || !_awaitingPong)
            {
                return;
            }

            _awaitingPong = false;
            _lastHeard = _time.GetTimestamp();
            _timer.Change(_interval, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>v3: the client pinged (the session answers); its next ping is due within interval + timeout.</summary>
    public void OnClientPing()
    {
        lock (_sync)
        {
            if (!_stopped)
            {
                WaitForClientPing();
            }
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

    private void WaitForClientPing()
    {
        _deadlineFrom = _time.GetTimestamp();
        _timer.Change(Patience, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        bool timedOut;
        lock (_sync)
        {
            if (_stopped)
            {
                return;
            }

            timedOut = _clientPings || _awaitingPong;
            if (!timedOut)
            {
                _awaitingPong = true;
                _deadlineFrom = _time.GetTimestamp();
                _timer.Change(_timeout, Timeout.InfiniteTimeSpan);
            }
        }

        if (timedOut)
        {
            _session.OnPingTimedOut();
        }
        else
        {
            _session.SendPing();
        }
    }
}
