namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// One attempt to move a polling session onto a WebSocket: the candidate transport, whether the client has
/// probed it, and the upgrade timeout on the session's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class TransportUpgrade : IDisposable
{
    private readonly ITimer _timer;
    private int _probed;

    public TransportUpgrade(IEngineTransport candidate, TimeProvider time, TimeSpan timeout, Action<TransportUpgrade> timedOut)
    {
        Candidate = candidate;
        _timer = time.CreateTimer(static s => ((UpgradeTimeoutState)s!).Fire(), new UpgradeTimeoutState(this, timedOut), timeout, Timeout.InfiniteTimeSpan);
    }

    public IEngineTransport Candidate { get; }

    /// <summary>The client sent <c>2probe</c> on the candidate and got <c>3probe</c>.</summary>
    public bool Probed => Volatile.Read(ref _probed) == 1;

    public void MarkProbed() => Volatile.Write(ref _probed, 1);

    public void Dispose() => _timer.Dispose();

    private sealed record UpgradeTimeoutState(TransportUpgrade Upgrade, Action<TransportUpgrade> TimedOut)
    {
        public void Fire() => TimedOut(Upgrade);
    }
}
