using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OpenChat.Accounts;

/// <summary>
/// Sign-in attempts per name, whoever makes them: <see cref="AccountOptions.SignInAttemptsPerName"/> per
/// <see cref="AccountOptions.SignInWindow"/> for each name in its compared form, so guessing one person's
/// password from many addresses is as slow as from one. Every name counts alike, registered or not, so the
/// limit says nothing about which names exist.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public SignInThrottle(IOptions<AccountOptions> options)
    {
        var o = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(
            key,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = o.SignInAttemptsPerName, Window = o.SignInWindow, QueueLimit = 0 }));
    }

    /// <summary>Takes one attempt for the name key; dispose the lease when done. Not acquired: refuse.</summary>
    public RateLimitLease Attempt(string nameKey) => _limiter.AttemptAcquire(nameKey);

    public void Dispose() => _limiter.Dispose();
}
