using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenChat.Accounts;
using OpenChat.Tests.Accounts;
using OpenChat.Tests.Accounts.Images;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

/// <summary>
/// Accounts in the page, in Chromium: sign up, reload still signed in, sign out, sign in (and a wrong
/// password), the cookie's flags as the browser keeps them; a picture uploaded by one user on the other's
/// screen, in the online list and on new messages; a guest sent back from a registered name.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountTests(BrowserFixture browser)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Sign_up_reload_sign_out_and_sign_in_again_and_the_cookie_is_out_of_the_page_s_reach()
    {
        await using var host = await ChatHost.StartAsync();
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);
        await ana.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Artifacts, "account-welcome.png") });

        await ana.SignUpAsync("Ana", Password);
        await Expect(ana.OnlineUser("Ana")).ToHaveClassAsync(new Regex("user--you"));
        await Expect(ana.Page.Locator("#welcome")).ToBeHiddenAsync();
        await ana.SendAsync("signed in and talking");
        await Expect(ana.OwnMessages.Locator(".author")).ToHaveTextAsync(["Ana"]);

        var cookie = Assert.Single(await ana.Context.CookiesAsync(), c => c.Name == AccountServiceCollectionExtensions.CookieName);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.False(cookie.Secure); // plain HTTP here; the TLS proxy tests see it Secure
        Assert.True(cookie.Expires > DateTimeOffset.UtcNow.AddDays(29).ToUnixTimeSeconds());
        Assert.DoesNotContain(AccountServiceCollectionExtensions.CookieName, await ana.Page.EvaluateAsync<string>("() => document.cookie"));

        // A reload goes straight back into the chat as Ana, with her conversation.
        await ana.Page.ReloadAsync();
        await Expect(ana.Status).ToHaveTextAsync("connected");
        await Expect(ana.AccountName).ToHaveTextAsync("Ana");
        await Expect(ana.OnlineUser("Ana")).ToHaveCountAsync(1);
        await Expect(ana.OwnMessages.Locator(".text")).ToHaveTextAsync(["signed in and talking"]);

        await ana.SignOutAsync();
        await Expect(ana.AccountMenu).ToBeHiddenAsync();
        Assert.DoesNotContain(await ana.Context.CookiesAsync(), c => c.Name == AccountServiceCollectionExtensions.CookieName);

        await ana.FillCredentialsAsync("ana", "wrong horse battery");
        await ana.Page.Locator("#sign-in-button").ClickAsync();
        await Expect(ana.AccountFormError).ToHaveTextAsync(AccountService.WrongNameOrPassword);

        await ana.SignInAsync("ana", Password);
        await Expect(ana.AccountName).ToHaveTextAsync("Ana");
        ana.AssertNoErrorsBut("status of 401 (Unauthorized) (" + host.BaseUri + "account/sign-in");
    }

    [Fact]
    public async Task A_picture_one_user_uploads_shows_on_the_other_s_screen_in_the_list_and_on_new_messages()
    {
        await using var host = await ChatHost.StartAsync();
        var benOpening = ChatPage.OpenAsync(browser, host.BaseUri);
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);
        await using var ben = await benOpening;
        await ana.SignUpAsync("Ana", Password);
        await ben.JoinAsync("Ben");
        await Expect(ben.OnlineUser("Ana").Locator(".avatar")).ToHaveTextAsync("A");

        await ana.ChoosePictureAsync("me.png", "image/png", TestImages.Png(32, 24));

        // Ben's list shows her face, decoded by his browser, and so does her own header.
        var inBensList = ben.OnlineUser("Ana").Locator("img.avatar--picture");
        await Expect(inBensList).ToHaveAttributeAsync("src", new Regex("^/avatars/[0-9]+/[0-9a-f]{16}$"));
        await Expect(inBensList).ToHaveJSPropertyAsync("naturalWidth", 32);
        await Expect(ana.AccountAvatar).ToHaveAttributeAsync("src", (await inBensList.GetAttributeAsync("src"))!);
        await Expect(ben.OnlineUser("Ben").Locator("span.avatar")).ToHaveTextAsync("B");

        await ana.SendAsync("do you like my new face?");
        var bubble = ben.Bubble("do you like my new face?");
        await Expect(bubble.Locator("img.avatar--picture")).ToHaveJSPropertyAsync("naturalHeight", 24);
        await ben.SendAsync("it suits you");
        await Expect(ana.Bubble("it suits you").Locator(".avatar")).ToHaveTextAsync("B");
        await ana.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Artifacts, "account-picture-ana.png") });
        await ben.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Artifacts, "account-picture-ben.png") });

        // After a reload the history shows her face on her earlier message too.
        await ben.Page.ReloadAsync();
        await ben.JoinAsync("Ben");
        await Expect(ben.Bubble("do you like my new face?").Locator("img.avatar--picture")).ToHaveJSPropertyAsync("naturalWidth", 32);
        await Expect(ben.Bubble("it suits you").Locator(".avatar")).ToHaveTextAsync("B");

        // A drawing named as a picture is refused with the reason, and the face stays.
        await ana.ChoosePictureAsync("sneaky.png", "image/png", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray());
        await Expect(ana.AccountError).ToHaveTextAsync("Avatars must be PNG, JPEG or WebP images; this file is an SVG drawing.");
        await Expect(inBensList).ToHaveCountAsync(1);

        await ana.Page.Locator("#avatar-remove").ClickAsync();
        await Expect(ben.OnlineUser("Ana").Locator("span.avatar")).ToHaveTextAsync("A");
        await Expect(ana.AccountAvatar).ToHaveTextAsync("A");
        ana.AssertNoErrorsBut("status of 415 (Unsupported Media Type) (" + host.BaseUri + "account/avatar");
        ben.AssertNoErrors();
    }

    [Fact]
    public async Task A_guest_asking_for_a_registered_name_is_sent_back_to_choose_another()
    {
        await using var host = await ChatHost.StartAsync();
        using (var owner = new AccountClient(host.BaseUri))
        {
            await owner.SignUpAsync("Ana", Password);
        }

        await using var guest = await ChatPage.OpenAsync(browser, host.BaseUri);
        await guest.NameInput.FillAsync("ＡＮＡ");
        await guest.Page.Locator("#name-form button[type=submit]").ClickAsync();

        await Expect(guest.NameError).ToHaveTextAsync("“ＡＮＡ” is a registered name. Sign in to use it, or choose another.");
        await Expect(guest.Page.Locator("#welcome")).ToBeVisibleAsync();
        await guest.JoinAsync("Anabel");
        await Expect(guest.UserNames).ToHaveTextAsync(["Anabel"]);
        guest.AssertNoErrors();
    }
}
