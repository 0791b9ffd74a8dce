namespace OpenChat.Bench.Client;

/// <summary>One simulated chat user; its name is <c>u&lt;Index&gt;</c>.</summary>
public interface IChatClient
{
    int Index { get; }
}
