using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenChat.SocketIO.Tests.Samples;

/// <summary>
/// One of the official protocol test suites as published (a <c>test-suite/</c> folder with its package lock),
/// looked for in <c>../shared/conformance/</c> beside the clone, copied to a temporary folder (the original
/// stays untouched), restored with <c>npm ci</c> and run with mocha against a given port.
/// </summary>
internal sealed class ProtocolSuite : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private ProtocolSuite(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>Where the suites are expected: <c>../shared/conformance</c> from the clone, or <c>OPENCHAT_CONFORMANCE_DIR</c>.</summary>
    public static string SuitesFolder => Environment.GetEnvironmentVariable("OPENCHAT_CONFORMANCE_DIR") is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "conformance"));

    /// <summary>The suite's published folder, or null when this machine has none.</summary>
    public static string? Find(string name)
    {
        var folder = Path.Combine(SuitesFolder, name, "test-suite");
        return File.Exists(Path.Combine(folder, "test-suite.js")) && File.Exists(Path.Combine(folder, "package-lock.json")) ? folder : null;
    }

    public static async Task<ProtocolSuite> PrepareAsync(string published)
    {
        var folder = Path.Combine(Path.GetTempPath(), "openchat-suite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(published))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var suite = new ProtocolSuite(folder);
        var (exit, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, environment: null);
        if (exit != 0)
        {
            suite.Dispose();
            throw new InvalidOperationException($"npm ci failed for the suite copied from {published}:{Environment.NewLine}{output}");
        }

        return suite;
    }

    /// <summary>Runs the suite (or only the tests whose full titles are given) against a server on <paramref name="port"/>.</summary>
    public async Task<SuiteResult> RunAsync(int port, IReadOnlyCollection<string>? only = null)
    {
        var report = Path.Combine(Folder, $"result-{Guid.NewGuid():N}.json");
        var arguments = new List<string> { Path.Combine("node_modules", "mocha", "bin", "mocha"), "test-suite.js", "--reporter", "json", "--reporter-option", "output=" + report };
        if (only is { Count: > 0 })
        {
            arguments.Add("--grep");
            arguments.Add("^(" + string.Join("|", only.Select(Regex.Escape)) + ")$");
        }

        var environment = new Dictionary<string, string>
        {
            ["CONFORMANCE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NODE_OPTIONS"] = "--require " + Path.Combine(RepositoryPaths.Root, "tests", "node", "conformance", "redirect-port.cjs"),
        };
        var (_, output) = await RunAsync("node", arguments, Folder, environment);
        if (!File.Exists(report))
        {
            throw new InvalidOperationException($"mocha wrote no report:{Environment.NewLine}{output}");
        }

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(report));
        var stats = json.RootElement.GetProperty("stats");
        var failed = json.RootElement.GetProperty("failures").EnumerateArray()
            .Select(f => new SuiteFailure(f.GetProperty("fullTitle").GetString()!, f.GetProperty("err").TryGetProperty("message", out var m) ? m.GetString() ?? "" : ""))
            .ToList();
        return new SuiteResult(stats.GetProperty("passes").GetInt32(), stats.GetProperty("tests").GetInt32(), failed);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string command, IEnumerable<string> arguments, string folder, Dictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(RunTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {RunTimeout}.");
        }

        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }
}
