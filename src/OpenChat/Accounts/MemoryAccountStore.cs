namespace OpenChat.Accounts;

/// <summary>
/// The accounts when storage is off (<c>Storage:Enabled=false</c>): kept in memory, gone when the app
/// stops, like the history. Useful for trying the app out; a deployment keeps them in the database.
/// </summary>
internal sealed class MemoryAccountStore : IAccountStore
{
    private readonly Lock _sync = new();
    private readonly Dictionary<long, AccountRecord> _byId = new();
    private readonly Dictionary<string, long> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<long, AvatarImage> _avatars = new();
    private long _lastId;

    public Task<AccountCreation> CreateAsync(string name, string nameKey, string passwordHash, long createdAt, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_byKey.ContainsKey(nameKey))
            {
                return Task.FromResult(new AccountCreation(AccountCreationStatus.NameTaken, null));
            }

            var account = new AccountRecord(++_lastId, name, passwordHash, createdAt, null);
            _byId[account.Id] = account;
            _byKey[nameKey] = account.Id;
            return Task.FromResult(new AccountCreation(AccountCreationStatus.Created, account));
        }
    }

    public Task<AccountRecord?> FindByKeyAsync(string nameKey, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return Task.FromResult(_byKey.TryGetValue(nameKey, out var id) ? WithAvatar(_byId[id]) : null);
        }
    }

    public Task<AccountRecord?> FindByIdAsync(long id, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return Task.FromResult(_byId.TryGetValue(id, out var account) ? WithAvatar(account) : null);
        }
    }

    public Task UpdatePasswordHashAsync(long id, string passwordHash, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_byId.TryGetValue(id, out var account))
            {
                _byId[id] = account with { PasswordHash = passwordHash };
            }
        }

        return Task.CompletedTask;
    }

    public Task SetAvatarAsync(long accountId, AvatarImage image, long updatedAt, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            _avatars[accountId] = image;
        }

        return Task.CompletedTask;
    }

    public Task<bool> DeleteAvatarAsync(long accountId, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return Task.FromResult(_avatars.Remove(accountId));
        }
    }

    public Task<AvatarImage?> GetAvatarAsync(long accountId, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return Task.FromResult(_avatars.GetValueOrDefault(accountId));
        }
    }

    public Task<IReadOnlyDictionary<long, string>> AvatarVersionsAsync(IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            IReadOnlyDictionary<long, string> versions = accountIds.Distinct().Where(_avatars.ContainsKey).ToDictionary(id => id, id => _avatars[id].Version);
            return Task.FromResult(versions);
        }
    }

    private AccountRecord WithAvatar(AccountRecord account) => account with { AvatarVersion = _avatars.GetValueOrDefault(account.Id)?.Version };
}
