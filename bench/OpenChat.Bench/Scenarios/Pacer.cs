using System.Diagnostics;

namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Issues sends at a fixed total rate for a fixed time, round-robin over sender slots, without waiting for
/// each send (an open loop: a slow server shows up as latency, not as a lower offered rate).
/// </summary>
public static class Pacer
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(2);

    /// <summary>Returns how many sends were issued and how many failed.</summary>
    public static async Task<(long Issued, long Failed)> RunAsync(double ratePerSecond, TimeSpan duration, int slots, Func<int, Task> send, CancellationToken cancellationToken)
    {
        long issued = 0;
        long failed = 0;
        long inFlight = 0;
        var started = Stopwatch.GetTimestamp();
        // Never more than a tenth of a second's worth at once, so a stalled timer does not become a burst.
        var maxBurst = Math.Max(1, (long)(ratePerSecond / 10));
        while (!cancellationToken.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= duration)
            {
                break;
            }

            var due = Math.Min((long)(elapsed.TotalSeconds * ratePerSecond) - issued, maxBurst);
            for (var i = 0; i < due; i++)
            {
                var slot = (int)(issued % slots);
                issued++;
                Interlocked.Increment(ref inFlight);
                _ = Observe(send(slot));
            }

            try
            {
                await Task.Delay(Tick, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Let the sends already issued finish (bounded).
        var waitUntil = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 10);
        while (Interlocked.Read(ref inFlight) > 0 && Stopwatch.GetTimestamp() < waitUntil)
        {
            await Task.Delay(10, CancellationToken.None);
        }

        return (issued, Interlocked.Read(ref failed));

        async Task Observe(Task sending)
        {
            try
            {
                await sending;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.Increment(ref failed);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }
}
