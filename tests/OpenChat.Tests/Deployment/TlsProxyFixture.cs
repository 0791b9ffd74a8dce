using System.Globalization;
using Microsoft.Playwright;
using OpenChat.Tests.Browser;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Deployment;

/// <summary>
/// The README's production recipe, run as written: two app instances started with the systemd unit's
/// <c>Environment=</c> lines (ports replaced), behind the README's nginx site terminating TLS with a certificate
/// made for <c>chat.example.com</c>, and a Chromium that resolves that name (and a foreign one) to loopback
/// and, for these tests only, accepts the self-signed certificate.
/// </summary>
public sealed class TlsProxyFixture : IAsyncLifetime
{
    public const string PublicHost = "chat.example.com";
    public const string ForeignHost = "evil.example";

    private readonly List<OpenChatProcess> _instances = [];

    // The unit's StateDirectory (/var/lib/openchat), shared by both instances as on one production host.
    private readonly TempFolder _stateDirectory = new();
    private TestCertificate? _certificate;
    private IPlaywright? _playwright;

    public NginxProcess Nginx { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>https://chat.example.com:&lt;port&gt;/, the page's public address.</summary>
    public Uri PublicUri { get; private set; } = null!;

    /// <summary>The plain-HTTP port of the README's redirect server.</summary>
    public int RedirectPort { get; private set; }

    public IReadOnlyList<OpenChatProcess> Instances => _instances;

    /// <summary>The loopback ports the instances listen on, behind nginx.</summary>
    public IReadOnlyList<int> InstancePorts { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var unit = ReadmeSnippet.Get("systemd-unit");
        var ports = new[] { OpenChatProcess.FreePort(), OpenChatProcess.FreePort() };
        InstancePorts = ports;
        foreach (var port in ports)
        {
            var environment = ReadmeSnippet.SystemdEnvironment(ReadmeSnippet.Substitute(unit, ("http://127.0.0.1:8000", $"http://127.0.0.1:{Text(port)}"), ("/var/lib/openchat", _stateDirectory.Path)));
            _instances.Add(OpenChatProcess.Start(environment));
        }

        var certificateMade = TestCertificate.CreateAsync(PublicHost);
        var tlsPort = FreePort.Find();
        RedirectPort = FreePort.Find();
        _playwright = await Playwright.CreateAsync().WithTimeout();
        var browserLaunched = _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args =
            [
                .. BrowserFixture.ChromiumArgs,
                $"--host-resolver-rules=MAP {PublicHost} 127.0.0.1, MAP {ForeignHost} 127.0.0.1",
                "--ignore-certificate-errors",

                // In production chat.example.com is a public address. Here it is loopback, which Chromium's local
                // network protection would shield from a foreign page before the app's own origin check is reached.
                $"--ip-address-space-overrides=127.0.0.1:{Text(tlsPort)}=public",
            ],
            Timeout = 30_000,
        });
        await Task.WhenAll(_instances.Select(i => i.WaitForLineAsync("OpenChat is listening on"))).WithTimeout();

        _certificate = await certificateMade;
        Nginx = await NginxProcess.StartAsync(ReadmeNginx.TlsSite(RedirectPort, tlsPort, _certificate, ports[0], ports[1]), tlsPort, RedirectPort);
        PublicUri = new Uri($"https://{PublicHost}:{Text(tlsPort)}/");
        Browser = await browserLaunched.WithTimeout(TimeSpan.FromSeconds(40));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync().WithTimeout();
        }

        _playwright?.Dispose();
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        _certificate?.Dispose();
        _stateDirectory.Dispose();
    }

    /// <summary>The first line containing <paramref name="text"/> that either instance prints (ip_hash picks one per client).</summary>
    public async Task<string> WaitForAppLineAsync(string text)
    {
        var waits = _instances.Select(i => i.WaitForLineAsync(text)).ToList();
        while (true)
        {
            var done = await Task.WhenAny(waits);
            if (done.IsCompletedSuccessfully || waits.Count == 1)
            {
                return await done;
            }

            waits.Remove(done);
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
