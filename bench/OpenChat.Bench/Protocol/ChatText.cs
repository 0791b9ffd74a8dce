namespace OpenChat.Bench.Protocol;

/// <summary>
/// Filler for chat messages that compresses as chat does: words drawn at random (seeded per message) from a
/// few hundred common English and chat words, with the odd punctuation. A compressor finds the words again but
/// no long repeated passages, as in real conversations; one letter repeated, or one paragraph cycled, would
/// shrink a hundredfold and flatter every compressor.
/// </summary>
public static class ChatText
{
    private static readonly string[] Words =
    (
        "the be to of and a in that have it for not on with he as you do at this but his by from they we say her she or an " +
        "will my one all would there their what so up out if about who get which go me when make can like time no just him " +
        "know take people into year your good some could them see other than then now look only come its over think also " +
        "back after use two how our work first well way even new want because any these give day most us is are was were " +
        "build test release deploy branch merge review meeting lunch coffee tomorrow today yesterday morning afternoon " +
        "please thanks sorry great okay sure maybe later soon fixed broken issue ticket server client page message chat " +
        "channel room online offline update upgrade version slides notes plan team office home remote call video link " +
        "folder file upload download database backup restart outage green red flaky quick short long week weekend friday " +
        "monday deadline customer feedback design draft final number question answer idea problem reason result change " +
        "start stop wait help check agree decide share send read write ask tell show move open close finish ready done"
    ).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Fills <paramref name="destination"/> with words chosen from <paramref name="seed"/>; JSON-safe (no quotes or backslashes).</summary>
    public static void Fill(Span<byte> destination, long seed)
    {
        var state = (ulong)seed | 1;
        var i = 0;
        var sentenceStart = true;
        while (i < destination.Length)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            var word = Words[(int)(state % (ulong)Words.Length)];
            for (var c = 0; c < word.Length && i < destination.Length; c++)
            {
                var letter = word[c];
                destination[i++] = (byte)(sentenceStart && c == 0 ? char.ToUpperInvariant(letter) : letter);
            }

            sentenceStart = (state >> 40) % 9 == 0;
            if (i < destination.Length && sentenceStart)
            {
                destination[i++] = (byte)((state >> 50) % 4 == 0 ? '?' : '.');
            }

            if (i < destination.Length)
            {
                destination[i++] = (byte)' ';
            }
        }
    }
}
