using OpenChat.SocketIO;
using OpenChat.SocketIO.Adapters;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.Tests.Chat;

/// <summary>An in-memory adapter that also records which rooms each broadcast was for, in order, and whether it was local.</summary>
internal sealed class RecordingAdapter(SocketIONamespace ns) : InMemoryAdapter(ns)
{
    private readonly List<(string Rooms, bool Local)> _broadcasts = new();

    /// <summary>The room of every broadcast so far (the empty string for "everyone").</summary>
    public IReadOnlyList<string> Broadcasts
    {
        get
        {
            lock (_broadcasts)
            {
                return [.. _broadcasts.Select(b => b.Rooms)];
            }
        }
    }

    /// <summary>Whether every broadcast so far was for this server's clients only.</summary>
    public bool AllLocal
    {
        get
        {
            lock (_broadcasts)
            {
                return _broadcasts.All(b => b.Local);
            }
        }
    }

    public int CountTo(string room) => Broadcasts.Count(r => r == room);

    public void Clear()
    {
        lock (_broadcasts)
        {
            _broadcasts.Clear();
        }
    }

    public override void Broadcast(EncodedPacket packet, BroadcastOptions options)
    {
        lock (_broadcasts)
        {
            _broadcasts.Add((string.Join(",", options.Rooms.Order(StringComparer.Ordinal)), options.Flags.Local));
        }

        base.Broadcast(packet, options);
    }
}
