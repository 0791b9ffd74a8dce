using OpenChat.Accounts;
using OpenChat.Chat;
using OpenChat.Storage;
using OpenChat.Storage.Schema;
using OpenChat.Tests.Storage;

namespace OpenChat.Tests.Accounts;

/// <summary>What every account store does: the same tests run on SQLite, on PostgreSQL and in memory.</summary>
public abstract class AccountStoreContract
{
    internal static readonly ISchemaModule[] Modules = [new HistorySchema(), new AccountsSchema()];

    internal abstract Task<IAccountStore> CreateAsync();

    [Fact]
    public async Task An_account_is_found_by_its_name_key_and_its_id_with_its_name_as_registered()
    {
        var store = await CreateAsync();

        var created = await store.CreateAsync("Ana Lee", InputRules.NameKey("Ana Lee"), "hash-1", 1_000, CancellationToken.None).WithTimeout();

        Assert.Equal(AccountCreationStatus.Created, created.Status);
        var byKey = await store.FindByKeyAsync(InputRules.NameKey("ＡＮＡ  lee"), CancellationToken.None).WithTimeout();
        var byId = await store.FindByIdAsync(created.Account!.Id, CancellationToken.None).WithTimeout();
        Assert.Equal(created.Account, byKey);
        Assert.Equal(created.Account, byId);
        Assert.Equal(("Ana Lee", "hash-1", 1_000L, (string?)null), (byId!.Name, byId.PasswordHash, byId.CreatedAt, byId.AvatarVersion));
        Assert.Null(await store.FindByKeyAsync(InputRules.NameKey("Ben"), CancellationToken.None).WithTimeout());
        Assert.Null(await store.FindByIdAsync(created.Account.Id + 1000, CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task A_name_key_is_registered_once_and_the_first_account_is_left_as_it_was()
    {
        var store = await CreateAsync();
        var first = await store.CreateAsync("Ana", InputRules.NameKey("Ana"), "first", 1, CancellationToken.None).WithTimeout();

        var again = await store.CreateAsync("ANA", InputRules.NameKey("ANA"), "second", 2, CancellationToken.None).WithTimeout();

        Assert.Equal(new AccountCreation(AccountCreationStatus.NameTaken, null), again);
        Assert.Equal(first.Account, await store.FindByKeyAsync(InputRules.NameKey("ana"), CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task Names_with_quotes_markup_and_emoji_are_kept_verbatim()
    {
        var store = await CreateAsync();
        foreach (var name in new[] { "O'Brien \"Bob\"", "'); DROP TABLE accounts; --", "<b>Zoë</b>", "Ana 😀👍🏽", "中文名" })
        {
            var created = await store.CreateAsync(name, InputRules.NameKey(name), "h", 1, CancellationToken.None).WithTimeout();
            Assert.Equal(name, (await store.FindByIdAsync(created.Account!.Id, CancellationToken.None).WithTimeout())!.Name);
        }
    }

    [Fact]
    public async Task A_password_hash_can_be_replaced()
    {
        var store = await CreateAsync();
        var account = (await store.CreateAsync("Ana", "ana", "old", 1, CancellationToken.None).WithTimeout()).Account!;

        await store.UpdatePasswordHashAsync(account.Id, "new", CancellationToken.None).WithTimeout();

        Assert.Equal("new", (await store.FindByIdAsync(account.Id, CancellationToken.None).WithTimeout())!.PasswordHash);
    }

    [Fact]
    public async Task An_avatar_is_stored_replaced_and_removed_and_the_account_carries_its_version()
    {
        var store = await CreateAsync();
        var ana = (await store.CreateAsync("Ana", "ana", "h", 1, CancellationToken.None).WithTimeout()).Account!;
        var ben = (await store.CreateAsync("Ben", "ben", "h", 1, CancellationToken.None).WithTimeout()).Account!;
        var first = new AvatarImage("image/png", 4, 3, [1, 2, 3, 0, 255], "v1");
        var second = new AvatarImage("image/webp", 64, 64, [9, 8, 7], "v2");

        await store.SetAvatarAsync(ana.Id, first, 10, CancellationToken.None).WithTimeout();
        AssertAvatar(first, await store.GetAvatarAsync(ana.Id, CancellationToken.None).WithTimeout());
        await store.SetAvatarAsync(ana.Id, second, 20, CancellationToken.None).WithTimeout();
        AssertAvatar(second, await store.GetAvatarAsync(ana.Id, CancellationToken.None).WithTimeout());
        Assert.Equal("v2", (await store.FindByKeyAsync("ana", CancellationToken.None).WithTimeout())!.AvatarVersion);
        Assert.Equal(new Dictionary<long, string> { [ana.Id] = "v2" }, await store.AvatarVersionsAsync([ana.Id, ben.Id, ana.Id], CancellationToken.None).WithTimeout());
        Assert.Null(await store.GetAvatarAsync(ben.Id, CancellationToken.None).WithTimeout());

        Assert.True(await store.DeleteAvatarAsync(ana.Id, CancellationToken.None).WithTimeout());
        Assert.False(await store.DeleteAvatarAsync(ana.Id, CancellationToken.None).WithTimeout());
        Assert.Null(await store.GetAvatarAsync(ana.Id, CancellationToken.None).WithTimeout());
        Assert.Null((await store.FindByIdAsync(ana.Id, CancellationToken.None).WithTimeout())!.AvatarVersion);
        Assert.Empty(await store.AvatarVersionsAsync([], CancellationToken.None).WithTimeout());
    }

    private static void AssertAvatar(AvatarImage expected, AvatarImage? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.ContentType, expected.Width, expected.Height, expected.Version), (actual.ContentType, actual.Width, actual.Height, actual.Version));
        Assert.Equal(expected.Bytes, actual.Bytes);
    }
}
