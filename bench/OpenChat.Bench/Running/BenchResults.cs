namespace OpenChat.Bench.Running;

/// <summary>Everything a run produced: where, with what, and every record.</summary>
public sealed record BenchResults(
    string Profile,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    IReadOnlyDictionary<string, string> Machine,
    IReadOnlyDictionary<string, string> Servers,
    IReadOnlyList<string> ProfileNotes,
    IReadOnlyList<RunRecord> Records);
