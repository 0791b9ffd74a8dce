namespace OpenChat.Bench.Running;

/// <summary>
/// How to start one of the compared servers. In the arguments, <c>{port}</c> is replaced by the chosen port and
/// <c>{data}</c> by a fresh temp folder, deleted when the server stops.
/// </summary>
public sealed record ServerDefinition(string Key, string DisplayName, string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory)
{
    /// <summary>True for a bare Socket.IO host (no chat app); it runs only the bare-host cases.</summary>
    public bool IsBare { get; init; }

    /// <summary>Extra environment variables of the server process.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The same server as one instance of several on the Redis at <paramref name="redisPort"/> (OpenChat with
    /// <c>Redis:Configuration</c>, Node with @socket.io/redis-adapter); null for a server that cannot share one.
    /// </summary>
    public ServerDefinition? OnRedis(int redisPort) => Key switch
    {
        "openchat" => this with { Arguments = [.. Arguments, $"--Redis:Configuration=127.0.0.1:{redisPort}"] },
        "node" => this with { Environment = new Dictionary<string, string>(Environment) { ["REDIS_URL"] = $"redis://127.0.0.1:{redisPort}" } },
        _ => null,
    };

    /// <summary>
    /// OpenChat, published in Release, with the chat rate limits (per connection and per address) and the
    /// per-address handshake limits lifted, since the load comes from a few loopback addresses and the
    /// benchmark measures the server rather than its limiters; logging at Warning like the peers (which log
    /// nothing per message).
    /// It stores every message, as it does by default, in a SQLite file of its own per case.
    /// </summary>
    public static ServerDefinition OpenChat(string publishedDll) => new(
        "openchat",
        "OpenChat (.NET)",
        "dotnet",
        [publishedDll, "--urls", "http://127.0.0.1:{port}", "--Storage:DataFolder={data}", "--Chat:MessagesPerSecond=1000000", "--Chat:MessageBurst=1000000", "--Chat:MessagesPerSecondPerIp=0", "--SocketIO:HandshakesPerMinutePerIp=100000000", "--SocketIO:MaxPendingSessionsPerIp=100000", "--SocketIO:MaxPendingSessions=100000", "--Logging:LogLevel:Default=Warning"],
        Path.GetDirectoryName(publishedDll)!);

    /// <summary>The same OpenChat with storage off (<c>Storage:Enabled=false</c>): what storing costs is the difference.</summary>
    public static ServerDefinition OpenChatWithoutStorage(string publishedDll) => OpenChat(publishedDll) with
    {
        Key = "openchat-nostore",
        DisplayName = "OpenChat, storage off",
        Arguments = [.. OpenChat(publishedDll).Arguments.Where(a => !a.StartsWith("--Storage:", StringComparison.Ordinal)), "--Storage:Enabled=false"],
    };

    /// <summary>
    /// The same OpenChat with connection state recovery off (<c>SocketIO:ConnectionStateRecovery:Enabled=false</c>):
    /// what keeping broadcasts for returning clients costs is the difference.
    /// </summary>
    public static ServerDefinition OpenChatWithoutRecovery(string publishedDll) => OpenChat(publishedDll) with
    {
        Key = "openchat-norecovery",
        DisplayName = "OpenChat, recovery off",
        Arguments = [.. OpenChat(publishedDll).Arguments, "--SocketIO:ConnectionStateRecovery:Enabled=false"],
    };

    /// <summary>OpenChat with WebSocket compression on (<c>SocketIO:PerMessageDeflate:Enabled=true</c>; it is off by default).</summary>
    public static ServerDefinition OpenChatWithDeflate(string publishedDll) => OpenChat(publishedDll) with
    {
        Key = "openchat-deflate",
        DisplayName = "OpenChat, permessage-deflate on",
        Arguments = [.. OpenChat(publishedDll).Arguments, "--SocketIO:PerMessageDeflate:Enabled=true"],
    };

    /// <summary>OpenChat with polling compression off (<c>SocketIO:HttpCompression:Enabled=false</c>; it is on by default).</summary>
    public static ServerDefinition OpenChatWithoutHttpCompression(string publishedDll) => OpenChat(publishedDll) with
    {
        Key = "openchat-nogzip",
        DisplayName = "OpenChat, polling compression off",
        Arguments = [.. OpenChat(publishedDll).Arguments, "--SocketIO:HttpCompression:Enabled=false"],
    };

    /// <summary>
    /// The library alone (<c>bench/peers/dotnet-bare</c>): default options, the connection ceiling, no app.
    /// The per-address handshake limits are lifted as for <see cref="OpenChat"/>, since the load comes from a
    /// few loopback addresses.
    /// </summary>
    public static ServerDefinition OpenChatBare(string publishedDll) => new(
        "openchat-bare",
        "OpenChat.SocketIO, bare host",
        "dotnet",
        [publishedDll, "--urls", "http://127.0.0.1:{port}", "--SocketIO:HandshakesPerMinutePerIp=100000000", "--SocketIO:MaxPendingSessionsPerIp=100000", "--SocketIO:MaxPendingSessions=100000", "--Logging:LogLevel:Default=Warning"],
        Path.GetDirectoryName(publishedDll)!)
    {
        IsBare = true,
    };

    /// <summary>
    /// Kestrel and System.Net.WebSockets with only what the idle clients need of the protocols
    /// (<c>bench/peers/dotnet-floor</c>): what a connection costs on the framework before any Socket.IO library
    /// state, the floor under <see cref="OpenChatBare"/>.
    /// </summary>
    public static ServerDefinition DotnetFloor(string publishedDll) => new(
        "dotnet-floor",
        "Kestrel + WebSocket floor (no library)",
        "dotnet",
        [publishedDll, "--urls", "http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning"],
        Path.GetDirectoryName(publishedDll)!)
    {
        IsBare = true,
    };

    /// <summary>socket.io 4.8.1 alone (<c>bench/peers/node/bare.js</c>): default options, no app.</summary>
    public static ServerDefinition NodeBare(string repositoryRoot) => new(
        "node-bare",
        "Node socket.io, bare server",
        "node",
        ["bare.js"],
        Path.Combine(repositoryRoot, "bench", "peers", "node"))
    {
        IsBare = true,
    };

    public static ServerDefinition Node(string repositoryRoot) => new(
        "node",
        "Node socket.io",
        "node",
        ["server.js"],
        Path.Combine(repositoryRoot, "bench", "peers", "node"));

    public static ServerDefinition Python(string repositoryRoot, string pythonExecutable) => new(
        "python",
        "Python python-socketio + eventlet",
        pythonExecutable,
        ["server.py"],
        Path.Combine(repositoryRoot, "bench", "peers", "python"));
}
