using System.Globalization;

namespace OpenChat.Bench.Measurement;

/// <summary>
/// CPU time another process has used, from /proc/&lt;pid&gt;/stat (Linux): what the server spent, however busy the
/// rest of a shared machine is. Resolution is one clock tick (10 ms), so read it over seconds, not calls.
/// </summary>
public static class ProcessCpu
{
    // USER_HZ: 100 on every Linux build this runs on (sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100;

    /// <summary>User plus system CPU seconds so far, or null when it cannot be read (process gone, not Linux).</summary>
    public static double? Seconds(int? processId)
    {
        if (processId is null)
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");

            // The command name (field 2) is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
