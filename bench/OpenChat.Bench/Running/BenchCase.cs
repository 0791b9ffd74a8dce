namespace OpenChat.Bench.Running;

/// <summary>
/// One scenario at one size, run against each server in turn. <see cref="Size"/> orders the cases of a
/// scenario: a server that hit the time cap at a smaller size skips the larger ones. A case with
/// <see cref="Instances"/> above one runs against that many instances of the server sharing one Redis of
/// their own (<see cref="RunAsync"/> then gets the first instance; <see cref="RunOnInstancesAsync"/> all).
/// </summary>
public sealed record BenchCase(string Scenario, int Size, string Label, Func<Uri, int?, CancellationToken, Task<IReadOnlyList<CaseOutcome>>> RunAsync)
{
    public int Instances { get; init; } = 1;

    /// <summary>True for the cases of bare hosts (no app: <c>openchat-bare</c>, <c>node-bare</c>); they skip the chat servers and the chat cases skip them.</summary>
    public bool ForBareHosts { get; init; }

    public Func<IReadOnlyList<Uri>, CancellationToken, Task<IReadOnlyList<CaseOutcome>>>? RunOnInstancesAsync { get; init; }
}
