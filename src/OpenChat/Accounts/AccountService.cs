using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenChat.Chat;

namespace OpenChat.Accounts;

/// <summary>
/// Signing up and signing in, apart from HTTP: names under the chat's own rules (<see cref="InputRules"/>)
/// and unique in their compared form (<see cref="InputRules.NameKey"/>); passwords of a bounded length,
/// compatibility-normalized (so one typed on another keyboard still matches) and hashed with ASP.NET Core's
/// <see cref="PasswordHasher{TUser}"/> (PBKDF2, its defaults). A sign-in with an unknown name hashes against a dummy hash,
/// so it takes as long as a wrong password, and both get the same answer.
/// </summary>
public sealed partial class AccountService
{
    /// <summary>The one answer to a failed sign-in, whatever was wrong.</summary>
    public const string WrongNameOrPassword = "Wrong name or password.";

    private static readonly string GuestKey = InputRules.NameKey(InputRules.DefaultName);
    private readonly IAccountStore _store;
    private readonly InputRules _rules;
    private readonly AccountOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AccountService> _logger;
    private readonly IPasswordHasher<AccountRecord> _hasher;
    private readonly Lazy<string> _dummyHash;
    private int _warming;

    public AccountService(IAccountStore store, IPasswordHasher<AccountRecord> hasher, InputRules rules, IOptions<AccountOptions> options, TimeProvider time, ILogger<AccountService> logger)
    {
        _store = store;
        _hasher = hasher;
        _rules = rules;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _dummyHash = new Lazy<string>(() => _hasher.HashPassword(Nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));
    }

    private static AccountRecord Nobody { get; } = new(0, string.Empty, string.Empty, 0, null);

    /// <summary>Creates an account; the caller signs it in.</summary>
    public async Task<AccountResult> SignUpAsync(string? rawName, string? rawPassword, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(rawName))
        {
            return AccountResult.Refused("Choose a name.");
        }

        var name = _rules.NormalizeName(rawName, out var reason);
        if (name is null)
        {
            return AccountResult.Refused(reason);
        }

        var key = InputRules.NameKey(name);
        if (key == GuestKey)
        {
            return AccountResult.Refused($"“{InputRules.DefaultName}” is the name of everyone who has not chosen one; choose another.");
        }

        var password = NormalizePassword(rawPassword, out reason);
        if (password is null)
        {
            return AccountResult.Refused(reason);
        }

        var hash = _hasher.HashPassword(Nobody, password);
        var created = await _store.CreateAsync(name, key, hash, _time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        if (created.Status == AccountCreationStatus.NameTaken)
        {
            return AccountResult.Refused($"“{name}” is registered already. Sign in if it is yours, or choose another name.");
        }

        LogSignedUp(_logger, created.Account!.Id, name);
        return new AccountResult(created.Account, null);
    }

    /// <summary>Checks a name and password; every failure is <see cref="WrongNameOrPassword"/>.</summary>
    public async Task<AccountResult> SignInAsync(string? rawName, string? rawPassword, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrWhiteSpace(rawName) ? null : _rules.NormalizeName(rawName, out _);
        var account = name is null ? null : await _store.FindByKeyAsync(InputRules.NameKey(name), cancellationToken);
        var password = (rawPassword ?? string.Empty).Length <= _options.MaxPasswordLength ? Normalize(rawPassword ?? string.Empty) : null;

        // The same work whether the name exists or not: an unknown name is checked against a dummy hash.
        var result = _hasher.VerifyHashedPassword(Nobody, account?.PasswordHash ?? _dummyHash.Value, password ?? string.Empty);
        if (account is null || password is null || result == PasswordVerificationResult.Failed)
        {
            LogSignInFailed(_logger, name ?? string.Empty);
            return AccountResult.Refused(WrongNameOrPassword);
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await _store.UpdatePasswordHashAsync(account.Id, _hasher.HashPassword(Nobody, password), cancellationToken);
        }

        return new AccountResult(account, null);
    }

    /// <summary>Hashes the dummy password now, so the first sign-in with an unknown name does not pay for it.</summary>
    public void Warm() => _ = _dummyHash.Value;

    /// <summary>As <see cref="Warm"/>, in the background, once.</summary>
    public void WarmUp()
    {
        if (!_dummyHash.IsValueCreated && Interlocked.Exchange(ref _warming, 1) == 0)
        {
            _ = Task.Run(Warm);
        }
    }

    /// <summary>Whether a name, in its compared form, belongs to an account.</summary>
    public async Task<bool> IsRegisteredAsync(string name, CancellationToken cancellationToken) =>
        await _store.FindByKeyAsync(InputRules.NameKey(name), cancellationToken) is not null;

    private string? NormalizePassword(string? raw, out string reason)
    {
        reason = string.Empty;
        var password = raw ?? string.Empty;
        if (password.Length > _options.MaxPasswordLength)
        {
            reason = $"Passwords are at most {_options.MaxPasswordLength} characters.";
            return null;
        }

        if (!NameCharacters.IsWellFormed(password))
        {
            reason = "Passwords must be valid text.";
            return null;
        }

        password = Normalize(password);
        if (password.Length < _options.MinPasswordLength)
        {
            reason = $"Passwords are at least {_options.MinPasswordLength} characters.";
            return null;
        }

        return password;
    }

    private static string Normalize(string password) => NameCharacters.IsWellFormed(password) ? password.Normalize(NormalizationForm.FormKC) : password;

    [LoggerMessage(1, LogLevel.Information, "Account {AccountId} created for {Name}", EventName = "SignedUp")]
    private static partial void LogSignedUp(ILogger logger, long accountId, string name);

    [LoggerMessage(2, LogLevel.Information, "Sign-in refused for name {Name}: wrong name or password", EventName = "SignInFailed")]
    private static partial void LogSignInFailed(ILogger logger, string name);
}
