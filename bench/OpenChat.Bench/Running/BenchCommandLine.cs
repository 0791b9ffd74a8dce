namespace OpenChat.Bench.Running;

/// <summary>
/// Options of a benchmark run: <c>--profile smoke|default|full</c>, <c>--repo DIR</c>, <c>--openchat-dll FILE</c>,
/// <c>--servers openchat,node,python</c>, <c>--only SCENARIO[,SCENARIO]</c>, <c>--results DIR</c>,
/// <c>--report FILE</c>, <c>--python FILE</c>, <c>--rounds N</c>, <c>--server-cpus LIST</c> (taskset),
/// <c>--baseline-dll FILE</c> (another OpenChat build, server <c>openchat-baseline</c>, to compare two builds in one run).
/// </summary>
public sealed record BenchCommandLine(
    string Profile,
    string RepositoryRoot,
    string OpenChatDll,
    IReadOnlyList<string> Servers,
    IReadOnlyList<string>? OnlyScenarios,
    string ResultsDirectory,
    string ReportFile,
    string Python,
    int? Rounds,
    string? ServerCpus,
    string? BaselineDll = null)
{
    public static BenchCommandLine Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --option value pairs, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[++i];
        }

        var repo = Path.GetFullPath(values.GetValueOrDefault("repo") ?? FindRepositoryRoot());
        var unknown = values.Keys.Except(["profile", "repo", "openchat-dll", "servers", "only", "results", "report", "python", "rounds", "server-cpus", "baseline-dll"]).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", unknown)}.");
        }

        return new BenchCommandLine(
            values.GetValueOrDefault("profile", "smoke"),
            repo,
            Path.GetFullPath(values.GetValueOrDefault("openchat-dll") ?? Path.Combine(repo, "bench", "out", "openchat", "OpenChat.dll")),
            values.GetValueOrDefault("servers", "openchat,node,python").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            values.TryGetValue("only", out var only) ? only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null,
            Path.GetFullPath(values.GetValueOrDefault("results") ?? Path.Combine(repo, "bench", "results")),
            Path.GetFullPath(values.GetValueOrDefault("report") ?? Path.Combine(repo, "docs", "benchmarks.md")),
            values.GetValueOrDefault("python", "/usr/bin/python3"),
            values.TryGetValue("rounds", out var rounds) ? int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture) : null,
            values.GetValueOrDefault("server-cpus"),
            values.TryGetValue("baseline-dll", out var baseline) ? Path.GetFullPath(baseline) : null);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OpenChat.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
