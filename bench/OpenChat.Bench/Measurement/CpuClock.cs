using System.Diagnostics;

namespace OpenChat.Bench.Measurement;

/// <summary>CPU time used by the load generator itself during a scenario, so a saturated client is visible.</summary>
public readonly struct CpuClock
{
    private readonly TimeSpan _startCpu;
    private readonly long _startWall;

    private CpuClock(TimeSpan startCpu, long startWall)
    {
        _startCpu = startCpu;
        _startWall = startWall;
    }

    public static CpuClock Start() => new(Process.GetCurrentProcess().TotalProcessorTime, Stopwatch.GetTimestamp());

    /// <summary>CPU seconds used since start, and the same as a share of one core over the wall time.</summary>
    public (double CpuSeconds, double CoresUsed) Stop()
    {
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _startCpu).TotalSeconds;
        var wall = Stopwatch.GetElapsedTime(_startWall).TotalSeconds;
        return (cpu, wall > 0 ? cpu / wall : 0);
    }
}
