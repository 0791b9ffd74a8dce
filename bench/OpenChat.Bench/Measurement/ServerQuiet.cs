using System.Diagnostics;
using OpenChat.Bench.Scenarios;

namespace OpenChat.Bench.Measurement;

/// <summary>
/// Waits, after a warm-up, until the server's process uses little CPU of its own: a JIT still compiling what the
/// warm-up made hot (.NET's tiered compilation does it in the background, later on a single core) would otherwise
/// compete with the first measurement.
/// </summary>
public static class ServerQuiet
{
    /// <summary>Below this share of one core over a window, the server counts as quiet.</summary>
    private const double QuietShare = 0.05;

    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(15);

    /// <summary>Returns once a window passes with the server under <see cref="QuietShare"/> of a core, or after <see cref="MaxWait"/>.</summary>
    public static async Task WaitAsync(int? processId, CancellationToken cancellationToken)
    {
        if (ProcessCpu.Seconds(processId) is not { } before)
        {
            return;
        }

        var until = Stopwatch.GetTimestamp() + (long)(MaxWait.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until && !cancellationToken.IsCancellationRequested)
        {
            await Pause.ForAsync(Window, cancellationToken);
            if (ProcessCpu.Seconds(processId) is not { } now)
            {
                return;
            }

            if (now - before < QuietShare * Window.TotalSeconds)
            {
                return;
            }

            before = now;
        }
    }
}
