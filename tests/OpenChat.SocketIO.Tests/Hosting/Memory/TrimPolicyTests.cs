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
    public void Load_coming_back_starts_the_retries_afresh_once_it_ends()
    {
        Assert.True(_policy.ShouldTrim(Quiet, 600 * MiB, 100 * MiB));
        _policy.Trimmed(600 * MiB, 500 * MiB, 500 * MiB);
        _time.Advance(_options.MinimumTrimInterval);
        Assert.True(_policy.ShouldTrim(Quiet, 500 * MiB, 500 * MiB));
        _policy.Trimmed(500 * MiB, 500 * MiB, 500 * MiB);

        // Busy while the next retry (two intervals away) comes due: no trim; then quiet again: the burst ended.
        _time.Advance(_options.MinimumTrimInterval * 2);
        Assert.False(_policy.ShouldTrim(Busy, 500 * MiB, 500 * MiB));
        Assert.True(_policy.ShouldTrim(Quiet, 500 * MiB, 500 * MiB));
        _policy.Trimmed(500 * MiB, 500 * MiB, 500 * MiB);

        // And the retry after it is one interval away again, not four.
        _time.Advance(_options.MinimumTrimInterval);
        Assert.True(_policy.ShouldTrim(Quiet, 500 * MiB, 500 * MiB));
    }

    [Fact]
    public void The_first_quiet_check_after_a_busy_one_trims_even_when_the_last_collection_saw_everything_live()
    {
        // During the burst the GC's last collection found its 400 MiB live: nothing looks reclaimable.
        Assert.False(_policy.ShouldTrim(Quiet, 420 * MiB, 400 * MiB));
        Assert.False(_policy.ShouldTrim(Busy, 420 * MiB, 400 * MiB));

        Assert.True(_policy.ShouldTrim(Quiet, 420 * MiB, 400 * MiB));
        _policy.Trimmed(420 * MiB, 30 * MiB, 5 * MiB);
        _time.Advance(_options.MinimumTrimInterval);
        Assert.False(_policy.ShouldTrim(Quiet, 30 * MiB, 5 * MiB));
    }

    [Fact]
    public void A_small_process_is_not_trimmed_after_being_busy()
    {
        Assert.False(_policy.ShouldTrim(Busy, 20 * MiB, 10 * MiB));
        Assert.False(_policy.ShouldTrim(Quiet, 20 * MiB, 10 * MiB));
    }
}
