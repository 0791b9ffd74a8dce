using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace OpenChat.Tests.Pages;

/// <summary>The app on the in-memory test server, its history in a temp folder of its own (never the user's data folder).</summary>
public sealed class PagesAppFactory : WebApplicationFactory<Program>
{
    private readonly TempFolder _dataFolder = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseSetting("Storage:DataFolder", _dataFolder.Path);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dataFolder.Dispose();
    }
}
