namespace OpenChat.Accounts;

/// <summary>
/// The Socket.IO rooms of signed-in sockets: one per sign-in (a browser's cookie), so signing out
/// disconnects that browser's connections through the adapter, wherever they are.
/// </summary>
public static class AccountRooms
{
    public static string ForSignIn(string signInId) => "openchat:sign-in:" + signInId;
}
