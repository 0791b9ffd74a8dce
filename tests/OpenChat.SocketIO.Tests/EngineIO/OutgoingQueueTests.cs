using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>A session's ordered, byte-bounded queue of outgoing frames.</summary>
public sealed class OutgoingQueueTests
{
    private static EngineFrame Frame(int size, byte fill = 0) => EngineFrame.Binary(Enumerable.Repeat(fill, size).ToArray());

    private static List<EngineFrame> Drain(OutgoingQueue queue)
    {
        var frames = new List<EngineFrame>();
        while (queue.TryDequeue(out var frame))
        {
            frames.Add(frame);
        }

        return frames;
    }

    [Fact]
    public void Frames_come_out_in_the_order_they_were_queued()
    {
        var queue = new OutgoingQueue(1000);
        Assert.True(queue.TryEnqueue(Frame(1, 1)));
        Assert.True(queue.TryEnqueue([Frame(1, 2), Frame(1, 3), Frame(1, 4)]));
        Assert.True(queue.TryEnqueue(Frame(1, 5)));

        Assert.Equal([1, 2, 3, 4, 5], Drain(queue).Select(f => f.Bytes.Span[0]).ToArray());
    }

    [Fact]
    public void Text_and_binary_frames_keep_their_kind()
    {
        var queue = new OutgoingQueue(1000);
        Assert.True(queue.TryEnqueue([EngineFrame.Text(EnginePacketType.Message, "51-[]"), EngineFrame.Binary(new byte[] { 1 })]));

        var frames = Drain(queue);
        Assert.Equal(2, frames.Count);
        Assert.False(frames[0].IsBinary);
        Assert.True(frames[1].IsBinary);
    }

    [Fact]
    public void Queued_bytes_are_the_sum_of_the_frames_waiting()
    {
        var queue = new OutgoingQueue(1000);
        Assert.Equal(0, queue.QueuedBytes);
        Assert.False(queue.HasFrames);

        Assert.True(queue.TryEnqueue(Frame(10)));
        Assert.True(queue.TryEnqueue([Frame(20), Frame(30)]));

        Assert.Equal(60, queue.QueuedBytes);
        Assert.True(queue.HasFrames);
    }

    [Fact]
    public void Queued_bytes_decrease_as_frames_are_dequeued()
    {
        var queue = new OutgoingQueue(1000);
        Assert.True(queue.TryEnqueue([Frame(10), Frame(20), Frame(30)]));

        Assert.True(queue.TryDequeue(out var first));
        Assert.Equal(10, first.Bytes.Length);
        Assert.Equal(50, queue.QueuedBytes);
        Assert.True(queue.TryDequeue(out _));
        Assert.Equal(30, queue.QueuedBytes);
        Assert.True(queue.TryDequeue(out _));
        Assert.Equal(0, queue.QueuedBytes);
        Assert.False(queue.TryDequeue(out _));
        Assert.False(queue.HasFrames);
    }

    [Fact]
    public void A_frame_that_would_exceed_the_bound_is_refused_and_one_that_fits_exactly_is_accepted()
    {
        var queue = new OutgoingQueue(10);
        Assert.True(queue.TryEnqueue(Frame(6, 1)));

        Assert.False(queue.TryEnqueue(Frame(5, 2)));
        Assert.Equal(6, queue.QueuedBytes);

        Assert.True(queue.TryEnqueue(Frame(4, 3)));
        Assert.Equal(10, queue.QueuedBytes);
        Assert.False(queue.TryEnqueue(Frame(1, 4)));

        Assert.Equal([1, 3], Drain(queue).Select(f => f.Bytes.Span[0]).ToArray());
    }

    [Fact]
    public void A_frame_larger_than_the_whole_bound_is_refused_on_an_empty_queue()
    {
        var queue = new OutgoingQueue(10);
        Assert.False(queue.TryEnqueue(Frame(11)));
        Assert.Equal(0, queue.QueuedBytes);
        Assert.False(queue.HasFrames);
    }

    [Fact]
    public void A_multi_frame_enqueue_that_would_exceed_the_bound_adds_nothing()
    {
        var queue = new OutgoingQueue(10);
        Assert.True(queue.TryEnqueue(Frame(2, 9)));

        Assert.False(queue.TryEnqueue([Frame(4, 1), Frame(4, 2), Frame(4, 3)]));

        Assert.Equal(2, queue.QueuedBytes);
        var frames = Drain(queue);
        Assert.Equal(9, Assert.Single(frames).Bytes.Span[0]);
    }

