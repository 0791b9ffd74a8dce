using System.Globalization;
using System.Text.Json;

namespace OpenChat.Chat;

/// <summary>
/// A parsed <c>history</c> request, <c>{channel, before?, limit}</c>: <c>before</c> is a message id (as
/// received, a string of digits; a whole number is accepted too), <c>limit</c> a whole number from 1, lowered
/// to <see cref="ChatOptions.HistoryMaxLimit"/>, and <see cref="ChatOptions.HistoryDefaultLimit"/> when absent.
/// </summary>
public sealed record HistoryRequest(string Channel, long? Before, int Limit)
{
    public const string Shape = "A history request is {channel, before?, limit}: a channel name, an optional message id, a whole number.";

    /// <summary>The request, or null with the reason it cannot be one.</summary>
    public static HistoryRequest? Parse(JsonElement argument, ChatOptions options, out string reason)
    {
        reason = Shape;
        if (argument.ValueKind != JsonValueKind.Object
            || !argument.TryGetProperty("channel", out var channel) || channel.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        long? before = null;
        if (argument.TryGetProperty("before", out var beforeValue) && beforeValue.ValueKind != JsonValueKind.Null)
        {
            if (!TryReadId(beforeValue, out var id))
            {
                reason = "before must be the id of a message (as received in chat or history).";
                return null;
            }

            before = id;
        }

        var limit = options.HistoryDefaultLimit;
        if (argument.TryGetProperty("limit", out var limitValue) && limitValue.ValueKind != JsonValueKind.Null)
        {
            if (limitValue.ValueKind != JsonValueKind.Number || !limitValue.TryGetInt64(out var asked) || asked < 1)
            {
                reason = "limit must be a whole number of at least 1.";
                return null;
            }

            limit = (int)Math.Min(asked, options.HistoryMaxLimit);
        }

        return new HistoryRequest(channel.GetString()!, before, Math.Min(limit, options.HistoryMaxLimit));
    }

    private static bool TryReadId(JsonElement value, out long id)
    {
        id = 0;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 and <= 19 } text && text.All(char.IsAsciiDigit)
                && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0,
            JsonValueKind.Number => value.TryGetInt64(out id) && id > 0,
            _ => false,
        };
    }
}
