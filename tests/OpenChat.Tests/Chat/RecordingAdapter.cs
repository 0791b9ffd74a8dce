using OpenChat.SocketIO.Adapters;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.Tests.Chat;

/// <summary>An adapter with no sockets that records which rooms each broadcast was for, in order.</summary>
internal sealed class RecordingAdapter : ISocketIOAdapter
{
    private readonly List<string> _broadcasts = new();

    public int RoomCount => 0;

    /// <summary>The room of every broadcast so far (the empty string for "everyone").</summary>
    public IReadOnlyList<string> Broadcasts
    {
        get
        {
            lock (_broadcasts)
            {
                return [.. _broadcasts];
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

    public void AddAll(string socketId, IEnumerable<string> rooms)
    {
    }

    public void Delete(string socketId, string room)
    {
    }

    public void DeleteAll(string socketId)
    {
    }

    public IReadOnlySet<string> SocketRooms(string socketId) => new HashSet<string>();

    public IReadOnlyCollection<string> Sockets(BroadcastOptions options) => [];

    public void Broadcast(EncodedPacket packet, BroadcastOptions options)
    {
        lock (_broadcasts)
        {
            _broadcasts.Add(string.Join(",", options.Rooms.Order(StringComparer.Ordinal)));
        }
    }
}
