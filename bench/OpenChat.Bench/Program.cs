using System.Text.Json;
using System.Text.Json.Serialization;
using OpenChat.Bench.Reporting;
using OpenChat.Bench.Running;

// The load generator's own loops are async; a few extra pool threads keep connect bursts from queueing.
ThreadPool.SetMinThreads(Math.Max(Environment.ProcessorCount, 8), Math.Max(Environment.ProcessorCount, 8));

BenchCommandLine options;
try
{
    options = BenchCommandLine.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var profile = BenchProfile.Create(options.Profile, MachineInfo.OpenFileLimit());
if (options.OnlyScenarios is { } only)
{
    profile = profile with { Cases = profile.Cases.Where(c => only.Contains(c.Scenario)).ToList() };
}

if (options.Rounds is { } rounds)
{
    profile = profile with { Rounds = rounds };
}

var available = new Dictionary<string, ServerDefinition>
{
    ["openchat"] = ServerDefinition.OpenChat(options.OpenChatDll),
    ["openchat-nostore"] = ServerDefinition.OpenChatWithoutStorage(options.OpenChatDll),
    ["openchat-norecovery"] = ServerDefinition.OpenChatWithoutRecovery(options.OpenChatDll),
    ["openchat-deflate"] = ServerDefinition.OpenChatWithDeflate(options.OpenChatDll),
    ["openchat-nogzip"] = ServerDefinition.OpenChatWithoutHttpCompression(options.OpenChatDll),
    ["node"] = ServerDefinition.Node(options.RepositoryRoot),
    ["openchat-bare"] = ServerDefinition.OpenChatBare(options.BareDll),
    ["node-bare"] = ServerDefinition.NodeBare(options.RepositoryRoot),
    ["dotnet-floor"] = ServerDefinition.DotnetFloor(options.FloorDll),
    ["python"] = ServerDefinition.Python(options.RepositoryRoot, options.Python),
};
if (options.BaselineDll is { } baselineDll)
{
    var baseline = ServerDefinition.OpenChat(baselineDll);
    available["openchat-baseline"] = baseline with
    {
        Key = "openchat-baseline",
        DisplayName = options.BaselineArguments is { } extra ? $"OpenChat, baseline ({string.Join(' ', extra)})" : "OpenChat, baseline build",
        Arguments = [.. baseline.Arguments, .. options.BaselineArguments ?? []],
    };
}

var servers = options.Servers.Select(s => available.TryGetValue(s, out var d) ? d : throw new ArgumentException($"Unknown server '{s}'.")).ToList();

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

// SIGTERM (a CI timeout, `kill`) stops the run like Ctrl+C, so the running server is shut down with it.
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

var startedAt = DateTimeOffset.UtcNow;
var stamp = startedAt.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
Console.WriteLine($"Profile {profile.Name}: {profile.Cases.Count} cases x {servers.Count} servers x {profile.Rounds} round(s), cap {profile.ScenarioCap.TotalSeconds:F0} s per case.");
foreach (var pinning in profile.Cases.Select(c => c.Scenario).Distinct().SelectMany(options.PinningsFor).Distinct())
{
    Console.WriteLine($"Pinning: {pinning.Describe()}.");
}

var runner = new BenchRunner(profile, servers, Path.Combine(options.ResultsDirectory, "logs", stamp), Console.Out, options.PinningsFor);
List<RunRecord> records;
try
{
    records = await runner.RunAsync(stop.Token);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Interrupted.");
    return 130;
}

var results = new BenchResults(
    profile.Name,
    startedAt,
    DateTimeOffset.UtcNow,
    MachineInfo.Describe(profile.Cases.Select(c => c.Scenario).Distinct().SelectMany(options.PinningsFor).Distinct().ToList()),
    MachineInfo.ServerVersions(options.RepositoryRoot, options.Python),
    profile.Notes,
    records);

Directory.CreateDirectory(options.ResultsDirectory);
var json = JsonSerializer.Serialize(results, new JsonSerializerOptions
{
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
});
var resultsFile = Path.Combine(options.ResultsDirectory, $"{profile.Name}-{stamp}.json");
await File.WriteAllTextAsync(resultsFile, json);
await File.WriteAllTextAsync(Path.Combine(options.ResultsDirectory, "latest.json"), json);
Directory.CreateDirectory(Path.GetDirectoryName(options.ReportFile)!);
var names = servers.ToDictionary(s => s.Key, s => s.DisplayName);
var report = ReportWriter.Render(results, names, Path.GetFileNameWithoutExtension(options.ReportFile) + "-latency.png");
if (options.NotesFile is { } notesFile && File.Exists(notesFile))
{
    // The written analysis (what the app ships with, the model per connection) travels with every regeneration.
    report += Environment.NewLine + await File.ReadAllTextAsync(notesFile);
}

await File.WriteAllTextAsync(options.ReportFile, report);
Console.WriteLine($"Results: {resultsFile}");
Console.WriteLine($"Report:  {options.ReportFile}");
return 0;
