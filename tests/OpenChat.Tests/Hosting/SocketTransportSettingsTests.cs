using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenChat.Tests.Hosting;

/// <summary>
/// The app's Kestrel transport sends where a write is flushed (the WebSocket writer gathers what it finds into
/// one write), keeps Kestrel's write buffer, and Kestrel:Sockets overrides both.
/// </summary>
public sealed class SocketTransportSettingsTests
{
    private static async Task<SocketTransportOptions> TransportOptionsAsync(params string[] args)
    {
        await using var app = OpenChatApp.Build(["--urls", "http://127.0.0.1:0", "--Storage:Enabled=false", .. args]);
        return app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
    }

    [Fact]
    public async Task By_default_sends_run_where_they_are_flushed_with_kestrels_own_write_buffer()
    {
        var options = await TransportOptionsAsync();

        Assert.True(options.UnsafePreferInlineScheduling);
        Assert.Equal(new SocketTransportOptions().MaxWriteBufferSize, options.MaxWriteBufferSize);
    }

    [Fact]
    public async Task Kestrel_sockets_settings_override_the_apps_choice()
    {
        var options = await TransportOptionsAsync("--Kestrel:Sockets:UnsafePreferInlineScheduling=false", "--Kestrel:Sockets:MaxWriteBufferSize=16384");

        Assert.False(options.UnsafePreferInlineScheduling);
        Assert.Equal(16384, options.MaxWriteBufferSize);
    }
}
