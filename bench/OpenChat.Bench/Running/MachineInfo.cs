using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace OpenChat.Bench.Running;

/// <summary>What the numbers were measured on and with: hardware, OS and the versions of every server stack.</summary>
public static class MachineInfo
{
    public static Dictionary<string, string> Describe(IReadOnlyList<Pinning> pinnings) => new()
    {
        ["cpu"] = FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        ["cores"] = Pinning.MachineCpus.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["pinning"] = string.Join("; ", pinnings.Select(p => p.Describe())),
        ["memory"] = FirstValue("/proc/meminfo", "MemTotal") is { } total ? $"{long.Parse(total.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024 / 1024.0:F1} GiB" : "unknown",
        ["os"] = FirstValue("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription,
        ["kernel"] = ReadTrimmed("/proc/sys/kernel/osrelease") ?? "unknown",
        ["open_file_limit"] = OpenFileLimit().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["harness_runtime"] = RuntimeInformation.FrameworkDescription,
    };

    public static Dictionary<string, string> ServerVersions(string repositoryRoot, string pythonExecutable) => new()
    {
        ["dotnet_sdk"] = Capture("dotnet", "--version") ?? "unknown",
        ["dotnet_runtime"] = RuntimeInformation.FrameworkDescription,
        ["node"] = Capture("node", "--version") ?? "not found",
        ["socket.io (npm)"] = PackageVersion(Path.Combine(repositoryRoot, "bench", "peers", "node", "node_modules", "socket.io", "package.json")) ?? "not installed",
        ["python"] = Capture(pythonExecutable, "--version") ?? "not found",
        ["python3-socketio (apt)"] = DebianPackage("python3-socketio"),
        ["python3-engineio (apt)"] = DebianPackage("python3-engineio"),
        ["python3-eventlet (apt)"] = DebianPackage("python3-eventlet"),
        ["python3-flask (apt)"] = DebianPackage("python3-flask"),
    };

    /// <summary>The soft limit on open files of this process (inherited by the servers it starts).</summary>
    public static int OpenFileLimit()
    {
        var line = FirstValue("/proc/self/limits", "Max open files", ' ', exactKey: false);
        var first = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return int.TryParse(first, out var limit) ? limit : 1024;
    }

    private static string DebianPackage(string name) => Capture("dpkg-query", "-W", "-f=${Version}", name) ?? "not installed";

    private static string? PackageVersion(string packageJson)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(packageJson));
            return document.RootElement.GetProperty("version").GetString();
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Capture(string fileName, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(15_000) || process.ExitCode != 0)
            {
                return null;
            }

            var text = (output.Result + error.Result).Trim();
            return text.Length == 0 ? null : text.Split('\n')[0].Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string? ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static string? FirstValue(string path, string key, char separator = ':', bool exactKey = true)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (!exactKey && line.StartsWith(key, StringComparison.Ordinal))
            {
                return line[key.Length..].Trim();
            }

            var at = line.IndexOf(separator);
            if (at > 0 && line[..at].Trim() == key)
            {
                return line[(at + 1)..].Trim();
            }
        }

        return null;
    }
}
