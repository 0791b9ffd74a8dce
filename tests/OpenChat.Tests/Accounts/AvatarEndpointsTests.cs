using System.Net;
using System.Text;
using OpenChat.Accounts;
using OpenChat.Tests.Accounts.Images;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Accounts;

/// <summary>
/// Uploading, serving and removing avatars over real HTTP: the format comes from the bytes whatever the
/// file is called or claims to be; polyglots, markup and oversized files are refused; an avatar is served
/// with its true type, nosniff and a sandboxing CSP, at a URL that a new upload replaces; changes are limited
/// per account.
/// </summary>
public sealed class AvatarEndpointsTests
{
    private const string Html = "<!doctype html><html><script>fetch('/account').then(r => r.text()).then(alert)</script></html>";
    private const string Svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.domain)</script></svg>";

    [Fact]
    public async Task An_avatar_is_served_as_what_its_bytes_are_with_nosniff_a_sandbox_and_caching_for_good()
    {
        await using var host = await ChatHost.StartAsync();
        using var ana = await SignedUpAsync(host, "Ana");
        var png = TestImages.Png(4, 4);

        // Named and declared as something else entirely: neither is read.
        var (status, body) = await ana.UploadAvatarAsync(png, fileName: "face.gif", contentType: "text/html");

        Assert.Equal(HttpStatusCode.OK, status);
        var url = Prop(body, "avatar")!;
        Assert.Matches("^/avatars/[0-9]+/[0-9a-f]{16}$", url);
        Assert.Equal(url, Prop(await ana.StateAsync(), "avatar"));
        using var anyone = new HttpClient { BaseAddress = host.BaseUri };
        using var response = await anyone.GetAsync(url).WithTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(AvatarEndpoints.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal(png, await response.Content.ReadAsByteArrayAsync());

        // A browser that has it asks whether it changed: it did not.
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await anyone.SendAsync(again).WithTimeout();
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task A_new_upload_has_a_new_url_and_the_old_one_sends_browsers_to_it_uncached()
    {
        await using var host = await ChatHost.StartAsync();
        using var ana = await SignedUpAsync(host, "Ana");
        var first = Prop((await ana.UploadAvatarAsync(TestImages.Png(4, 4))).Body, "avatar")!;

        var (status, body) = await ana.UploadAvatarAsync(TestImages.WebPLossless(16, 16), "new.webp", "image/webp");

        Assert.Equal(HttpStatusCode.OK, status);
        var second = Prop(body, "avatar")!;
        Assert.NotEqual(first, second);
        using var anyone = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseUri };
        using var old = await anyone.GetAsync(first).WithTimeout();
        Assert.Equal(HttpStatusCode.Redirect, old.StatusCode);
        Assert.Equal(second, old.Headers.Location?.ToString());
        Assert.Equal("no-cache", old.Headers.CacheControl?.ToString());
        using var current = await anyone.GetAsync(second).WithTimeout();
        Assert.Equal("image/webp", current.Content.Headers.ContentType?.ToString());
    }

    public static TheoryData<string, byte[], string, string, string> Polyglots
    {
        get
        {
            var png = TestImages.Png(4, 4);
            return new()
            {
                { "an html page named .png", Encoding.UTF8.GetBytes(Html), "avatar.png", "image/png", "this file is an HTML page" },
                { "an svg drawing named .png", Encoding.UTF8.GetBytes(Svg), "avatar.png", "image/png", "this file is an SVG drawing" },
                { "an svg drawing as itself", Encoding.UTF8.GetBytes(Svg), "avatar.svg", "image/svg+xml", "this file is an SVG drawing" },
                { "a png header followed by markup", [.. png[..33], .. Encoding.UTF8.GetBytes(Html)], "avatar.png", "image/png", "starts like a PNG image but is not a valid one" },
                { "a png with markup after its end", [.. png, .. Encoding.UTF8.GetBytes(Svg)], "avatar.png", "image/png", "something follows its end" },
                { "a jpeg with markup after its end", [.. TestImages.Jpeg(8, 8), .. Encoding.UTF8.GetBytes(Html)], "avatar.jpg", "image/jpeg", "something follows its end" },
                { "a gif", [.. "GIF89a"u8.ToArray(), 1, 0, 1, 0, 0, 0, 0, 0x3B], "avatar.gif", "image/gif", "this file is a GIF image" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(Polyglots))]
    public async Task Polyglots_markup_and_other_formats_are_refused_whatever_their_name_and_declared_type(string what, byte[] file, string name, string type, string reason)
    {
        await using var host = await ChatHost.StartAsync();
        using var ana = await SignedUpAsync(host, "Ana");

        var (status, body) = await ana.UploadAvatarAsync(file, name, type);

        Assert.True(status == HttpStatusCode.UnsupportedMediaType, $"{what}: {status} {body}");
        Assert.Contains(reason, Prop(body, "reason"));
        Assert.Null(Prop(await ana.StateAsync(), "avatar"));
    }

    [Fact]
    public async Task Files_over_the_byte_limit_and_images_over_the_pixel_bound_are_refused()
    {
        await using var host = await ChatHost.StartAsync(null, "--Accounts:MaxAvatarBytes=4096", "--Accounts:MaxAvatarDimension=64");
        using var ana = await SignedUpAsync(host, "Ana");
        var big = TestImages.Png(4, 4, ("tEXt", Encoding.ASCII.GetBytes("Comment\0" + new string('x', 5000))));

        var (status, body) = await ana.UploadAvatarAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("Pictures are at most 4 KiB; choose a smaller file.", Prop(body, "reason"));

        (status, body) = await ana.UploadAvatarAsync(TestImages.Png(65, 2));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Pictures are at most 64×64 pixels; this one is 65×2.", Prop(body, "reason"));

        // A body far over the limit is refused before it is read.
        (status, _) = await ana.UploadAvatarAsync(new byte[200_000]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);

        Assert.Equal(HttpStatusCode.OK, (await ana.UploadAvatarAsync(TestImages.Png(64, 64))).Status);
    }

    [Fact]
    public async Task Only_a_signed_in_user_uploads_and_removing_goes_back_to_no_picture()
    {
        await using var host = await ChatHost.StartAsync();
        using var guest = new AccountClient(host.BaseUri);
        var (status, body) = await guest.UploadAvatarAsync(TestImages.Png(4, 4));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Sign in to upload a picture.", Prop(body, "reason"));

        using var ana = await SignedUpAsync(host, "Ana");
        var url = Prop((await ana.UploadAvatarAsync(TestImages.Png(4, 4))).Body, "avatar")!;
        Assert.Equal(HttpStatusCode.OK, (await ana.RemoveAvatarAsync()).Status);

        Assert.Null(Prop(await ana.StateAsync(), "avatar"));
        using var gone = await guest.Http.GetAsync(url).WithTimeout();
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("nosniff", gone.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Picture_changes_are_limited_per_account_and_another_account_on_the_same_network_is_not_held_up()
    {
        await using var host = await ChatHost.StartAsync(null, "--Accounts:AvatarUploadsPerAccount=2", "--Accounts:AvatarUploadWindow=01:00:00");
        using var ana = await SignedUpAsync(host, "Ana");
        using var ben = await SignedUpAsync(host, "Ben");

        // An upload and a removal are the two changes the window allows.
        Assert.Equal(HttpStatusCode.OK, (await ana.UploadAvatarAsync(TestImages.Png(4, 4))).Status);
        Assert.Equal(HttpStatusCode.OK, (await ana.RemoveAvatarAsync()).Status);

        var (status, body) = await ana.UploadAvatarAsync(TestImages.Png(8, 8));
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Matches("^Too many picture changes for this account; try again in [0-9]+ minutes\\.$", Prop(body, "reason"));
        Assert.Null(Prop(await ana.StateAsync(), "avatar"));

        // A removal counts in the same window, and the refusal says when the window ends.
        using var remove = new HttpRequestMessage(HttpMethod.Delete, "/account/avatar");
        remove.Headers.Add("RequestVerificationToken", (await ana.StateAsync()).GetProperty("antiforgery").GetString());
        using var refused = await ana.Http.SendAsync(remove).WithTimeout();
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 3600);

        // Ben comes from the same address: the limit is Ana's, not her network's.
        (status, body) = await ben.UploadAvatarAsync(TestImages.Png(4, 4));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Prop(body, "avatar"), Prop(await ben.StateAsync(), "avatar"));
    }

    internal static async Task<AccountClient> SignedUpAsync(ChatHost host, string name)
    {
        var client = new AccountClient(host.BaseUri);
        var (status, body) = await client.SignUpAsync(name, "correct horse battery");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return client;
    }
}
