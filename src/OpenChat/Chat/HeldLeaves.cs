using Microsoft.Extensions.Options;

namespace OpenChat.Chat;

/// <summary>
/// Leaves held back for <see cref="ChatOptions.ReconnectGrace"/>. A rich client whose connection dropped in a way
/// Socket.IO can recover from (a lost network, a killed transport, a ping timeout) stays listed, here and on the
/// other servers, with no list change and no "left" line, until the grace ends; when its session is recovered
/// meanwhile, nobody ever hears of the drop. Timers run on the app's <see cref="TimeProvider"/>.
/// </summary>
public sealed class HeldLeaves : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _grace;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, Held> _held = new(StringComparer.Ordinal);
    private bool _disposed;

    public HeldLeaves(IOptions<ChatOptions> options, TimeProvider time, IHostApplicationLifetime? lifetime = null)
    {
        _time = time;
        _grace = options.Value.ReconnectGrace;

        // A stopping server keeps no session anyone could come back to: the leaves it holds are announced at once
        // (to the other servers of a cluster above all), not after a grace that would outlive it.
        lifetime?.ApplicationStopping.Register(LeaveAll);
    }

    /// <summary>Whether leaves are held at all (a grace of zero announces them at once).</summary>
    public bool Enabled => _grace > TimeSpan.Zero;

    /// <summary>Leaves waiting for their grace to end.</summary>
    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Runs <paramref name="leave"/> once the grace has passed, unless <see cref="Release"/> comes first.</summary>
    public void Hold(string socketId, Action leave)
    {
        var held = new Held(this, socketId, leave);
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            if (_held.Remove(socketId, out var earlier))
            {
                earlier.Timer?.Dispose();
            }

            _held[socketId] = held;
            held.Timer = _time.CreateTimer(static s => ((Held)s!).Expire(), held, _grace, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The session came back: its leave is cancelled. False when none was held (the grace had passed).</summary>
    public bool Release(string socketId)
    {
        Held? held;
        lock (_sync)
        {
            if (!_held.Remove(socketId, out held))
            {
                return false;
            }
        }

        held.Timer?.Dispose();
        return true;
    }

    /// <summary>Announces every held leave now.</summary>
    public void LeaveAll()
    {
        Held[] all;
        lock (_sync)
        {
            all = [.. _held.Values];
            _held.Clear();
        }

        foreach (var held in all)
        {
            held.Timer?.Dispose();
            held.Leave();
        }
    }

    public void Dispose()
    {
        Held[] all;
        lock (_sync)
        {
            _disposed = true;
            all = [.. _held.Values];
            _held.Clear();
        }

        foreach (var held in all)
        {
            held.Timer?.Dispose();
        }
    }

    private void Expire(Held held)
    {
        lock (_sync)
        {
            // Released, or held again by a later drop, meanwhile: this timer no longer speaks for it.
            if (!_held.TryGetValue(held.SocketId, out var current) || current != held)
            {
                return;
            }

            _held.Remove(held.SocketId);
        }

        held.Timer?.Dispose();
        held.Leave();
    }

    private sealed class Held(HeldLeaves owner, string socketId, Action leave)
    {
        public string SocketId => socketId;

        public Action Leave => leave;

        public ITimer? Timer { get; set; }

        public void Expire() => owner.Expire(this);
    }
}
