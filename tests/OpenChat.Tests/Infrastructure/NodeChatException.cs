namespace OpenChat.Tests.Infrastructure;

/// <summary>A Node chat script failed or did not show what a test waited for; the message carries its output.</summary>
public sealed class NodeChatException(string message) : Exception(message);
