using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.Adapters;

public abstract partial class ClusterAdapter
{
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _serversLock = new();
    private readonly Dictionary<string, long> _servers = new(StringComparer.Ordinal);
    private readonly ITimer _heartbeatTimer;
    private readonly ITimer _cleanupTimer;
    private int _disposed;

    /// <summary>The other servers heard from within the heartbeat timeout (servers that send heartbeats; see <see cref="ClusterAdapterOptions"/>).</summary>
    public IReadOnlyCollection<string> Servers
    {
        get
        {
            lock (_serversLock)
            {
                return [.. _servers.Keys];
            }
        }
    }

    /// <summary>This server plus the other servers that send heartbeats.</summary>
    public override Task<int> ServerCountAsync(CancellationToken cancellationToken = default)
    {
        lock (_serversLock)
        {
            return Task.FromResult(1 + _servers.Count);
        }
    }

    /// <summary>Announces this server (the others answer with heartbeats) and starts its own heartbeats.</summary>
    public override Task InitAsync(CancellationToken cancellationToken)
    {
        _heartbeatTimer.Change(Options.HeartbeatInterval, Options.HeartbeatInterval);
        _cleanupTimer.Change(CleanupInterval, CleanupInterval);
        Publish(new ClusterMessage { Type = ClusterMessageType.InitialHeartbeat });
        return Task.CompletedTask;
    }

    /// <summary>Tells the other servers this one is leaving and stops the heartbeats.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _heartbeatTimer.DisposeAsync();
        await _cleanupTimer.DisposeAsync();
        try
        {
            await PublishAsync(new ClusterMessage { Type = ClusterMessageType.AdapterClose, ServerId = ServerId, Namespace = Namespace.Name }).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex)
        {
            Log.PublishFailed(Logger, Namespace.Name, nameof(ClusterMessageType.AdapterClose), ex.Message);
        }

        await base.DisposeAsync();
    }

    /// <summary>
    /// The transport lost its link: no other server can be reached, so each one leaves (raising
    /// <see cref="SocketIOAdapter.ServerLeft"/>) at once rather than after its heartbeat timeout.
    /// </summary>
    protected void OnConnectionLost()
    {
        string[] gone;
        lock (_serversLock)
        {
            gone = [.. _servers.Keys];
            _servers.Clear();
        }

        foreach (var serverId in gone)
        {
            Log.ServerLeft(Logger, Namespace.Name, serverId, "this server lost its link");
            OnServerLeft(serverId);
        }
    }

    /// <summary>The transport has its link back: this server announces itself again, and the others answer.</summary>
    protected void OnConnectionRestored() => Publish(new ClusterMessage { Type = ClusterMessageType.InitialHeartbeat });

    /// <summary>Records that a server was heard from; returns true when the message was a heartbeat (nothing more to do).</summary>
    private bool TrackServer(ClusterMessage message)
    {
        var serverId = message.ServerId;
        if (string.IsNullOrEmpty(serverId) || serverId == EmitterId)
        {
            return false;
        }

        var isHeartbeat = message.Type is ClusterMessageType.InitialHeartbeat or ClusterMessageType.Heartbeat;
        if (message.Type == ClusterMessageType.AdapterClose)
        {
            bool removed;
            lock (_serversLock)
            {
                removed = _servers.Remove(serverId);
            }

            if (removed)
            {
                Log.ServerLeft(Logger, Namespace.Name, serverId, "it closed");
                OnServerLeft(serverId);
            }

            return true;
        }

        bool joined;
        lock (_serversLock)
        {
            // Only servers that send heartbeats are tracked: a server of another kind (a Node server on the
            // classic Redis protocol, say) would otherwise seem to leave after every quiet spell.
            joined = isHeartbeat && !_servers.ContainsKey(serverId);
            if (isHeartbeat || _servers.ContainsKey(serverId))
            {
                _servers[serverId] = Time.GetTimestamp();
            }
        }

        if (joined)
        {
            Log.ServerJoined(Logger, Namespace.Name, serverId);
            OnServerJoined(serverId);
        }

        if (message.Type == ClusterMessageType.InitialHeartbeat)
        {
            Publish(new ClusterMessage { Type = ClusterMessageType.Heartbeat });
        }

        return isHeartbeat;
    }

    private void SendHeartbeat()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            Publish(new ClusterMessage { Type = ClusterMessageType.Heartbeat });
        }
    }

    private void RemoveSilentServers()
    {
        List<string>? gone = null;
        lock (_serversLock)
        {
            foreach (var (serverId, lastSeen) in _servers)
            {
                if (Time.GetElapsedTime(lastSeen) > Options.HeartbeatTimeout)
                {
                    (gone ??= new()).Add(serverId);
                }
            }

            foreach (var serverId in gone ?? [])
            {
                _servers.Remove(serverId);
            }
        }

        foreach (var serverId in gone ?? [])
        {
            Log.ServerLeft(Logger, Namespace.Name, serverId, "its heartbeats stopped");
            OnServerLeft(serverId);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(80, LogLevel.Information, "Namespace {Namespace}: server {ServerId} joined the cluster.", EventName = "ClusterServerJoined")]
        public static partial void ServerJoined(ILogger logger, string @namespace, string serverId);

        [LoggerMessage(81, LogLevel.Information, "Namespace {Namespace}: server {ServerId} left the cluster ({Why}).", EventName = "ClusterServerLeft")]
        public static partial void ServerLeft(ILogger logger, string @namespace, string serverId, string why);

        [LoggerMessage(82, LogLevel.Debug, "Namespace {Namespace}: could not publish {What}: {Error}", EventName = "ClusterPublishFailed")]
        public static partial void PublishFailed(ILogger logger, string @namespace, string what, string error);

        [LoggerMessage(83, LogLevel.Debug, "Namespace {Namespace}: ignored a {Type} message ({Why}).", EventName = "ClusterMessageIgnored")]
        public static partial void IgnoredMessage(ILogger logger, string @namespace, string type, string why);
    }
}
