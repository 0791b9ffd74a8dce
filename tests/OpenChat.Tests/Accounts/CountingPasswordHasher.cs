using Microsoft.AspNetCore.Identity;
using OpenChat.Accounts;

namespace OpenChat.Tests.Accounts;

/// <summary>The real password hasher, counting its verifications: how much work a sign-in did, without a clock.</summary>
internal sealed class CountingPasswordHasher : IPasswordHasher<AccountRecord>
{
    private readonly PasswordHasher<AccountRecord> _inner = new();
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public string HashPassword(AccountRecord user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(AccountRecord user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
