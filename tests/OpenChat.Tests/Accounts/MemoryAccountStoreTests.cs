using OpenChat.Accounts;

namespace OpenChat.Tests.Accounts;

/// <summary>The account store in memory (<c>Storage:Enabled=false</c>).</summary>
public sealed class MemoryAccountStoreTests : AccountStoreContract
{
    internal override Task<IAccountStore> CreateAsync() => Task.FromResult<IAccountStore>(new MemoryAccountStore());
}
