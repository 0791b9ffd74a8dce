using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO;
using OpenChat.SocketIO.Adapters;

namespace OpenChat.Testing;

/// <summary>
/// Servers in one process joined by the smallest possible <see cref="ClusterAdapter"/> transport: a publish is
/// handed to every other member's <c>OnMessage</c> at once, a response to its requester's <c>OnResponse</c>.
/// It tests the transport-independent half of the cluster adapter, and shows how little a transport must do.
/// A member can be cut off (messages to and from it are lost) and messages can be dropped by a filter.
/// </summary>
public sealed class LoopbackCluster
{
    private readonly List<LoopbackAdapter> _members = new();

    /// <summary>Messages the filter returns true for are lost on the way.</summary>
    public Func<ClusterMessage, bool> DropMessage { get; set; } = _ => false;

    /// <summary>Responses the filter returns true for are lost on the way.</summary>
    public Func<ClusterResponse, bool> DropResponse { get; set; } = _ => false;

    public int Published { get; private set; }

    public SocketIOServer AddServer(TimeProvider time, ClusterAdapterOptions? options = null, Action<SocketIOOptions>? configure = null)
    {
        var server = new SocketIOOptions { AdapterFactory = ns => new LoopbackAdapter(ns, this, options ?? new ClusterAdapterOptions()) };
        configure?.Invoke(server);
        return new(Options.Create(server), NullLoggerFactory.Instance, time);
    }

    internal void Join(LoopbackAdapter member)
    {
        lock (_members)
        {
            _members.Add(member);
        }
    }

    internal void Publish(LoopbackAdapter from, ClusterMessage message)
    {
        LoopbackAdapter[] others;
        lock (_members)
        {
            Published++;
            others = [.. _members.Where(m => m != from && m.Online)];
        }

        if (!from.Online || DropMessage(message))
        {
            return;
        }

        foreach (var member in others)
        {
            member.Receive(message);
        }
    }

    internal void Respond(LoopbackAdapter from, string requesterId, ClusterResponse response)
    {
        LoopbackAdapter? requester;
        lock (_members)
        {
            requester = _members.FirstOrDefault(m => m.ServerId == requesterId && m.Online);
        }

        if (from.Online && !DropResponse(response))
        {
            requester?.Answer(response);
        }
    }
}

/// <summary>One member of a <see cref="LoopbackCluster"/>.</summary>
public sealed class LoopbackAdapter : ClusterAdapter
{
    private readonly LoopbackCluster _cluster;

    public LoopbackAdapter(SocketIONamespace ns, LoopbackCluster cluster, ClusterAdapterOptions options)
        : base(ns, options)
    {
        _cluster = cluster;
        cluster.Join(this);
    }

    public bool Online { get; private set; } = true;

    /// <summary>Cuts this member's link, as a transport that lost its connection reports it.</summary>
    public void GoOffline()
    {
        Online = false;
        OnConnectionLost();
    }

    public void ComeBack()
    {
        Online = true;
        OnConnectionRestored();
    }

    public void Receive(ClusterMessage message) => OnMessage(message);

    public void Answer(ClusterResponse response) => OnResponse(response);

    protected override Task PublishAsync(ClusterMessage message)
    {
        _cluster.Publish(this, message);
        return Task.CompletedTask;
    }

    protected override Task PublishResponseAsync(string requesterId, ClusterResponse response)
    {
        _cluster.Respond(this, requesterId, response);
        return Task.CompletedTask;
    }
}
