using System.Text;

namespace OpenChat.Storage;

/// <summary>
/// The form in which channel names are compared: Unicode compatibility-normalized and lower-cased, so
/// <c>#Random</c>, <c>#random</c> and a full-width look-alike are one channel.
/// </summary>
public static class ChannelKey
{
    public static string Of(string name) => name.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
}
