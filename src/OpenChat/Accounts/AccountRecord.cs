namespace OpenChat.Accounts;

/// <summary>A registered account: its name as registered, its password hash, and its avatar's version when it has one.</summary>
public sealed record AccountRecord(long Id, string Name, string PasswordHash, long CreatedAt, string? AvatarVersion);
