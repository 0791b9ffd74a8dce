using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenChat.Bench.Measurement;

/// <summary>
/// Bytes the server has sent so far on its established TCP connections of one port, from the kernel
/// (<c>ss -tin</c>, Linux): what went on the wire after any compression, whatever the protocol. Connections
/// that closed meanwhile are not counted, so read it around a level in which every client stays connected.
/// </summary>
public static partial class ServerSocketBytes
{
    /// <summary>The sum of <c>bytes_sent</c> over the server's connections on <paramref name="port"/>, or null when <c>ss</c> cannot tell.</summary>
    public static long? Sent(int port)
    {
        try
        {
            var start = new ProcessStartInfo("ss", ["-tinH", "state", "established", $"( sport = :{port} )"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var ss = Process.Start(start);
            if (ss is null)
            {
                return null;
            }

            var output = ss.StandardOutput.ReadToEnd();
            ss.WaitForExit(10_000);
            return ss.ExitCode == 0 ? BytesSent().Matches(output).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\bbytes_sent:(\d+)")]
    private static partial Regex BytesSent();
}
