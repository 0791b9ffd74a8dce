using OpenChat.Chat;
using OpenChat.Cluster;
using OpenChat.SocketIO;
using OpenChat.Storage;

namespace OpenChat.Accounts;

/// <summary>
/// Accounts in the chat. A socket whose handshake request was signed in (<c>socket.Handshake.User</c>) is its
/// account: its name is the account's, with no <c>add_username</c> needed, and it carries the account's
/// picture. A guest may use any name the chat's rules allow except a registered one, compared in its folded
/// form (<see cref="InputRules.NameKey"/>), whether it comes in a rich client's CONNECT or in
/// <c>add_username</c>; a guest holding a name when someone registers it becomes Guest. Picture changes and
/// sign-outs reach the account's sockets here, on every server of a cluster: each server changes its own
/// sockets (told by a server-side event) and tells the others' lists through <see cref="ClusterPresence"/>.
/// </summary>
public sealed partial class AccountSockets(
    IAccountStore store,
    UserDirectory users,
    PresenceBroadcaster presence,
    ClusterPresence cluster,
    SocketIOServer io,
    InputRules rules,
    ILogger<AccountSockets> logger)
{
    /// <summary>The server-side event of a picture change: <c>{accountId, avatar}</c>.</summary>
    public const string AvatarEvent = "openchat:account-avatar";

    /// <summary>The server-side event of a name registered: <c>{name}</c>.</summary>
    public const string RegisteredEvent = "openchat:name-registered";

    private const string DataKey = "openchat:account";
    private static readonly string GuestKey = InputRules.NameKey(InputRules.DefaultName);

    /// <summary>
    /// Adds the namespace middleware that looks up a signed-in socket's account, or checks a rich guest's
    /// name, and listens for the other servers' account changes.
    /// </summary>
    public void Register(SocketIOServer server)
    {
        server.Use(AdmitAsync);
        server.OnServerSideEmit(AvatarEvent, e =>
        {
            if (e.Arguments.TryGet<AvatarNotice>(0, out var notice) && notice is not null)
            {
                ChangeAvatarHere(notice.AccountId, notice.Avatar);
            }
        });
        server.OnServerSideEmit(RegisteredEvent, e =>
        {
            if (e.Arguments.TryGet<RegisteredNotice>(0, out var notice) && notice?.Name is { } name)
            {
                FreeNameHere(name);
            }
        });
    }

    /// <summary>The account the socket is signed in to, or null for a guest.</summary>
    public static SignedInUser? Of(SocketIOSocket socket) => socket.Data.TryGetValue(DataKey, out var account) ? account as SignedInUser : null;

    /// <summary>The refusal for a guest asking for a registered name.</summary>
    public static string Reserved(string name) => $"“{name}” is a registered name. Sign in to use it, or choose another.";

    /// <summary>Null when a guest may go by <paramref name="name"/> (already under the chat's rules); else why not.</summary>
    public async ValueTask<string?> CheckGuestNameAsync(string name)
    {
        var key = InputRules.NameKey(name);
        if (key == GuestKey)
        {
            return null;
        }

        try
        {
            return await store.FindByKeyAsync(key, CancellationToken.None) is null ? null : Reserved(name);
        }
        catch (ChatStoreException e)
        {
            LogLookupFailed(logger, e);
            return "Names cannot be checked right now; try again in a moment.";
        }
    }

    /// <summary>An account's picture changed: its sockets on every server carry the new one, and everyone is told.</summary>
    public void AvatarChanged(long accountId, string? avatar)
    {
        ChangeAvatarHere(accountId, avatar);
        io.ServerSideEmit(AvatarEvent, new AvatarNotice(accountId, avatar));
    }

    /// <summary>A name was just registered: guests going by it, on every server, become Guest and are told why.</summary>
    public void NameRegistered(AccountRecord account)
    {
        FreeNameHere(account.Name);
        io.ServerSideEmit(RegisteredEvent, new RegisteredNotice(account.Name));
    }

    /// <summary>A browser signed out: its connections end (they were opened as the account).</summary>
    public void SignedOut(string? signInId)
    {
        if (signInId is not null)
        {
            io.To(AccountRooms.ForSignIn(signInId)).DisconnectSockets(close: true);
        }
    }

    private void ChangeAvatarHere(long accountId, string? avatar)
    {
        foreach (var user in users.SignedInAs(accountId))
        {
            if (users.SetAvatar(user.Id, avatar))
            {
                presence.AvatarChanged(user.Id, avatar);
                cluster.AvatarChanged(user with { Avatar = avatar });
            }
        }
    }

    private void FreeNameHere(string name)
    {
        foreach (var guest in users.GuestsNamed(InputRules.NameKey(name)))
        {
            if (users.Rename(guest.Id, InputRules.DefaultName) is not { } previous)
            {
                continue;
            }

            presence.Renamed(guest.Id, previous, InputRules.DefaultName);
            cluster.Renamed(guest with { Name = InputRules.DefaultName });
            if (io.MainNamespace.TryGetSocket(guest.Id, out var socket))
            {
                socket.Emit(ChatEvents.Refused, new Refusal(ChatEvents.AddUsername, $"“{previous}” has just been registered by its owner; you are {InputRules.DefaultName} now."));
            }
        }
    }

    private async ValueTask AdmitAsync(SocketIOSocket socket)
    {
        var user = socket.Handshake.User;
        if (AccountClaims.AccountId(user) is long accountId)
        {
            AccountRecord? account;
            try
            {
                account = await store.FindByIdAsync(accountId, CancellationToken.None);
            }
            catch (ChatStoreException e)
            {
                LogLookupFailed(logger, e);
                throw new ConnectionRefusedException("Your account cannot be checked right now; try again in a moment.");
            }

            if (account is not null)
            {
                socket.Data[DataKey] = new SignedInUser(account.Id, account.Name, AvatarUrls.For(account.Id, account.AvatarVersion), AccountClaims.SignInIdOf(user));
                return;
            }

            // A cookie of an account that is gone: it proves nothing, so the socket is a guest.
        }

        if (ClientProtocol.IsRich(socket) && rules.NormalizeName(socket.Handshake.GetAuthString("name"), out _) is { } name
            && await CheckGuestNameAsync(name) is { } reason)
        {
            throw new ConnectionRefusedException(reason, new { reason });
        }
    }

    [LoggerMessage(1, LogLevel.Error, "Could not look up an account", EventName = "AccountLookupFailed")]
    private static partial void LogLookupFailed(ILogger logger, Exception error);

    /// <summary>A picture change, from the server that took the upload to the others.</summary>
    internal sealed record AvatarNotice(long AccountId, string? Avatar);

    /// <summary>A name just registered, from the server that took the sign-up to the others.</summary>
    internal sealed record RegisteredNotice(string Name);
}
