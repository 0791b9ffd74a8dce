namespace OpenChat.SocketIO.Redis.Protocol;

/// <summary>The request types of @socket.io/redis-adapter 8.x (<c>RequestType</c> in its lib/index.ts); the numbers are the wire values.</summary>
internal enum ClassicRequestType
{
    Sockets = 0,
    AllRooms = 1,
    RemoteJoin = 2,
    RemoteLeave = 3,
    RemoteDisconnect = 4,
    RemoteFetch = 5,
    ServerSideEmit = 6,
    Broadcast = 7,
    BroadcastClientCount = 8,
    BroadcastAck = 9,
}
