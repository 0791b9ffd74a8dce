namespace OpenChat.Accounts;

/// <summary>The account a socket connected as, looked up when it connected: its current name and picture.</summary>
public sealed record SignedInUser(long AccountId, string Name, string? Avatar, string? SignInId);
