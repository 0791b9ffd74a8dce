using OpenChat.Storage;

namespace OpenChat.Tests.Storage;

/// <summary>What every SQL store does, whatever the database: the same tests run on SQLite and on PostgreSQL.</summary>
public abstract class ChatStoreContract
{
    public static readonly string[] Awkward =
    [
        "It's \"quoted\" `twice`",
        "'); DROP TABLE messages; --",
        "1 OR 1=1; SELECT * FROM channels",
        "<script>alert('x')</script><b>bold</b>&amp;",
        "emoji 😀👍🏽 family 👨‍👩‍👧 and 中文",
        "back\\slash and %_ wildcards",
    ];

    internal abstract Task<StoreUnderTest> CreateAsync();

    [Fact]
    public async Task A_new_store_has_general_and_no_messages()
    {
        await using var store = await CreateAsync();

        var channels = await store.Store.ListChannelsAsync(CancellationToken.None).WithTimeout();

        Assert.Equal(["#general"], channels.Select(c => c.Name));
        Assert.Empty(await store.Store.ReadAsync(channels[0].Id, null, 50, CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task Appended_messages_get_increasing_ids_and_read_back_oldest_first()
    {
        await using var store = await CreateAsync();
        var general = await store.GeneralAsync();

        var first = await store.AppendAsync(general, "one", "two");
        var second = await store.AppendAsync(general, "three");
        var read = await store.Store.ReadAsync(general.Id, null, 50, CancellationToken.None).WithTimeout();

        Assert.Equal([.. first, .. second], read.Select(m => m.Id));
        Assert.True(first[0] < first[1] && first[1] < second[0]);
        Assert.Equal(["one", "two", "three"], read.Select(m => m.Text));
        Assert.All(read, m => Assert.Equal("Ana", m.Username));
        Assert.Equal([1_000L, 1_001, 1_000], read.Select(m => m.SentAt));
    }

    [Fact]
    public async Task Paging_back_with_before_gives_each_older_page_until_none_is_left()
    {
        await using var store = await CreateAsync();
        var general = await store.GeneralAsync();
        var ids = await store.AppendAsync(general, Enumerable.Range(1, 25).Select(i => $"m{i}").ToArray());

        var pages = new List<IReadOnlyList<StoredChatMessage>>();
        long? before = null;
        while (true)
        {
            var page = await store.Store.ReadAsync(general.Id, before, 10, CancellationToken.None).WithTimeout();
            if (page.Count == 0)
            {
                break;
            }

            pages.Add(page);
            before = page[0].Id;
        }

        Assert.Equal([10, 10, 5], pages.Select(p => p.Count));
        Assert.Equal(["m16", "m25"], [pages[0][0].Text, pages[0][^1].Text]);
        Assert.Equal(["m1", "m5"], [pages[2][0].Text, pages[2][^1].Text]);
        Assert.Equal(ids, pages.AsEnumerable().Reverse().SelectMany(p => p).Select(m => m.Id));
    }

    [Fact]
    public async Task A_channel_holds_only_its_own_messages()
    {
        await using var store = await CreateAsync();
        var general = await store.GeneralAsync();
        var random = (await store.Store.CreateChannelAsync("#random", 5, 10, CancellationToken.None).WithTimeout()).Channel!;

        await store.AppendAsync(general, "in general");
        await store.AppendAsync(random, "in random");

        Assert.Equal(["in general"], (await store.Store.ReadAsync(general.Id, null, 50, CancellationToken.None)).Select(m => m.Text));
        Assert.Equal(["in random"], (await store.Store.ReadAsync(random.Id, null, 50, CancellationToken.None)).Select(m => m.Text));
    }

    [Fact]
    public async Task Quotes_sql_markup_and_emoji_are_stored_verbatim_in_names_texts_and_channels()
    {
        await using var store = await CreateAsync();
        var channels = new List<ChannelRecord>();
        foreach (var (text, i) in Awkward.Select((t, i) => (t, i)))
        {
            var name = "#" + text[..Math.Min(text.Length, 30)];
            var created = await store.Store.CreateChannelAsync(name, i, 50, CancellationToken.None).WithTimeout();
            Assert.Equal(ChannelCreationStatus.Created, created.Status);
            channels.Add(created.Channel!);
            await store.Store.AppendAsync([new NewChatMessage(created.Channel!.Id, text, text, i)], CancellationToken.None).WithTimeout();
        }

        foreach (var (channel, text) in channels.Zip(Awkward))
        {
            var stored = Assert.Single(await store.Store.ReadAsync(channel.Id, null, 50, CancellationToken.None).WithTimeout());
            Assert.Equal(text, stored.Text);
            Assert.Equal(text, stored.Username);
            Assert.Equal(channel, await store.Store.FindChannelAsync(channel.Key, CancellationToken.None).WithTimeout());
        }

        Assert.Equal(["#general", .. channels.Select(c => c.Name)], (await store.Store.ListChannelsAsync(CancellationToken.None)).Select(c => c.Name));
    }

    [Fact]
    public async Task A_signed_in_sender_s_account_is_kept_with_the_message_and_a_guest_has_none()
    {
        await using var store = await CreateAsync();
        var general = await store.GeneralAsync();

        await store.Store.AppendAsync([new NewChatMessage(general.Id, "Ana", "signed in", 1, AccountId: 42), new NewChatMessage(general.Id, "Guest", "a guest", 2)], CancellationToken.None).WithTimeout();

        var read = await store.Store.ReadAsync(general.Id, null, 10, CancellationToken.None).WithTimeout();
        Assert.Equal([42L, null], read.Select(m => m.AccountId));
    }

    [Fact]
    public async Task Channel_names_are_unique_ignoring_case_and_creation_stops_at_the_limit()
    {
        await using var store = await CreateAsync();

        var created = await store.Store.CreateChannelAsync("#Random", 1, 3, CancellationToken.None).WithTimeout();
        var again = await store.Store.CreateChannelAsync("#rANDOM", 2, 3, CancellationToken.None).WithTimeout();
        var third = await store.Store.CreateChannelAsync("#third", 3, 3, CancellationToken.None).WithTimeout();
        var fourth = await store.Store.CreateChannelAsync("#fourth", 4, 3, CancellationToken.None).WithTimeout();

        Assert.Equal(ChannelCreationStatus.Created, created.Status);
        Assert.Equal((ChannelCreationStatus.AlreadyExists, "#Random"), (again.Status, again.Channel!.Name));
        Assert.Equal(ChannelCreationStatus.Created, third.Status);
        Assert.Equal((ChannelCreationStatus.LimitReached, null), (fourth.Status, fourth.Channel));
        Assert.Equal(["#general", "#Random", "#third"], (await store.Store.ListChannelsAsync(CancellationToken.None)).Select(c => c.Name));
    }

    [Fact]
    public async Task Deleting_old_messages_keeps_newer_ones_and_ids_are_never_given_again()
    {
        await using var store = await CreateAsync();
        var general = await store.GeneralAsync();
        await store.Store.AppendAsync([new(general.Id, "Ana", "old", 100), new(general.Id, "Ana", "older", 50), new(general.Id, "Ana", "new", 300)], CancellationToken.None).WithTimeout();

        Assert.Equal(2, await store.Store.DeleteMessagesSentBeforeAsync(200, CancellationToken.None).WithTimeout());
        var kept = Assert.Single(await store.Store.ReadAsync(general.Id, null, 50, CancellationToken.None));
        Assert.Equal("new", kept.Text);

        // Even with the table empty, the next id is above every id handed out before.
        Assert.Equal(1, await store.Store.DeleteMessagesSentBeforeAsync(1_000, CancellationToken.None).WithTimeout());
        var next = await store.AppendAsync(general, "after");
        Assert.True(next[0] > kept.Id);
    }

    [Fact]
    public async Task Initializing_an_up_to_date_store_again_changes_nothing()
    {
        await using var store = await CreateAsync();
        var general = await store.GeneralAsync();
        await store.AppendAsync(general, "kept");

        await store.Store.InitializeAsync(CancellationToken.None).WithTimeout();

        Assert.Empty(await store.Migrator.MigrateAsync(CancellationToken.None).WithTimeout());
        Assert.Equal(["kept"], (await store.Store.ReadAsync(general.Id, null, 50, CancellationToken.None)).Select(m => m.Text));
    }
}
