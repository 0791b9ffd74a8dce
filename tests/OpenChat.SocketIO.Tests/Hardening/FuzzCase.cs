namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// One fuzz input: WebSocket frames sent in order (text or binary), or for polling a single POST body,
/// and what the protocol says must follow.
/// </summary>
public sealed record FuzzCase(int Index, string Origin, IReadOnlyList<FuzzFrame> Frames, FuzzExpectation Expect)
{
    public override string ToString() =>
        $"case #{Index} ({Origin}, expect {Expect}): {string.Join(" | ", Frames)}";
}
