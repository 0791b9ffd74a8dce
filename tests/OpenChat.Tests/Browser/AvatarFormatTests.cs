using System.Text;
using OpenChat.Accounts.Images;
using OpenChat.Tests.Accounts;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Browser;

/// <summary>
/// Pictures as a real encoder writes them: Chromium's canvas encodes PNG, JPEG and WebP (lossy and its
/// best quality); each is recognized with its size, accepted as an avatar, served, and decoded by the
/// browser at that size; the same files with markup appended are refused.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AvatarFormatTests(BrowserFixture browser)
{
    private const string Encode = """
        async ([type, quality, width, height]) => {
          const canvas = document.createElement('canvas');
          canvas.width = width;
          canvas.height = height;
          const g = canvas.getContext('2d');
          const gradient = g.createLinearGradient(0, 0, width, height);
          gradient.addColorStop(0, '#1e7d46');
          gradient.addColorStop(1, '#ffd166');
          g.fillStyle = gradient;
          g.fillRect(0, 0, width, height);
          g.fillStyle = '#b3261e';
          g.fillRect(width / 4, height / 4, width / 2, height / 2);
          const blob = await new Promise((resolve) => canvas.toBlob(resolve, type, quality));
          const bytes = new Uint8Array(await blob.arrayBuffer());
          let binary = '';
          for (const b of bytes) binary += String.fromCharCode(b);
          return [blob.type, btoa(binary)];
        }
        """;

    [Theory]
    [InlineData("image/png", 1.0, ImageFormat.Png)]
    [InlineData("image/jpeg", 0.85, ImageFormat.Jpeg)]
    [InlineData("image/webp", 0.8, ImageFormat.WebP)]
    [InlineData("image/webp", 1.0, ImageFormat.WebP)]
    public async Task A_picture_chromium_encodes_is_recognized_accepted_served_and_decoded_at_its_size(string type, double quality, ImageFormat format)
    {
        await using var host = await ChatHost.StartAsync();
        await using var page = await ChatPage.OpenAsync(browser, host.BaseUri);
        var encoded = await page.Page.EvaluateAsync<string[]>(Encode, new object[] { type, quality, 45, 31 });
        Assert.Equal(type, encoded[0]);
        var file = Convert.FromBase64String(encoded[1]);

        var info = ImageInspector.Inspect(file, out var reason);
        Assert.True(info is not null, reason);
        Assert.Equal((format, 45, 31), (info.Format, info.Width, info.Height));
        Assert.Null(ImageInspector.Inspect([.. file, .. Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>")], out _));

        using var ana = await AvatarEndpointsTests.SignedUpAsync(host, "Ana");
        var (status, body) = await ana.UploadAvatarAsync(file, "canvas.bin", "application/octet-stream");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var url = body.GetProperty("avatar").GetString()!;
        var size = await page.Page.EvaluateAsync<int[]>(
            "async (url) => { const img = new Image(); img.src = url; await img.decode(); return [img.naturalWidth, img.naturalHeight]; }", url);
        Assert.Equal([45, 31], size);
    }
}
