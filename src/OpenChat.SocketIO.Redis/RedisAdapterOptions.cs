using OpenChat.SocketIO.Adapters;

namespace OpenChat.SocketIO.Redis;

/// <summary>
/// Options of the Redis adapter. Channel names, request timeout and response channel follow
/// @socket.io/redis-adapter 8.x, so .NET and Node servers with the same <see cref="Key"/> share one fleet.
/// </summary>
public sealed class RedisAdapterOptions : ClusterAdapterOptions
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or <c>redis1:6379,password=…,ssl=true</c>. Required.</summary>
    public string? Configuration { get; set; }

    /// <summary>The prefix of every channel (Node's <c>key</c>). Default <c>socket.io</c>.</summary>
    public string Key { get; set; } = "socket.io";

    /// <summary>
    /// Publish answers on the asking server's own channel (<c>{key}-response#{nsp}#{uid}#</c>) rather than the
    /// shared one. Default false, as in Node 8.x; every server listens on both.
    /// </summary>
    public bool PublishOnSpecificResponseChannel { get; set; }
}
