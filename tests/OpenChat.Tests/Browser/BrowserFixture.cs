using Microsoft.Playwright;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Browser;

/// <summary>One headless Chromium for the whole collection; each simulated user gets its own context.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    // The distribution's Chromium; Playwright then downloads nothing. CHROMIUM_PATH points elsewhere if needed.
    private const string DefaultChromiumPath = "/usr/bin/chromium";

    // Runs as root on a machine with no network beyond loopback: no sandbox, no GPU, no background traffic.
    internal static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>How long a single page action or assertion may take before the test fails.</summary>
    public static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The Chromium to launch, for fixtures that need one with other flags.</summary>
    internal static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : DefaultChromiumPath;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)ActionTimeout.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync().WithTimeout();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 30_000,
        }).WithTimeout(TimeSpan.FromSeconds(40));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync().WithTimeout();
        }

        _playwright?.Dispose();
    }
}
