namespace OpenChat.Chat;

/// <summary>
/// A stored message in a <c>history</c> answer: <c>{id, channel, username, text, sentAt}</c>, and
/// <c>avatar</c>, the current picture of a signed-in sender's account, when it has one.
/// </summary>
public sealed record HistoryMessage(string Id, string Channel, string Username, string Text, long SentAt, string? Avatar = null);
