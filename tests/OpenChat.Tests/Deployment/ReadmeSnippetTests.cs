using System.Globalization;
using System.Text.RegularExpressions;
using OpenChat.SocketIO;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Deployment;

/// <summary>What the README's deployment snippets promise beyond "it connects", checked against the app's own defaults.</summary>
public sealed partial class ReadmeSnippetTests
{
    [Theory]
    [InlineData("proxy_read_timeout")]
    [InlineData("proxy_send_timeout")]
    public void The_nginx_timeouts_outlast_a_quiet_connection_s_heartbeat(string directive)
    {
        var defaults = new SocketIOOptions();
        var match = Regex.Match(ReadmeSnippet.Get(ReadmeNginx.Snippet), directive + @"\s+(\d+)s;");

        Assert.True(match.Success, $"The README's nginx site has no {directive} in seconds.");
        Assert.True(
            TimeSpan.FromSeconds(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)) > defaults.PingInterval + defaults.PingTimeout,
            $"{directive} must exceed the ping interval plus the ping timeout ({defaults.PingInterval + defaults.PingTimeout}).");
    }

    [Fact]
    public void The_nginx_site_forwards_what_the_origin_check_needs_and_upgrades_websockets()
    {
        var site = ReadmeSnippet.Get(ReadmeNginx.Snippet);

        Assert.Contains("proxy_set_header Host $http_host;", site);
        Assert.Contains("proxy_set_header X-Forwarded-Proto $scheme;", site);
        Assert.Contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;", site);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", site);
        Assert.Contains("ip_hash;", ReadmeSnippet.NginxBlock(site, "upstream openchat"));
    }

    [Fact]
    public void The_systemd_unit_waits_longer_for_a_stop_than_the_server_takes_to_close_its_clients()
    {
        var unit = ReadmeSnippet.Get("systemd-unit");
        var match = StopTimeout().Match(unit);

        Assert.True(match.Success, "The README's unit has no TimeoutStopSec.");
        Assert.True(TimeSpan.FromSeconds(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)) > new SocketIOOptions().CloseTimeout);
        Assert.Contains("KillSignal=SIGTERM", unit);
        Assert.Equal("chat.example.com", ReadmeSnippet.SystemdEnvironment(unit)["AllowedHosts"]);
    }

    [GeneratedRegex(@"^TimeoutStopSec=(\d+)$", RegexOptions.Multiline)]
    private static partial Regex StopTimeout();
}
