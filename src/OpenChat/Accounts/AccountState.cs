namespace OpenChat.Accounts;

/// <summary>
/// <c>GET /account</c>: who the page is signed in as (<c>{signedIn, name, avatar}</c>) and the antiforgery
/// token its account requests must carry in the <c>RequestVerificationToken</c> header, with the password
/// and upload limits the forms check before sending.
/// </summary>
public sealed record AccountState(bool SignedIn, string? Name, string? Avatar, string Antiforgery, int MinPasswordLength, int MaxAvatarBytes, int MaxAvatarDimension);
