namespace OpenChat.Chat;

/// <summary>A stored message in a <c>history</c> answer: <c>{id, channel, username, text, sentAt}</c>.</summary>
public sealed record HistoryMessage(string Id, string Channel, string Username, string Text, long SentAt);
