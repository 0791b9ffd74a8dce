namespace OpenChat.Bench.Measurement;

/// <summary>Resident memory of a process, from the VmRSS line of /proc/&lt;pid&gt;/status (Linux).</summary>
public static class ProcessMemory
{
    /// <summary>Resident set size in bytes, or null when it cannot be read (process gone, not Linux).</summary>
    public static long? ResidentBytes(int processId)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kilobytes = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    return kilobytes * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