    [Fact]
    public void Space_freed_by_a_dequeue_can_be_used_again()
    {
        var queue = new OutgoingQueue(10);
        Assert.True(queue.TryEnqueue(Frame(10)));
        Assert.False(queue.TryEnqueue(Frame(1)));

        Assert.True(queue.TryDequeue(out _));

        Assert.True(queue.TryEnqueue(Frame(10)));
    }

    [Fact]
    public async Task Complete_with_adds_a_last_frame_and_then_the_reader_sees_the_end()
    {
        var queue = new OutgoingQueue(1000);
        Assert.True(queue.TryEnqueue(EngineFrame.Text(EnginePacketType.Message, "hi")));

        queue.CompleteWith(EngineFrame.Close);

        Assert.Equal(4, queue.QueuedBytes);
        Assert.True(await queue.WaitToReadAsync(CancellationToken.None).WithTimeout(TimeSpan.FromSeconds(10)));
        var frames = Drain(queue);
        Assert.Equal(2, frames.Count);
        Assert.Equal("4hi"u8.ToArray(), frames[0].Bytes.ToArray());
        Assert.Equal("1"u8.ToArray(), frames[1].Bytes.ToArray());
        Assert.Equal(0, queue.QueuedBytes);
        Assert.False(await queue.WaitToReadAsync(CancellationToken.None).WithTimeout(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Complete_with_adds_the_last_frame_even_when_the_queue_is_full()
    {
        var queue = new OutgoingQueue(2);
        Assert.True(queue.TryEnqueue(Frame(2, 7)));

        queue.CompleteWith(EngineFrame.Close);

        var frames = Drain(queue);
        Assert.Equal(2, frames.Count);
        Assert.Equal("1"u8.ToArray(), frames[1].Bytes.ToArray());
    }

    [Fact]
    public void Nothing_can_be_queued_after_completion()
    {
        var completedWith = new OutgoingQueue(1000);
        completedWith.CompleteWith(EngineFrame.Close);
        Assert.False(completedWith.TryEnqueue(Frame(1)));
        Assert.False(completedWith.TryEnqueue([Frame(1), Frame(1)]));

        var completed = new OutgoingQueue(1000);
        completed.Complete();
        Assert.False(completed.TryEnqueue(Frame(1)));
        Assert.Equal(0, completed.QueuedBytes);
    }

    [Fact]
    public async Task Complete_with_after_complete_adds_nothing()
    {
        var queue = new OutgoingQueue(1000);
        queue.Complete();

        queue.CompleteWith(EngineFrame.Close);

        Assert.False(queue.TryDequeue(out _));
        Assert.Equal(0, queue.QueuedBytes);
        Assert.False(await queue.WaitToReadAsync(CancellationToken.None).WithTimeout(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_waiting_reader_wakes_when_a_frame_is_queued()
    {
        var queue = new OutgoingQueue(1000);
        var wait = queue.WaitToReadAsync(CancellationToken.None).AsTask();
        Assert.False(wait.IsCompleted);

        Assert.True(queue.TryEnqueue(Frame(1)));

        Assert.True(await wait.WithTimeout(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_waiting_reader_sees_the_end_when_an_empty_queue_is_completed()
    {
        var queue = new OutgoingQueue(1000);
        var wait = queue.WaitToReadAsync(CancellationToken.None).AsTask();

        queue.Complete();

        Assert.False(await wait.WithTimeout(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Concurrent_multi_frame_writers_keep_each_group_contiguous()
    {
        var queue = new OutgoingQueue(long.MaxValue);
        var writers = Enumerable.Range(1, 8).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                Assert.True(queue.TryEnqueue([Frame(1, (byte)w), Frame(2, (byte)w), Frame(3, (byte)w)]));
            }
        }));
        await Task.WhenAll(writers).WithTimeout(TimeSpan.FromSeconds(10));

        var frames = Drain(queue);
        Assert.Equal(8 * 200 * 3, frames.Count);
        for (var i = 0; i < frames.Count; i += 3)
        {
            var writer = frames[i].Bytes.Span[0];
            Assert.Equal([1, 2, 3], frames.Skip(i).Take(3).Select(f => f.Bytes.Length).ToArray());
            Assert.All(frames.Skip(i).Take(3), f => Assert.Equal(writer, f.Bytes.Span[0]));
        }

        Assert.Equal(0, queue.QueuedBytes);
    }
}
