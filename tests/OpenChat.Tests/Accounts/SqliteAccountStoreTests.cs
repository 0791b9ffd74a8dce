using System.Xml.Linq;
using OpenChat.Accounts;
using OpenChat.Tests.Storage;

namespace OpenChat.Tests.Accounts;

/// <summary>The account store on a SQLite file, and the data protection keys kept beside it.</summary>
public sealed class SqliteAccountStoreTests : AccountStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<StoreUnderTest> _stores = [];

    internal override async Task<IAccountStore> CreateAsync()
    {
        var store = await StoreUnderTest.Sqlite(_folder.File("openchat.db"), modules: Modules).InitializedAsync();
        _stores.Add(store);
        return new SqlAccountStore(store.Database);
    }

    [Fact]
    public async Task The_sign_in_keys_are_kept_in_the_database_and_read_back_by_another_instance()
    {
        await using var first = await StoreUnderTest.Sqlite(_folder.File("keys.db"), modules: Modules).InitializedAsync();
        var key = new XElement("key", new XAttribute("id", "k1"), new XElement("secret", "s3cr3t"));

        new DatabaseKeyRepository(first.Database).StoreElement(key, "key-k1");
        await using var second = await StoreUnderTest.Sqlite(_folder.File("keys.db"), modules: Modules).InitializedAsync();

        var read = Assert.Single(new DatabaseKeyRepository(second.Database).GetAllElements());
        Assert.True(XNode.DeepEquals(key, read));
    }

    [Fact]
    public async Task An_existing_history_database_gets_the_accounts_tables_and_keeps_its_messages()
    {
        var file = _folder.File("history.db");
        await using (var history = await StoreUnderTest.Sqlite(file).InitializedAsync())
        {
            await history.AppendAsync(await history.GeneralAsync(), "before accounts");
        }

        await using var upgraded = StoreUnderTest.Sqlite(file, modules: Modules);
        Assert.Equal(["accounts 1"], await upgraded.Migrator.MigrateAsync(CancellationToken.None).WithTimeout());
        await upgraded.InitializedAsync();

        var created = await new SqlAccountStore(upgraded.Database).CreateAsync("Ana", "ana", "h", 1, CancellationToken.None).WithTimeout();
        Assert.Equal(AccountCreationStatus.Created, created.Status);
        Assert.Equal(["before accounts"], (await upgraded.Store.ReadAsync((await upgraded.GeneralAsync()).Id, null, 10, CancellationToken.None)).Select(m => m.Text));
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _folder.Dispose();
    }
}
