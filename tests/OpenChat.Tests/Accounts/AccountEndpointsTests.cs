using System.Net;
using Microsoft.AspNetCore.Identity;
using OpenChat.Accounts;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Accounts;

/// <summary>
/// Signing up, in and out over real HTTP against the app: the cookie's flags, one answer for every failed
/// sign-in, names under the chat's rules and unique in every case and compatibility form, password lengths,
/// the sign-in limits per address and per name, and antiforgery on every post.
/// </summary>
public sealed class AccountEndpointsTests
{
    [Fact]
    public async Task Signing_up_signs_in_with_an_http_only_lax_cookie_a_reload_keeps_and_signing_out_ends()
    {
        await using var host = await ChatHost.StartAsync();
        using var browser = new AccountClient(host.BaseUri);
        Assert.False((await browser.StateAsync()).GetProperty("signedIn").GetBoolean());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/sign-up") { Content = new FormUrlEncodedContent([new("name", " Ana Lee "), new("password", "correct horse")]) };
        request.Headers.Add("RequestVerificationToken", (await browser.StateAsync()).GetProperty("antiforgery").GetString());
        using var response = await browser.Http.SendAsync(request).WithTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AccountServiceCollectionExtensions.CookieName + "=", StringComparison.Ordinal));
        var flags = setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(f => f.ToLowerInvariant()).ToArray();
        Assert.Contains("httponly", flags);
        Assert.Contains("samesite=lax", flags);
        Assert.Contains("path=/", flags);
        Assert.DoesNotContain("secure", flags); // plain HTTP: a Secure cookie would never come back
        Assert.Contains(flags, f => f.StartsWith("expires=", StringComparison.Ordinal)); // survives closing the browser
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        // A reload asks again: still signed in, as the name was typed (trimmed).
        var state = await browser.StateAsync();
        Assert.True(state.GetProperty("signedIn").GetBoolean());
        Assert.Equal("Ana Lee", Prop(state, "name"));

        var (status, body) = await browser.SignOutAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(Ok(body));
        Assert.Null(browser.SignInCookie);
        Assert.False((await browser.StateAsync()).GetProperty("signedIn").GetBoolean());

        (status, body) = await browser.SignInAsync("ana lee", "correct horse");
        Assert.Equal((HttpStatusCode.OK, "Ana Lee"), (status, Prop(body, "name")));
    }

    [Fact]
    public async Task The_keys_protecting_the_cookie_are_kept_in_the_database_so_a_restart_keeps_you_signed_in()
    {
        using var folder = new TempFolder();
        string cookie;
        await using (var first = await ChatHost.StartInAsync(folder.Path))
        {
            using var before = new AccountClient(first.BaseUri);
            await before.SignUpAsync("Ana", "correct horse");
            cookie = before.CookieHeader;
        }

        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={folder.File("openchat.db")};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var count = new Microsoft.Data.Sqlite.SqliteCommand("SELECT COUNT(*) FROM data_protection_keys", connection);
            Assert.True((long)(await count.ExecuteScalarAsync())! >= 1);
        }

        await using var second = await ChatHost.StartInAsync(folder.Path);
        using var http = new HttpClient { BaseAddress = second.BaseUri };
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        var state = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/account").WithTimeout()).RootElement;
        Assert.Equal("Ana", Prop(state, "name"));
    }

    [Fact]
    public async Task With_storage_off_accounts_live_in_memory_and_still_reserve_their_names()
    {
        await using var host = await ChatHost.StartAsync(null, "--Storage:Enabled=false");
        using var ana = new AccountClient(host.BaseUri);

        Assert.Equal(HttpStatusCode.OK, (await ana.SignUpAsync("Ana", "correct horse")).Status);
        Assert.Equal("Ana", Prop(await ana.StateAsync(), "name"));
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("guest");
        Assert.False(Ok(await clients.EmitWithAckAsync("guest", OpenChat.Chat.ChatEvents.AddUsername, "ANA")));
        await clients.ConnectAsync("ana", new { protocol = 2 }, cookie: ana.CookieHeader);
        var snapshot = await clients.WaitForReceivedAsync("ana", OpenChat.Chat.ChatEvents.PresenceSnapshot, _ => true, "its snapshot");
        Assert.Contains(Users(snapshot), u => u.Name == "Ana");
    }

    [Fact]
    public async Task Over_https_as_a_trusted_proxy_reports_it_the_cookies_are_secure()
    {
        await using var host = await ChatHost.StartAsync();
        using var browser = new AccountClient(host.BaseUri);
        browser.Http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https"); // from loopback: a trusted proxy

        using var stateResponse = await browser.Http.GetAsync("/account").WithTimeout();
        var antiforgery = stateResponse.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AccountServiceCollectionExtensions.AntiforgeryCookieName, StringComparison.Ordinal));
        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        var token = System.Text.Json.JsonDocument.Parse(await stateResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("antiforgery").GetString();

        // The cookie container keeps Secure cookies from an http:// address; send the token cookie by hand.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/sign-up") { Content = new FormUrlEncodedContent([new("name", "Ana"), new("password", "correct horse")]) };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        using var plain = new HttpClient { BaseAddress = host.BaseUri };
        plain.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var response = await plain.SendAsync(request).WithTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var signIn = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AccountServiceCollectionExtensions.CookieName + "=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("; secure", signIn);
        Assert.Contains("; httponly", signIn);
        Assert.Contains("; samesite=lax", signIn);
    }

    [Fact]
    public async Task A_name_is_registered_once_whatever_its_case_or_compatibility_form()
    {
        await using var host = await ChatHost.StartAsync(null, "--Accounts:SignUpsPerIp=100");
        using var ana = new AccountClient(host.BaseUri);
        Assert.Equal(HttpStatusCode.OK, (await ana.SignUpAsync("Ana", "correct horse")).Status);

        foreach (var lookAlike in new[] { "Ana", "ANA", "ana", "Ａｎａ", "𝐀𝐧𝐚", "Ⓐⓝⓐ", "ᴬⁿᵃ", " ana " })
        {
            using var other = new AccountClient(host.BaseUri);
            var (status, body) = await other.SignUpAsync(lookAlike, "another password");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("is registered already", Prop(body, "reason"));
            Assert.Null(other.SignInCookie);
        }
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "", "correct horse", "Choose a name." },
        { "   ", "correct horse", "Choose a name." },
        { "Guest", "correct horse", "the name of everyone who has not chosen one" },
        { "ＧＵＥＳＴ", "correct horse", "the name of everyone who has not chosen one" },
        { new string('a', 33), "correct horse", "at most 32 characters" },
        { "An\u0007a", "correct horse", "control characters" },
        { "Ana", "", "at least 10 characters" },
        { "Ana", "123456789", "at least 10 characters" },
        { "Ana", new string('p', 257), "at most 256 characters" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Sign_up_refuses_names_outside_the_chat_s_rules_and_passwords_outside_the_lengths(string name, string password, string reason)
    {
        await using var host = await ChatHost.StartAsync(null, "--Accounts:MinPasswordLength=10");
        using var browser = new AccountClient(host.BaseUri);

        var (status, body) = await browser.SignUpAsync(name, password);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, Prop(body, "reason"));
        Assert.Null(browser.SignInCookie);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_name_get_the_same_answer_after_the_same_work()
    {
        var hasher = new CountingPasswordHasher();
        await using var host = await ChatHost.StartAsync(b => b.Services.AddSingleton<IPasswordHasher<AccountRecord>>(hasher));
        using var browser = new AccountClient(host.BaseUri);
        await browser.SignUpAsync("Ana", "correct horse");
        await browser.SignOutAsync();
        host.Get<AccountService>().Warm();

        var answers = new List<(HttpStatusCode, string)>();
        var work = new List<int>();
        foreach (var (name, password) in new[] { ("Ana", "wrong horse"), ("Nobody", "correct horse"), ("", "correct horse"), ("An\u0007a", "x"), ("Ana", new string('p', 300)) })
        {
            var before = hasher.Verifications;
            var (status, body) = await browser.SignInAsync(name, password);
            answers.Add((status, body.GetRawText()));
            work.Add(hasher.Verifications - before);
        }

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.Unauthorized, """{"ok":false,"reason":"Wrong name or password."}"""), a));
        Assert.All(work, w => Assert.Equal(1, w)); // one password check each: an unknown name is checked against a dummy hash
        Assert.Null(browser.SignInCookie);
    }

    [Fact]
    public async Task Sign_in_attempts_are_limited_per_address()
    {
        await using var host = await ChatHost.StartAsync(null, "--Accounts:SignInAttemptsPerIp=3", "--Accounts:SignInWindow=01:00:00");
        using var attacker = new AccountClient(host.BaseUri, forwardedFor: "203.0.113.7");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.SignInAsync($"user{i}", "guess")).Status);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in") { Content = new FormUrlEncodedContent([new("name", "user9"), new("password", "guess")]) };
        request.Headers.Add("RequestVerificationToken", (await attacker.StateAsync()).GetProperty("antiforgery").GetString());
        using var limited = await attacker.Http.SendAsync(request).WithTimeout();
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        Assert.Contains("Too many attempts from your network; try again in", await limited.Content.ReadAsStringAsync());

        // Another address is counted on its own.
        using var neighbour = new AccountClient(host.BaseUri, forwardedFor: "198.51.100.20");
        Assert.Equal(HttpStatusCode.Unauthorized, (await neighbour.SignInAsync("user9", "guess")).Status);
    }

    [Fact]
    public async Task Sign_in_attempts_for_one_name_are_limited_from_every_address_together()
    {
        await using var host = await ChatHost.StartAsync(null, "--Accounts:SignInAttemptsPerName=2", "--Accounts:SignInWindow=01:00:00");
        using (var ana = new AccountClient(host.BaseUri))
        {
            await ana.SignUpAsync("Ana", "correct horse");
        }

        using (var first = new AccountClient(host.BaseUri, forwardedFor: "203.0.113.1"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await first.SignInAsync("Ana", "guess 1")).Status);
        }

        using (var second = new AccountClient(host.BaseUri, forwardedFor: "203.0.113.2"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await second.SignInAsync("ANA", "guess 2")).Status);
        }

        // The third try, from yet another address, is refused even with the right password.
        using var third = new AccountClient(host.BaseUri, forwardedFor: "203.0.113.3");
        var (status, body) = await third.SignInAsync("ana", "correct horse");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Contains("Too many sign-in attempts for this name; try again in", Prop(body, "reason"));
        Assert.Null(third.SignInCookie);

        // Other names are not held up.
        Assert.Equal(HttpStatusCode.Unauthorized, (await third.SignInAsync("Ben", "guess")).Status);
    }

    [Fact]
    public async Task Sign_ups_are_limited_per_address()
    {
        await using var host = await ChatHost.StartAsync(null, "--Accounts:SignUpsPerIp=2");
        using var spammer = new AccountClient(host.BaseUri, forwardedFor: "203.0.113.9");

        Assert.Equal(HttpStatusCode.OK, (await spammer.SignUpAsync("Bot1", "password one")).Status);
        Assert.Equal(HttpStatusCode.OK, (await spammer.SignUpAsync("Bot2", "password two")).Status);
        var (status, body) = await spammer.SignUpAsync("Bot3", "password three");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Contains("Too many attempts from your network", Prop(body, "reason"));
    }

    [Fact]
    public async Task A_sign_in_that_is_not_a_small_form_is_refused_with_a_reason()
    {
        await using var host = await ChatHost.StartAsync();
        using var browser = new AccountClient(host.BaseUri);

        var json = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/account/sign-in") { Content = new StringContent("""{"name":"Ana","password":"x"}""", System.Text.Encoding.UTF8, "application/json") });
        var huge = await browser.PostFormAsync("/account/sign-in", [new("name", "Ana"), new("password", new string('p', 20_000))]);

        foreach (var (status, body) in new[] { json, huge })
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("Send the form's name and password fields.", Prop(body, "reason"));
        }
    }

    [Fact]
    public async Task Posts_without_this_browser_s_antiforgery_token_are_refused_and_change_nothing()
    {
        await using var host = await ChatHost.StartAsync();
        using var ana = new AccountClient(host.BaseUri);
        await ana.SignUpAsync("Ana", "correct horse");
        await ana.StateAsync();
        using var other = new AccountClient(host.BaseUri);
        var othersToken = (await other.StateAsync()).GetProperty("antiforgery").GetString();

        foreach (var token in new[] { null, othersToken, "forged" })
        {
            foreach (var path in new[] { "/account/sign-out", "/account/sign-in", "/account/sign-up", "/account/avatar" })
            {
                var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([new("name", "Mallory"), new("password", "correct horse")]) };
                if (token is not null)
                {
                    request.Headers.Add("RequestVerificationToken", token);
                }

                var (status, body) = await ana.SendAsync(request, withToken: false);
                Assert.Equal(HttpStatusCode.BadRequest, status);
                Assert.Contains("security token", Prop(body, "reason"));
            }

            var (deleted, _) = await ana.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/account/avatar"), withToken: false);
            Assert.Equal(HttpStatusCode.BadRequest, deleted);
        }

        // Still Ana; no Mallory was made.
        Assert.Equal("Ana", Prop(await ana.StateAsync(), "name"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.SignInAsync("Mallory", "correct horse")).Status);
    }
}
