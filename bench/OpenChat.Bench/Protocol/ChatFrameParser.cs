using System.Buffers.Text;

namespace OpenChat.Bench.Protocol;

/// <summary>Classifies incoming frames and reads the two chat events, straight from the bytes.</summary>
public static class ChatFrameParser
{
    public static IncomingFrameKind Classify(ReadOnlySpan<byte> frame)
    {
        if (frame.IsEmpty)
        {
            return IncomingFrameKind.Other;
        }

        switch (frame[0])
        {
            case (byte)'0':
                return IncomingFrameKind.Open;
            case (byte)'1':
                return IncomingFrameKind.Close;
            case (byte)'2':
                return frame.Length == 1 ? IncomingFrameKind.Ping : IncomingFrameKind.Other;
            case (byte)'4' when frame.Length > 1:
                return frame[1] switch
                {
                    (byte)'0' => IncomingFrameKind.Connected,
                    (byte)'4' => IncomingFrameKind.ConnectError,
                    (byte)'2' when frame.StartsWith(EngineIoFrames.MessagePrefix) => IncomingFrameKind.ChatMessage,
                    (byte)'2' when frame.StartsWith(EngineIoFrames.UsernamesPrefix) => IncomingFrameKind.Usernames,
                    _ => IncomingFrameKind.Other,
                };
            default:
                return IncomingFrameKind.Other;
        }
    }

    /// <summary>
    /// Reads <c>42["message","&lt;name&gt;: &lt;timestamp&gt; ..."]</c>: the sender's name and the timestamp it put in
    /// the text. False for messages the harness did not write.
    /// </summary>
    public static bool TryReadChatMessage(ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> senderName, out long timestamp)
    {
        senderName = default;
        timestamp = 0;
        var body = frame[EngineIoFrames.MessagePrefix.Length..];
        var separator = body.IndexOf(": "u8);
        if (separator < 0)
        {
            return false;
        }

        senderName = body[..separator];
        return Utf8Parser.TryParse(body[(separator + 2)..], out timestamp, out _);
    }

    /// <summary>
    /// Reads <c>42["usernames",["u1","u2",...]]</c> (with or without an offset after the list) without materialising the names: their count and an
    /// order-independent digest of harness names (<c>u&lt;index&gt;</c>). Any other name (e.g. "Guest") makes
    /// <paramref name="allHarnessNames"/> false. The digest is computed only when the count matches
    /// <paramref name="expectedCount"/>, so most intermediate lists cost one vectorised scan.
    /// </summary>
    public static int ReadUsernames(ReadOnlySpan<byte> frame, int expectedCount, out ulong digest, out bool allHarnessNames)
    {
        digest = 0;
        allHarnessNames = false;
        var list = frame[EngineIoFrames.UsernamesPrefix.Length..];
        var end = list.LastIndexOf((byte)']');
        if (end < 0)
        {
            return -1;
        }

        // With connection state recovery on, the server appends the broadcast's offset as a last string argument
        // (["usernames",[...],"PZ8yTMb"]); an offset has neither quotes nor commas, so its "," is the last one.
        if (end > 0 && list[end - 1] == (byte)'"' && list[..end].LastIndexOf(",\""u8) is var offset and > 0)
        {
            end = offset;
        }

        // Drop the closing brackets of the list and of the event array.
        list = list[..end].TrimEnd((byte)']');
        if (list.IsEmpty)
        {
            return 0;
        }

        var count = list.Count("\",\""u8) + 1;
        if (count != expectedCount)
        {
            return count;
        }

        allHarnessNames = true;
        while (!list.IsEmpty)
        {
            var comma = list.IndexOf("\",\""u8);
            var item = comma < 0 ? list : list[..(comma + 1)];
            list = comma < 0 ? default : list[(comma + 2)..];
            // item is "u123" with its quotes.
            if (item.Length < 4 || item[1] != (byte)'u' || !Utf8Parser.TryParse(item[2..], out long index, out var consumed) || consumed != item.Length - 3)
            {
                allHarnessNames = false;
                continue;
            }

            digest += UsernameDigest.Mix(index);
        }

        return count;
    }
}
