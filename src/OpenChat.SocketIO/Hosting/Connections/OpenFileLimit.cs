using System.Globalization;

namespace OpenChat.SocketIO.Hosting;

/// <summary>The process's open-file limit and the connection ceiling derived from it.</summary>
internal static class OpenFileLimit
{
    private const string LimitsFile = "/proc/self/limits";

    /// <summary>The soft <c>RLIMIT_NOFILE</c> of this process (the runtime raises it to the hard limit at start), or null where it cannot be read or is unlimited.</summary>
    public static long? Current()
    {
        try
        {
            return File.Exists(LimitsFile) ? Parse(File.ReadAllText(LimitsFile)) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads the soft limit from the "Max open files" line of <c>/proc/self/limits</c>.</summary>
    public static long? Parse(string limits)
    {
        foreach (var line in limits.Split('\n'))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
        }

        return null;
    }

    /// <summary>The descriptors kept back by default: 256 plus 5 % of the limit.</summary>
    public static long DefaultReserve(long limit) => 256 + (limit / 20);

    /// <summary>
    /// The ceiling in force: <see cref="ConnectionCeilingOptions.MaxConnections"/> when set, else the limit
    /// minus the reserve (but never under a quarter of the limit), else none.
    /// </summary>
    public static int? Ceiling(ConnectionCeilingOptions options, long? limit)
    {
        if (options.MaxConnections is int explicitMax)
        {
            return explicitMax;
        }

        if (limit is not long known)
        {
            return null;
        }

        var reserve = options.ReservedFileDescriptors ?? DefaultReserve(known);
        var ceiling = Math.Max(known - reserve, known / 4);
        return (int)Math.Clamp(ceiling, 1, int.MaxValue);
    }
}
