using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenChat.Chat;
using OpenChat.Storage;

namespace OpenChat.Accounts;

/// <summary>
/// <c>GET /account</c> (who is signed in, and the antiforgery token), and the form posts
/// <c>/account/sign-up</c>, <c>/account/sign-in</c>, <c>/account/sign-out</c> (fields <c>name</c>,
/// <c>password</c>). Every post must carry the antiforgery token; sign-ins are limited per address and per
/// name, sign-ups per address. The sign-in cookie is HttpOnly, SameSite=Lax, and Secure whenever the request
/// came over HTTPS (as the forwarded headers of a trusted proxy tell it).
/// </summary>
public static partial class AccountEndpoints
{
    /// <summary>Sign-in and sign-up forms are a name and a password: anything larger is not one.</summary>
    private const long MaxFormBytes = 16 * 1024;

    public static WebApplication MapAccounts(this WebApplication app)
    {
        var group = app.MapGroup("/account");
        group.MapMethods("/", ["GET", "HEAD"], GetState);
        group.MapPost("/sign-up", SignUpAsync).RequireRateLimiting(AccountRateLimits.SignUp);
        group.MapPost("/sign-in", SignInAsync).RequireRateLimiting(AccountRateLimits.SignIn);
        group.MapPost("/sign-out", SignOutAsync);
        app.MapAvatars();
        return app;
    }

    /// <summary>A JSON answer that no cache keeps: it depends on the cookie.</summary>
    internal static IResult Reply(HttpContext context, int status, AccountReply reply)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(reply, AccountReply.Json, statusCode: status);
    }

    internal static IResult Refuse(HttpContext context, int status, string reason) => Reply(context, status, new AccountReply(false, Reason: reason));

    /// <summary>Null when the request carries a valid antiforgery token, else the refusal to answer with.</summary>
    internal static async Task<IResult?> CheckAntiforgeryAsync(HttpContext context, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(context);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return Refuse(context, StatusCodes.Status400BadRequest, "This page is out of date (its security token is missing or expired). Reload it and try again.");
        }
    }

    private static async Task<IResult> GetState(HttpContext context, IAntiforgery antiforgery, IAccountStore store, AccountService accounts, IOptions<AccountOptions> options)
    {
        // Every page asks this first: the moment to prepare the dummy hash, before anyone can sign in from it.
        accounts.WarmUp();
        var tokens = antiforgery.GetAndStoreTokens(context);
        var o = options.Value;
        AccountRecord? account = null;
        if (AccountClaims.AccountId(context.User) is long id)
        {
            try
            {
                account = await store.FindByIdAsync(id, context.RequestAborted);
            }
            catch (ChatStoreException)
            {
                return Refuse(context, StatusCodes.Status503ServiceUnavailable, "Accounts cannot be reached right now; try again in a moment.");
            }
        }

        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(
            new AccountState(account is not null, account?.Name, account is null ? null : AvatarUrls.For(account.Id, account.AvatarVersion), tokens.RequestToken!, o.MinPasswordLength, o.MaxAvatarBytes, o.MaxAvatarDimension),
            AccountReply.Json);
    }

    private static async Task<IResult> SignUpAsync(HttpContext context, AccountService accounts, AccountSockets sockets, IAntiforgery antiforgery)
    {
        var (form, refused) = await ReadFormAsync(context, antiforgery);
        if (form is null)
        {
            return refused!;
        }

        try
        {
            var result = await accounts.SignUpAsync(form.Name, form.Password, context.RequestAborted);
            if (!result.Succeeded)
            {
                return Refuse(context, StatusCodes.Status400BadRequest, result.Reason!);
            }

            var account = result.Account!;
            await SignInCookieAsync(context, account);
            sockets.NameRegistered(account);
            return Reply(context, StatusCodes.Status200OK, new AccountReply(true, Name: account.Name));
        }
        catch (ChatStoreException)
        {
            return Refuse(context, StatusCodes.Status503ServiceUnavailable, "Accounts cannot be reached right now; try again in a moment.");
        }
    }

    private static async Task<IResult> SignInAsync(HttpContext context, AccountService accounts, SignInThrottle throttle, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        var (form, refused) = await ReadFormAsync(context, antiforgery);
        if (form is null)
        {
            return refused!;
        }

        using var attempt = throttle.Attempt(InputRules.NameKey((form.Name ?? string.Empty).Trim()));
        if (!attempt.IsAcquired)
        {
            LogNameThrottled(loggers.CreateLogger(typeof(AccountEndpoints)), (form.Name ?? string.Empty).Trim());
            await AccountRateLimits.Reject(context, attempt, "Too many sign-in attempts for this name", context.RequestAborted);
            return Results.Empty;
        }

        try
        {
            var result = await accounts.SignInAsync(form.Name, form.Password, context.RequestAborted);
            if (!result.Succeeded)
            {
                return Refuse(context, StatusCodes.Status401Unauthorized, result.Reason!);
            }

            var account = result.Account!;
            await SignInCookieAsync(context, account);
            return Reply(context, StatusCodes.Status200OK, new AccountReply(true, Name: account.Name, Avatar: AvatarUrls.For(account.Id, account.AvatarVersion)));
        }
        catch (ChatStoreException)
        {
            return Refuse(context, StatusCodes.Status503ServiceUnavailable, "Accounts cannot be reached right now; try again in a moment.");
        }
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, AccountSockets sockets, IAntiforgery antiforgery)
    {
        if (await CheckAntiforgeryAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        var signIn = AccountClaims.SignInIdOf(context.User);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        sockets.SignedOut(signIn);
        return Reply(context, StatusCodes.Status200OK, new AccountReply(true));
    }

    /// <summary>Signs the browser in; connections of an earlier sign-in of this browser, as someone else perhaps, end.</summary>
    private static async Task SignInCookieAsync(HttpContext context, AccountRecord account)
    {
        var earlier = AccountClaims.SignInIdOf(context.User);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AccountClaims.For(account), new AuthenticationProperties { IsPersistent = true });
        context.RequestServices.GetRequiredService<AccountSockets>().SignedOut(earlier);
    }

    /// <summary>The posted fields, or the refusal to answer with: a bad token, or a body that is not a small form.</summary>
    private static async Task<(AccountForm? Form, IResult? Refusal)> ReadFormAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxFormBytes;
        }

        if (await CheckAntiforgeryAsync(context, antiforgery) is { } refused)
        {
            return (null, refused);
        }

        IResult NotAForm() => Refuse(context, StatusCodes.Status400BadRequest, "Send the form's name and password fields.");
        if (!context.Request.HasFormContentType)
        {
            return (null, NotAForm());
        }

        try
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return (new AccountForm(form["name"].FirstOrDefault(), form["password"].FirstOrDefault()), null);
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException or IOException)
        {
            return (null, NotAForm());
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Sign-in attempts for name {Name} refused: too many in the window", EventName = "SignInThrottled")]
    private static partial void LogNameThrottled(ILogger logger, string name);

    private sealed record AccountForm(string? Name, string? Password);
}
