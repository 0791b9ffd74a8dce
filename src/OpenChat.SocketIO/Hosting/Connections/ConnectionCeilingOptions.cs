namespace OpenChat.SocketIO;

/// <summary>
/// The most TCP connections the server holds at once, so that it never runs out of file descriptors: a
/// process at its open-file limit can accept nothing, open no file and, in .NET, not even report the error
/// without leaking. Bound from the <c>ConnectionCeiling</c> configuration section by
/// <c>UseConnectionCeiling</c>.
/// </summary>
public sealed class ConnectionCeilingOptions
{
    /// <summary>
    /// Most open connections (HTTP requests, polling and WebSocket sessions alike); beyond it a new connection
    /// is closed as soon as it is accepted. Null (the default) derives it from the process's open-file limit
    /// (<c>RLIMIT_NOFILE</c>, what <c>ulimit -n</c> shows): the limit minus
    /// <see cref="ReservedFileDescriptors"/>. Where no limit can be read, null means no ceiling.
    /// </summary>
    public int? MaxConnections { get; set; }

    /// <summary>
    /// Descriptors kept back from the derived ceiling for everything that is not a client connection: the
    /// runtime's own (about 150 to 200: loaded assemblies, pipes, epoll), log files, outgoing connections to
    /// databases or Redis. Null (the default) keeps 256 plus 5 % of the limit: 331 of 1 500, 3 532 of 65 536.
    /// </summary>
    public int? ReservedFileDescriptors { get; set; }

    /// <summary>
    /// Least time between two warnings about refused connections or exhausted descriptors: a flood logs one
    /// line per interval with a count, not one per connection. Default 10 s.
    /// </summary>
    public TimeSpan WarningInterval { get; set; } = TimeSpan.FromSeconds(10);
}
