using OpenChat.Bench.Client;
using OpenChat.Bench.Protocol;

namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Completes a client's waiter when the client receives its own chat message, recognised by the timestamp it
/// wrote (not by name, so a server that applies the rename late still counts as delivering).
/// </summary>
internal sealed class ChurnEchoWatcher(int cycles) : ChatFrameHandler
{
    private readonly TaskCompletionSource?[] _waiters = new TaskCompletionSource?[cycles];
    private readonly long[] _expectedTimestamps = new long[cycles];

    public Task Expect(int index, long timestamp)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _expectedTimestamps[index], timestamp);
        Volatile.Write(ref _waiters[index], waiter);
        return waiter.Task;
    }

    public void Forget(int index) => Volatile.Write(ref _waiters[index], null);

    public override void OnChatMessage(IChatClient client, ReadOnlySpan<byte> frame)
    {
        if (ChatFrameParser.TryReadChatMessage(frame, out _, out var timestamp)
            && timestamp == Volatile.Read(ref _expectedTimestamps[client.Index]))
        {
            Volatile.Read(ref _waiters[client.Index])?.TrySetResult();
        }
    }
}
