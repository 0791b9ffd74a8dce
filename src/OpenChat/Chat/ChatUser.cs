namespace OpenChat.Chat;

/// <summary>
/// One connected socket's chat identity. Several users may share a name; the socket id tells them apart.
/// <see cref="Order"/> keeps lists in join order, as the original server's dictionary did.
/// </summary>
public sealed record ChatUser(string Id, string Name, bool IsRich, long Order = 0);
