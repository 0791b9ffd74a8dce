namespace OpenChat.Accounts;

/// <summary>
/// Where accounts and avatars are kept: the chat's database (SQLite or PostgreSQL, the <c>accounts</c>
/// schema module), or memory when storage is off. Names are looked up by their compared form
/// (<see cref="Chat.InputRules.NameKey"/>), which is unique. Store failures throw
/// <see cref="Storage.ChatStoreException"/>.
/// </summary>
public interface IAccountStore
{
    /// <summary>Creates an account unless its name key is registered already.</summary>
    Task<AccountCreation> CreateAsync(string name, string nameKey, string passwordHash, long createdAt, CancellationToken cancellationToken);

    /// <summary>The account whose name has this compared form, or null.</summary>
    Task<AccountRecord?> FindByKeyAsync(string nameKey, CancellationToken cancellationToken);

    /// <summary>The account with this id, or null.</summary>
    Task<AccountRecord?> FindByIdAsync(long id, CancellationToken cancellationToken);

    /// <summary>Replaces the password hash (after a sign-in with a hash of an older format).</summary>
    Task UpdatePasswordHashAsync(long id, string passwordHash, CancellationToken cancellationToken);

    /// <summary>Sets (or replaces) the account's avatar.</summary>
    Task SetAvatarAsync(long accountId, AvatarImage image, long updatedAt, CancellationToken cancellationToken);

    /// <summary>Removes the account's avatar; false when it had none.</summary>
    Task<bool> DeleteAvatarAsync(long accountId, CancellationToken cancellationToken);

    /// <summary>The account's avatar, or null.</summary>
    Task<AvatarImage?> GetAvatarAsync(long accountId, CancellationToken cancellationToken);

    /// <summary>The avatar versions of those of the accounts that have one.</summary>
    Task<IReadOnlyDictionary<long, string>> AvatarVersionsAsync(IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken);
}
