namespace OpenChat.Bench.Running;

/// <summary>
/// Options of a benchmark run: <c>--profile smoke|default|full</c>, <c>--repo DIR</c>, <c>--openchat-dll FILE</c>,
/// <c>--servers openchat,node,python</c>, <c>--only SCENARIO[,SCENARIO]</c>, <c>--results DIR</c>,
/// <c>--report FILE</c>, <c>--python FILE</c>, <c>--rounds N</c>, <c>--server-cpus LIST</c> (taskset),
/// <c>--baseline-dll FILE</c> (another OpenChat build, server <c>openchat-baseline</c>, to compare two builds in one run),
/// <c>--baseline-args "ARGS"</c> (extra arguments of <c>openchat-baseline</c>, e.g. one setting changed, with the same build as baseline),
/// <c>--notes FILE</c> (written analysis appended to the report as it is), <c>--bare-dll FILE</c> (the bare library host, server <c>openchat-bare</c>), <c>--floor-dll FILE</c> (the framework-only host, server <c>dotnet-floor</c>), <c>--harness-cpus LIST</c> (the load generator's CPUs while pinned), <c>--unpinned SCENARIO[,SCENARIO]|all</c>
/// (these scenarios also run unpinned, after the pinned run of each case, for the second table).
/// Without <c>--server-cpus</c> everything runs unpinned.
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
    string? BaselineDll = null,
    string? HarnessCpus = null,
    IReadOnlyList<string>? UnpinnedScenarios = null,
    string BareDll = "",
    IReadOnlyList<string>? BaselineArguments = null,
    string? NotesFile = null,
    string FloorDll = "")
{
    /// <summary>The pinnings a case of <paramref name="scenario"/> runs under, pinned first.</summary>
    public IReadOnlyList<Pinning> PinningsFor(string scenario)
    {
        if (ServerCpus is null)
        {
            return [Pinning.Unpinned];
        }

        var pinned = Pinning.Pinned(ServerCpus, HarnessCpus ?? string.Empty);
        if (HarnessCpus is null)
        {
            pinned = pinned with { HarnessCpus = null };
        }

        return UnpinnedScenarios is { } also && (also.Contains("all") || also.Contains(scenario)) ? [pinned, Pinning.Unpinned] : [pinned];
    }

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
        var unknown = values.Keys.Except(["profile", "repo", "openchat-dll", "servers", "only", "results", "report", "python", "rounds", "server-cpus", "baseline-dll", "harness-cpus", "unpinned", "bare-dll", "baseline-args", "notes", "floor-dll"]).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", unknown)}.");
        }

        return new BenchCommandLine(
            values.GetValueOrDefault("profile", "smoke"),
            repo,
            Path.GetFullPath(values.GetValueOrDefault("openchat-dll") ?? Path.Combine(repo, "bench", "out", "openchat", "OpenChat.dll")),
            values.GetValueOrDefault("servers", "openchat,node,python,openchat-bare,node-bare,dotnet-floor").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            values.TryGetValue("only", out var only) ? only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null,
            Path.GetFullPath(values.GetValueOrDefault("results") ?? Path.Combine(repo, "bench", "results")),
            Path.GetFullPath(values.GetValueOrDefault("report") ?? Path.Combine(repo, "docs", "benchmarks.md")),
            values.GetValueOrDefault("python", "/usr/bin/python3"),
            values.TryGetValue("rounds", out var rounds) ? int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture) : null,
            values.GetValueOrDefault("server-cpus") is { Length: > 0 } serverCpus ? serverCpus : null,
            values.TryGetValue("baseline-dll", out var baseline) ? Path.GetFullPath(baseline) : null,
            values.GetValueOrDefault("harness-cpus") is { Length: > 0 } harness ? harness : null,
            values.TryGetValue("unpinned", out var unpinned) && unpinned != "none" ? unpinned.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null,
            Path.GetFullPath(values.GetValueOrDefault("bare-dll") ?? Path.Combine(repo, "bench", "out", "bare", "BareHost.dll")),
            values.TryGetValue("baseline-args", out var extra) ? extra.Split(' ', StringSplitOptions.RemoveEmptyEntries) : null,
            values.TryGetValue("notes", out var notes) ? Path.GetFullPath(notes) : null,
            Path.GetFullPath(values.GetValueOrDefault("floor-dll") ?? Path.Combine(repo, "bench", "out", "floor", "FloorHost.dll")));
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
