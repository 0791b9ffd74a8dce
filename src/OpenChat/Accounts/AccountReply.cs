using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenChat.Accounts;

/// <summary>
/// The answer of the account endpoints: <c>{ok: true, name, avatar}</c> or <c>{ok: false, reason}</c>, the
/// shape of the chat's own acknowledgements. <see cref="Avatar"/> is absent when there is no picture.
/// </summary>
public sealed record AccountReply(bool Ok, string? Reason = null, string? Name = null, string? Avatar = null)
{
    /// <summary>camelCase, nulls left out.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}
