using System.Xml.Linq;
using OpenChat.Accounts;
using OpenChat.Chat;
using OpenChat.Tests.Storage;

namespace OpenChat.Tests.Accounts;

/// <summary>The account store on a real PostgreSQL server, shared by instances: one name goes to one of them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountStoreTests(PostgresServer server) : AccountStoreContract, IAsyncLifetime
{
    private readonly List<StoreUnderTest> _stores = [];

    internal override async Task<IAccountStore> CreateAsync() => new SqlAccountStore((await OpenAsync(await server.CreateDatabaseAsync())).Database);

    [Fact]
    public async Task Two_instances_registering_one_name_at_the_same_moment_give_it_to_one_of_them()
    {
        var database = await server.CreateDatabaseAsync();
        var a = new SqlAccountStore((await OpenAsync(database)).Database);
        var b = new SqlAccountStore((await OpenAsync(database)).Database);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? a : b).CreateAsync(i % 3 == 0 ? "Ana" : "ANA", InputRules.NameKey("Ana"), $"h{i}", i, CancellationToken.None))).WithTimeout();

        var winner = Assert.Single(outcomes, o => o.Status == AccountCreationStatus.Created);
        Assert.Equal(winner.Account, await b.FindByKeyAsync("ana", CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task The_sign_in_keys_one_instance_makes_are_read_by_another()
    {
        var database = await server.CreateDatabaseAsync();
        var key = new XElement("key", new XAttribute("id", "k1"));

        new DatabaseKeyRepository((await OpenAsync(database)).Database).StoreElement(key, "key-k1");

        var read = Assert.Single(new DatabaseKeyRepository((await OpenAsync(database)).Database).GetAllElements());
        Assert.True(XNode.DeepEquals(key, read));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    private async Task<StoreUnderTest> OpenAsync(string database)
    {
        var store = await StoreUnderTest.Postgres(database, modules: Modules).InitializedAsync();
        _stores.Add(store);
        return store;
    }
}
