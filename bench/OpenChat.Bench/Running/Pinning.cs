using System.Diagnostics;
using System.Globalization;

namespace OpenChat.Bench.Running;

/// <summary>
/// Which CPUs the servers and the load generator run on. Pinned (the default of <c>bench/run.sh</c>): each
/// server on <see cref="ServerCpus"/> and the harness on <see cref="HarnessCpus"/> (taskset), so a server
/// has its core(s) to itself and the figures are per core; unpinned: both anywhere, competing for every core.
/// </summary>
public sealed record Pinning(string Name, string? ServerCpus, string? HarnessCpus)
{
    /// <summary>The CPUs of the machine, read before any pinning.</summary>
    public static readonly int MachineCpus = Environment.ProcessorCount;

    public static Pinning Unpinned { get; } = new("unpinned", null, null);

    public static Pinning Pinned(string serverCpus, string harnessCpus) => new("pinned", serverCpus, harnessCpus);

    public bool IsPinned => ServerCpus is not null;

    /// <summary>How many CPUs a server may use under this pinning.</summary>
    public int ServerCpuCount => ServerCpus is null ? MachineCpus : CountCpus(ServerCpus);

    public string Describe() => IsPinned
        ? $"server on CPU {ServerCpus}, load generator on CPU {HarnessCpus ?? "(any)"} (taskset; {ServerCpuCount} core(s) for the server)"
        : $"unpinned: server and load generator share all {MachineCpus} CPUs";

    /// <summary>Moves every thread of this process (the harness) to its CPUs; threads started later inherit them.</summary>
    public void ApplyToHarness()
    {
        var cpus = HarnessCpus ?? $"0-{MachineCpus - 1}";
        using var taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", cpus, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("taskset could not be started.");
        taskset.WaitForExit();
        if (taskset.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset -a -p -c {cpus} failed: {taskset.StandardError.ReadToEnd().Trim()}");
        }
    }

    /// <summary>Counts the CPUs of a taskset list such as "1", "1-3" or "0,2".</summary>
    public static int CountCpus(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Sum(part =>
    {
        var range = part.Split('-');
        return range.Length == 2 ? int.Parse(range[1], CultureInfo.InvariantCulture) - int.Parse(range[0], CultureInfo.InvariantCulture) + 1 : 1;
    });
}
