namespace OpenChat.Bench.Running;

/// <summary>One row of results: a scenario case (e.g. "R=100, 1000 msg/s") and its named metrics; null = not measured.</summary>
public sealed record CaseOutcome(string Case, bool Completed, string? Note, IReadOnlyDictionary<string, double?> Metrics);
