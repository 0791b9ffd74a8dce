using System.Net;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Sessions that completed the Engine.IO handshake but are not established yet (a Socket.IO connection
/// that joined no namespace), counted overall and per client address (<see cref="ClientAddressKey"/>), so
/// a flood of handshakes that never go further holds a bounded number of them.
/// </summary>
internal sealed class PendingSessions(int maxOverall, int maxPerAddress)
{
    private readonly Lock _sync = new();
    private readonly Dictionary<IPAddress, int> _perAddress = new();
    private int _overall;

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _overall;
            }
        }
    }

    /// <summary>Takes a place for a new session from <paramref name="address"/>; null (and why) when a bound is reached.</summary>
    public Slot? TryEnter(IPAddress? address, out PendingRefusal refusal)
    {
        var key = ClientAddressKey.For(address);
        lock (_sync)
        {
            if (_overall >= maxOverall)
            {
                refusal = PendingRefusal.Overall;
                return null;
            }

            _perAddress.TryGetValue(key, out var count);
            if (count >= maxPerAddress)
            {
                refusal = PendingRefusal.PerAddress;
                return null;
            }

            _perAddress[key] = count + 1;
            _overall++;
        }

        refusal = PendingRefusal.None;
        return new Slot(this, key);
    }

    private void Leave(IPAddress key)
    {
        lock (_sync)
        {
            _overall--;
            if (_perAddress.TryGetValue(key, out var count) && count > 1)
            {
                _perAddress[key] = count - 1;
            }
            else
            {
                _perAddress.Remove(key);
            }
        }
    }

    /// <summary>One pending session's place; released once, when the session is established or closes.</summary>
    internal sealed class Slot(PendingSessions owner, IPAddress key)
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Leave(key);
            }
        }
    }
}

/// <summary>Why <see cref="PendingSessions.TryEnter"/> refused a session.</summary>
internal enum PendingRefusal
{
    None,
    Overall,
    PerAddress,
}
