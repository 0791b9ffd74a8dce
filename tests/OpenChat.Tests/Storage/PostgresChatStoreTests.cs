using OpenChat.Storage;

namespace OpenChat.Tests.Storage;

/// <summary>
/// The store on a real PostgreSQL server, and what sharing it means: several instances write and create
/// channels at once, and a server that goes away fails writes with a reason rather than hanging them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresChatStoreTests(PostgresServer server) : ChatStoreContract
{
    internal override async Task<StoreUnderTest> CreateAsync() => await StoreUnderTest.Postgres(await server.CreateDatabaseAsync()).InitializedAsync();

    [Fact]
    public async Task Two_instances_writing_at_once_get_distinct_ids_and_both_read_everything()
    {
        var database = await server.CreateDatabaseAsync();
        await using var a = StoreUnderTest.Postgres(database);
        await using var b = StoreUnderTest.Postgres(database);

        // Both migrate at the same moment: the advisory lock makes one wait for the other.
        await Task.WhenAll(a.Store.InitializeAsync(CancellationToken.None), b.Store.InitializeAsync(CancellationToken.None)).WithTimeout();
        var general = await a.GeneralAsync();
        var written = await Task.WhenAll(
            Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).AppendAsync(general, $"m{i}", $"n{i}"))).WithTimeout();

        var all = written.SelectMany(ids => ids).ToList();
        Assert.Equal(40, all.Distinct().Count());
        var read = await b.Store.ReadAsync(general.Id, null, 100, CancellationToken.None).WithTimeout();
        Assert.Equal(all.Order(), read.Select(m => m.Id));
    }

    [Fact]
    public async Task The_channel_limit_holds_when_instances_create_channels_at_the_same_time()
    {
        var database = await server.CreateDatabaseAsync();
        await using var a = await StoreUnderTest.Postgres(database).InitializedAsync();
        await using var b = await StoreUnderTest.Postgres(database).InitializedAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (i % 2 == 0 ? a : b).Store.CreateChannelAsync($"#c{i}", i, 5, CancellationToken.None))).WithTimeout();

        Assert.Equal(4, outcomes.Count(o => o.Status == ChannelCreationStatus.Created));
        Assert.Equal(8, outcomes.Count(o => o.Status == ChannelCreationStatus.LimitReached));
        Assert.Equal(5, (await a.Store.ListChannelsAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_fails_to_start_with_a_message_naming_it()
    {
        var options = new StorageOptions { LockTimeout = TimeSpan.FromSeconds(2) };
        await using var store = StoreUnderTest.Postgres($"Host=127.0.0.1;Port={OpenChat.Testing.FreePort.Find()};Username=postgres;Database=nowhere", options);

        var refused = await Assert.ThrowsAsync<ChatStoreException>(() => store.Store.InitializeAsync(CancellationToken.None).WithTimeout());

        Assert.Equal(ChatStoreFailure.Unavailable, refused.Failure);
        Assert.Contains("cannot be reached", refused.Message);
        Assert.Contains("127.0.0.1", refused.Message);
    }

    [Fact]
    public async Task A_read_only_server_fails_to_start_with_a_message_saying_so()
    {
        var database = await server.CreateDatabaseAsync();
        await using (await StoreUnderTest.Postgres(database).InitializedAsync())
        {
        }

        await using var readOnly = StoreUnderTest.Postgres(database + ";Options=-c default_transaction_read_only=on");
        var refused = await Assert.ThrowsAsync<ChatStoreException>(() => readOnly.Store.InitializeAsync(CancellationToken.None).WithTimeout());

        Assert.Equal(ChatStoreFailure.ReadOnly, refused.Failure);
        Assert.Contains("does not let OpenChat write", refused.Message);
    }
}
