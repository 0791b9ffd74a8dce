using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace OpenChat.Accounts;

/// <summary>
/// The account endpoints' limits, with ASP.NET Core rate limiting: sign-in attempts and sign-ups per client
/// address, avatar changes per account. Sign-in attempts per name are counted by <see cref="SignInThrottle"/>,
/// once the name is read from the form. IPv6 clients are counted per /64, the block one subscriber gets.
/// Refusals are 429 with <c>Retry-After</c> and a reason the page shows.
/// </summary>
public static class AccountRateLimits
{
    public const string SignIn = "sign-in";
    public const string SignUp = "sign-up";
    public const string Avatar = "avatar";

    internal static IServiceCollection AddAccountRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AccountOptions>>((limits, accountOptions) =>
        {
            var options = accountOptions.Value;
            limits.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limits.OnRejected = (context, cancellationToken) => Reject(context.HttpContext, context.Lease, RefusalFor(context.HttpContext), cancellationToken);
            limits.AddPolicy(SignIn, context => Fixed(ClientKey(context), options.SignInAttemptsPerIp, options.SignInWindow));
            limits.AddPolicy(SignUp, context => Fixed(ClientKey(context), options.SignUpsPerIp, options.SignUpWindow));
            limits.AddPolicy(Avatar, context => Fixed(AccountClaims.AccountId(context.User)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ClientKey(context), options.AvatarUploadsPerAccount, options.AvatarUploadWindow));
        });
        return services;
    }

    /// <summary>Answers a refused request: 429, <c>Retry-After</c> when the limiter knows it, and the reason (what was refused, without a full stop) and when to try again, as JSON.</summary>
    internal static async ValueTask Reject(HttpContext context, RateLimitLease lease, string reason, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.CacheControl = "no-store";
        var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : (TimeSpan?)null;
        if (retry is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsJsonAsync(new AccountReply(false, Reason: reason + RetryText(retry)), AccountReply.Json, cancellationToken);
    }

    /// <summary>What a refusal says was limited: picture changes are counted per account, not per network.</summary>
    private static string RefusalFor(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Avatar
            ? "Too many picture changes for this account"
            : "Too many attempts from your network";

    /// <summary>The address a client is counted under: IPv4 as is, IPv6 by its /64.</summary>
    internal static string ClientKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }

        return address.ToString();
    }

    private static string RetryText(TimeSpan? retry) => retry switch
    {
        null => "; try again later.",
        { TotalSeconds: < 90 } wait => $"; try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} seconds.",
        { } wait => $"; try again in {(int)Math.Ceiling(wait.TotalMinutes)} minutes.",
    };

    private static RateLimitPartition<string> Fixed(string key, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });
}
