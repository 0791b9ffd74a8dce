namespace OpenChat.Chat;

/// <summary>
/// One connected socket's chat identity. Several users may share a name; the socket id tells them apart.
/// Lists are in join order: by <see cref="JoinedAt"/> (Unix ms), then <see cref="Server"/>, then
/// <see cref="Order"/> (the join counter of that server), so every server of a cluster lists its users alike.
/// <see cref="Server"/> is null for a user of this server, else the id of the server that holds the socket.
/// A signed-in socket carries its <see cref="AccountId"/> (its name is the account's) and the URL of the
/// account's <see cref="Avatar"/>, if it has one; a guest has neither.
/// </summary>
public sealed record ChatUser(string Id, string Name, bool IsRich, long Order = 0, string? Server = null, long JoinedAt = 0, long? AccountId = null, string? Avatar = null)
{
    /// <summary>Whether the socket is connected to this server.</summary>
    public bool IsLocal => Server is null;

    public bool IsSignedIn => AccountId is not null;
}
