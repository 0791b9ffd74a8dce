using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Hosting;

namespace OpenChat.SocketIO.Tests.Hosting.Memory;

public sealed class TrimPolicyTests
{
    private const long MiB = 1024 * 1024;
    private readonly FakeTimeProvider _time = new();
    private readonly IdleMemoryTrimOptions _options = new();
    private readonly TrimPolicy _policy;

    public TrimPolicyTests() => _policy = new TrimPolicy(_options, _time);

    private const double Quiet = 1024;
    private const double Busy = 100 * MiB;

    [Fact]
    public void A_quiet_process_whose_gc_holds_far_more_than_its_live_heap_is_trimmed()
    {
        Assert.True(_policy.ShouldTrim(Quiet, committedBytes: 300 * MiB, heapBytesAtLastGc: 20 * MiB));
    }

    [Fact]
    public void A_busy_process_is_never_trimmed()
    {
        Assert.False(_policy.ShouldTrim(Busy, committedBytes: 300 * MiB, heapBytesAtLastGc: 20 * MiB));
    }

    [Fact]
    public void Little_to_give_back_is_not_worth_a_full_collection()
    {
        Assert.False(_policy.ShouldTrim(Quiet, committedBytes: 60 * MiB, heapBytesAtLastGc: 40 * MiB));
    }

    [Fact]
    public void Trims_are_at_least_the_minimum_interval_apart()
    {
        Assert.True(_policy.ShouldTrim(Quiet, 300 * MiB, 20 * MiB));
        _policy.Trimmed(300 * MiB, 25 * MiB, 2 * MiB);

        _time.Advance(_options.MinimumTrimInterval - TimeSpan.FromSeconds(1));
        Assert.False(_policy.ShouldTrim(Quiet, 300 * MiB, 20 * MiB));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_policy.ShouldTrim(Quiet, 300 * MiB, 20 * MiB));
    }

    [Fact]
    public void A_trim_that_found_a_large_live_heap_is_tried_again_one_interval_later_as_it_may_be_a_burst_s_leftovers()
    {
        Assert.True(_policy.ShouldTrim(Quiet, 300 * MiB, 20 * MiB));
        _policy.Trimmed(300 * MiB, 70 * MiB, 70 * MiB);

        // The GC's last collection was the trim: nothing looks reclaimable, yet the leftovers may have died since.
        _time.Advance(_options.MinimumTrimInterval);
        Assert.True(_policy.ShouldTrim(Quiet, 70 * MiB, 70 * MiB));
        _policy.Trimmed(70 * MiB, 5 * MiB, 1 * MiB);

        _time.Advance(TrimPolicy.LongestRetry);
        Assert.False(_policy.ShouldTrim(Quiet, 6 * MiB, 1 * MiB));
    }

    [Fact]
    public void A_heap_that_stays_live_is_retried_at_doubling_intervals_up_to_ten_minutes()
    {
        Assert.True(_policy.ShouldTrim(Quiet, 600 * MiB, 100 * MiB));
        _policy.Trimmed(600 * MiB, 500 * MiB, 500 * MiB);
        var retries = new List<TimeSpan>();
        var waited = TimeSpan.Zero;
        while (retries.Count < 7)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            waited += TimeSpan.FromSeconds(1);
            if (_policy.ShouldTrim(Quiet, 500 * MiB, 500 * MiB))
            {
                retries.Add(waited);
                waited = TimeSpan.Zero;
                _policy.Trimmed(500 * MiB, 500 * MiB, 500 * MiB);
            }
        }

        var interval = _options.MinimumTrimInterval;
        Assert.Equal([interval, interval * 2, interval * 4, interval * 8, interval * 16, TrimPolicy.LongestRetry, TrimPolicy.LongestRetry], retries);
    }

    [Fact]
    public void Load_coming_back_cancels_a_retry()
    {
        _policy.ShouldTrim(Quiet, 300 * MiB, 20 * MiB);
        _policy.Trimmed(300 * MiB, 70 * MiB, 70 * MiB);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(_policy.ShouldTrim(Busy, 70 * MiB, 70 * MiB));

        _time.Advance(_options.MinimumTrimInterval);
        Assert.False(_policy.ShouldTrim(Quiet, 70 * MiB, 70 * MiB));
    }
}
