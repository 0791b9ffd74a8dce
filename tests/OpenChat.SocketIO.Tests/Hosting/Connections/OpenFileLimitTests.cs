using OpenChat.SocketIO.Hosting;

namespace OpenChat.SocketIO.Tests.Hosting.Connections;

public sealed class OpenFileLimitTests
{
    private const string Limits = """
        Limit                     Soft Limit           Hard Limit           Units
        Max cpu time              unlimited            unlimited            seconds
        Max processes             95684                95684                processes
        Max open files            1500                 4096                 files
        Max locked memory         8388608              8388608              bytes
        """;

    [Fact]
    public void The_soft_limit_is_read_from_the_max_open_files_line() => Assert.Equal(1500, OpenFileLimit.Parse(Limits));

    [Fact]
    public void An_unlimited_or_missing_limit_reads_as_unknown()
    {
        Assert.Null(OpenFileLimit.Parse("Max open files            unlimited            unlimited            files"));
        Assert.Null(OpenFileLimit.Parse("Max processes             95684                95684                processes"));
    }

    [Fact]
    public void This_process_has_a_limit_on_linux()
    {
        if (OperatingSystem.IsLinux())
        {
            Assert.True(OpenFileLimit.Current() > 0);
        }
    }

    [Theory]
    [InlineData(1500, 1169)]
    [InlineData(1024, 717)]
    [InlineData(65536, 62004)]
    [InlineData(300, 75)]
    public void By_default_the_ceiling_keeps_256_descriptors_and_5_percent_of_the_limit_but_at_least_a_quarter_of_it(long limit, int ceiling) =>
        Assert.Equal(ceiling, OpenFileLimit.Ceiling(new ConnectionCeilingOptions(), limit));

    [Fact]
    public void An_explicit_maximum_wins_and_a_reserve_can_be_set()
    {
        Assert.Equal(50_000, OpenFileLimit.Ceiling(new ConnectionCeilingOptions { MaxConnections = 50_000 }, 1500));
        Assert.Equal(1400, OpenFileLimit.Ceiling(new ConnectionCeilingOptions { ReservedFileDescriptors = 100 }, 1500));
        Assert.Equal(7, OpenFileLimit.Ceiling(new ConnectionCeilingOptions { MaxConnections = 7 }, null));
    }

    [Fact]
    public void Without_a_known_limit_or_a_maximum_there_is_no_ceiling() =>
        Assert.Null(OpenFileLimit.Ceiling(new ConnectionCeilingOptions(), null));
}
