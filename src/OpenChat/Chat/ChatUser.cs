namespace OpenChat.Chat;

/// <summary>
/// One connected socket's chat identity. Several users may share a name; the socket id tells them apart.
/// <see cref="Order"/> keeps lists in join order, as the original server's dictionary did. A signed-in
/// socket carries its <see cref="AccountId"/> (its name is the account's) and the URL of the account's
/// <see cref="Avatar"/>, if it has one; a guest has neither.
/// </summary>
public sealed record ChatUser(string Id, string Name, bool IsRich, long Order = 0, long? AccountId = null, string? Avatar = null)
{
    public bool IsSignedIn => AccountId is not null;
}
