namespace OpenChat.Chat;

/// <summary>The answer to <c>history</c>: <c>{ok: true, messages}</c> oldest first, or <c>{ok: false, reason}</c>.</summary>
public sealed record HistoryReply(bool Ok, IReadOnlyList<HistoryMessage>? Messages = null, string? Reason = null);
