namespace OpenChat.SocketIO.EngineIO;

// The move from polling to WebSocket: open ⇄ upgrading. Every transition is taken under the session's lock.
public sealed partial class EngineSession
{
    /// <summary>Open → upgrading, when the session is on polling and upgrades are allowed.</summary>
    internal bool TryBeginUpgrade(IEngineTransport candidate)
    {
        lock (_sync)
        {
            if (_state != EngineSessionState.Open || _transport?.Name != "polling" || !_options.AllowUpgrades)
            {
                return false;
            }

            _upgrade = new TransportUpgrade(candidate, _time, _options.UpgradeTimeout, OnUpgradeTimedOut);
            _state = EngineSessionState.Upgrading;
            return true;
        }
    }

    /// <summary>The client probed the candidate: the pending poll is answered so the client can pause polling.</summary>
    internal void OnUpgradeProbe(IEngineTransport candidate)
    {
        IEngineTransport? current;
        lock (_sync)
        {
            if (_upgrade?.Candidate != candidate)
            {
                return;
            }

            _upgrade.MarkProbed();
            current = _transport;
        }

        current?.Release();
    }

    /// <summary>Upgrading → open on the candidate, when the client sends the upgrade packet. False when it is too late.</summary>
    internal bool OnUpgradeRequested(IEngineTransport candidate)
    {
        IEngineTransport? previous;
        TransportUpgrade upgrade;
        lock (_sync)
        {
            if (_state != EngineSessionState.Upgrading || _upgrade is null || _upgrade.Candidate != candidate)
            {
                return false;
            }

            upgrade = _upgrade;
            _upgrade = null;
            previous = _transport;
            Volatile.Write(ref _transport, candidate);
            _state = EngineSessionState.Open;
        }

        upgrade.Dispose();

        // The retired polling transport answers its pending poll; its later requests are refused.
        previous?.Release();
        Log.Upgraded(_logger, Id);
        return true;
    }

    private void OnUpgradeTimedOut(TransportUpgrade upgrade)
    {
        Log.UpgradeTimedOut(_logger, Id);
        AbandonUpgrade(upgrade);
    }

    /// <summary>Upgrading → open on polling again; the candidate is stopped.</summary>
    private void AbandonUpgrade(TransportUpgrade upgrade)
    {
        lock (_sync)
        {
            if (_upgrade != upgrade)
            {
                return;
            }

            _upgrade = null;
            if (_state == EngineSessionState.Upgrading)
            {
                _state = EngineSessionState.Open;
            }
        }

        upgrade.Dispose();
        upgrade.Candidate.Abort();
        Log.UpgradeAbandoned(_logger, Id);
    }
}
