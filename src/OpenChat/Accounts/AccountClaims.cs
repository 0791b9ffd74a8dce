using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace OpenChat.Accounts;

/// <summary>
/// What a sign-in cookie says: the account id (the stable identity the Socket.IO sessions are bound to), its
/// name, and a random id of this sign-in, so signing out can end this browser's connections and no others.
/// </summary>
public static class AccountClaims
{
    /// <summary>The claim naming one sign-in (one browser's cookie).</summary>
    public const string SignInId = "openchat:sign-in";

    public static ClaimsPrincipal For(AccountRecord account) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, account.Id.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, account.Name),
            new Claim(SignInId, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))),
        ],
        CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>The account id of a signed-in user, or null.</summary>
    public static long? AccountId(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true
        && long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    /// <summary>The id of this sign-in, or null.</summary>
    public static string? SignInIdOf(ClaimsPrincipal? user) => user?.Identity?.IsAuthenticated == true ? user.FindFirstValue(SignInId) : null;
}
