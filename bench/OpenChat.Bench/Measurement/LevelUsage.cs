using System.Diagnostics;
using OpenChat.Bench.Scenarios;

namespace OpenChat.Bench.Measurement;

/// <summary>
/// What the server and the load generator spend over one fan-out level: the server's CPU and the bytes it
/// sends on its connections, and the load generator's own CPU, from the level's start to the end of its drain.
/// </summary>
public readonly struct LevelUsage
{
    private readonly int? _serverProcessId;
    private readonly int _port;
    private readonly double? _serverCpu;
    private readonly long? _serverBytes;
    private readonly TimeSpan _harnessCpu;

    private LevelUsage(int? serverProcessId, int port)
    {
        _serverProcessId = serverProcessId;
        _port = port;
        _serverCpu = ProcessCpu.Seconds(serverProcessId);
        _serverBytes = ServerSocketBytes.Sent(port);
        _harnessCpu = Process.GetCurrentProcess().TotalProcessorTime;
    }

    public static LevelUsage Start(int? serverProcessId, int port) => new(serverProcessId, port);

    /// <summary>The level's result with what was spent since <see cref="Start"/>.</summary>
    public FanOutLevelResult Complete(FanOutLevelResult level) => level with
    {
        ServerCpuSeconds = ProcessCpu.Seconds(_serverProcessId) - _serverCpu,
        ServerBytesSent = ServerSocketBytes.Sent(_port) - _serverBytes,
        HarnessCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - _harnessCpu).TotalSeconds,
    };
}
