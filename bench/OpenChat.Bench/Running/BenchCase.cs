namespace OpenChat.Bench.Running;

/// <summary>
/// One scenario at one size, run against each server in turn. <see cref="Size"/> orders the cases of a
/// scenario: a server that hit the time cap at a smaller size skips the larger ones.
/// </summary>
public sealed record BenchCase(string Scenario, int Size, string Label, Func<Uri, int?, CancellationToken, Task<IReadOnlyList<CaseOutcome>>> RunAsync);
