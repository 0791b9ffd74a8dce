using System.Text;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// Builds fuzz cases from one seed, so a failing case can be replayed: known-good packets (must be
/// accepted), known-bad ones (must close the session with the protocol's reason), families with a computed
/// answer (ack id lengths, attachment counts against placeholders and frames), and random byte-level
/// damage to any of them (either outcome, but a close must carry a protocol reason).
/// </summary>
public sealed class FuzzCaseGenerator(int seed)
{
    public const string WebSocketEngine = "websocket-engine";
    public const string WebSocketSocketIO = "websocket-socketio";
    public const string Polling = "polling";

    private const char RecordSeparator = '\x1e';
    private const int MaxAttachments = 64;
    private const int MaxAckIdDigits = 15;

    private static readonly FuzzExpectation Accept = FuzzExpectation.Accepted;
    private static readonly FuzzExpectation Parse = FuzzExpectation.ParseError;

    /// <summary>Complete Engine.IO message packets ("4" + Socket.IO packet) that the server must accept.</summary>
    private static readonly string[] ValidMessages =
    [
        "42[\"echo\",1,\"two\",{\"three\":[3,null,true]}]",
        "427[\"ack-echo\",\"x\",[1,2]]",
        "42[\"nobody-listens\"]",
        "42[17,\"a numeric event name\"]",
        "42/nope,[\"an event for a namespace never joined\"]",
        "40/nope,",
        "40",
        "40{\"token\":1}",
        "41/nope,",
        "435[\"an ack nobody waits for\"]",
        "42[\"echo\",\"\\ud800 lone high surrogate\",\"\\udfff\"]",
        "427[\"ack-echo\",\"\\udc00\",{\"k\":\"\\ud800\"}]",
        "42[\"echo\",\"\\ud83d\\ude00 a valid pair\"]",
        "42999999999999999[\"echo\",\"a 15-digit ack id\"]",
        "42[\"echo\",1e999,-0,123456789012345678901234567890,0.1e-400]",
        "42[\"echo\",\"é 中 😀\"]",
        "42[\"echo\",{\"_placeholder\":false,\"num\":0}]",
        "42[\"echo\"," + Nested(30) + "]",
        "450-[\"echo\",\"zero attachments\"]",
        "42 [\"echo\",\"leading whitespace\"]",
    ];

    /// <summary>Message packets that break the Socket.IO protocol: the session must end with "parse error".</summary>
    private static readonly string[] BadMessages =
    [
        "4", "47", "48[]", "4x", "4-", "42", "42[", "42[\"unterminated", "42{}", "42[]", "42\"str\"", "42null", "421",
        "42[\"connect\"]", "42[\"connect_error\"]", "42[\"disconnect\"]", "42[\"disconnecting\"]", "42[\"newListener\"]", "42[\"removeListener\"]",
        "42[\"\\ud800\"]", "42[\"\\udfff\",1]", "42[null]", "42[true]", "42[[\"nested\"]]",
        "421234567890123456[\"x\"]", "4299999999999999999999[\"x\"]",
        "43[1]", "43", "437", "437{}", "437\"x\"",
        "44{\"message\":\"x\"}", "44\"x\"", "44",
        "41{\"a\":1}", "41[]", "40[1]", "40\"s\"", "40/nope,[]", "40 1",
        "42[\"echo\",{\"_placeholder\":true,\"num\":0}]", "42[\"echo\",{\"_placeholder\":true}]",
        "45-[\"x\"]", "451[\"x\"]", "45x-[\"x\"]", "451234567-[\"x\"]", "4565-[\"x\"]", "45999999-[\"x\"]", "45", "451", "451-",
        "42[\"echo\",1,]", "42[\"echo\"]trailing", "42[\"echo\"][\"twice\"]", "42/nope",
        "42[\"echo\"," + Nested(200) + "]",
    ];

    private static readonly string[] EngineAccepted = ["3", "3probe", "6", "6anything", "5", "0", "0{\"sid\":\"x\"}"];

    private static readonly string[] EngineParseErrors = ["", "7", "8", "9", "a", "x42", " 4", "\u00ff", "-1"];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0x34, 0xff],
        [0x34, 0x32, 0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d], // a UTF-8-encoded lone surrogate inside a string
        [0x34, 0x32, 0x5b, 0x22, 0xed, 0xbf, 0xbf, 0x22, 0x5d],
        [0x34, 0xc0, 0x80], // overlong NUL
        [0x34, 0x32, 0x5b, 0x22, 0xf4, 0x90, 0x80, 0x80, 0x22, 0x5d], // above U+10FFFF
        [0x34, 0x32, 0x5b, 0x22, 0xe4, 0xb8], // truncated sequence at the end
        [0xfe, 0x34],
    ];

    private static readonly byte[][] Tokens =
    [
        [0x1e], [0x00], [0xff], [0xc0], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc3, 0xa9],
        "\""u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), ","u8.ToArray(), "/"u8.ToArray(),
        "-"u8.ToArray(), "\\"u8.ToArray(), "0"u8.ToArray(), "9"u8.ToArray(), "b"u8.ToArray(), "1"u8.ToArray(), "2"u8.ToArray(),
        "\\ud800"u8.ToArray(), "{\"_placeholder\":true,\"num\":9}"u8.ToArray(), "99999999999999999999"u8.ToArray(),
        "\"connect\""u8.ToArray(), "/nope,"u8.ToArray(), "null"u8.ToArray(), "1e999"u8.ToArray(),
    ];

    private readonly Random _random = new(seed);

    public static IReadOnlyList<string> Groups => [WebSocketEngine, WebSocketSocketIO, Polling];

    public List<FuzzCase> Generate(string group, int count)
    {
        var cases = new List<FuzzCase>(count);
        for (var i = 0; i < count; i++)
        {
            var (origin, frames, expect) = group switch
            {
                WebSocketEngine => NextEngineCase(),
                WebSocketSocketIO => NextSocketIOCase(),
                Polling => NextPollingCase(),
                _ => throw new ArgumentOutOfRangeException(nameof(group), group, null),
            };
            cases.Add(new FuzzCase(i, origin, frames, expect));
        }

        return cases;
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static string Placeholder(int num) => $"{{\"_placeholder\":true,\"num\":{num}}}";

    private static List<FuzzFrame> Texts(params string[] texts) => [.. texts.Select(FuzzFrame.Text)];

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private (string, List<FuzzFrame>, FuzzExpectation) NextEngineCase()
    {
        var roll = _random.Next(100);
        (string Origin, List<FuzzFrame> Frames, FuzzExpectation Expect) known = roll switch
        {
            < 12 => ("engine packet", Texts(Pick(EngineAccepted)), Accept),
            < 24 => ("valid message", Texts(Pick(ValidMessages)), Accept),
            < 36 => ("bad message", Texts(Pick(BadMessages)), Parse),
            < 44 => ("bad engine type", Texts(Pick(EngineParseErrors)), Parse),
            // The WebSocket layer may refuse invalid UTF-8 in a text frame itself: any protocol reason will do.
            < 52 => ("invalid utf-8", [new FuzzFrame(Pick(InvalidUtf8), false)], FuzzExpectation.Closed),
            < 55 => ("ping from client", Texts(_random.Next(2) == 0 ? "2" : "2probe"), FuzzExpectation.TransportError),
            < 57 => ("close from client", Texts(_random.Next(2) == 0 ? "1" : "1bye"), FuzzExpectation.TransportClose),
            < 60 => ("stray binary frame", [new FuzzFrame(RandomBytes(_random.Next(0, 16)), true)], Parse),
            _ => ("damaged", [new FuzzFrame(Mutate(Encoding.UTF8.GetBytes(PickAnyMessage())), _random.Next(20) == 0)], FuzzExpectation.Either),
        };
        return known;
    }

    private (string, List<FuzzFrame>, FuzzExpectation) NextSocketIOCase()
    {
        var roll = _random.Next(100);
        switch (roll)
        {
            case < 15:
                return ("valid message", Texts(Pick(ValidMessages)), Accept);
            case < 35:
                return ("bad message", Texts(Pick(BadMessages)), Parse);
            case < 45:
                return AckIdCase();
            case < 70:
                return AttachmentCase();
            default:
            {
                var (_, frames, _) = _random.Next(2) == 0 ? AttachmentCase() : ("", Texts(PickAnyMessage()), Accept);
                return ("damaged", MutateFrames(frames), FuzzExpectation.Either);
            }
        }
    }

    private (string, List<FuzzFrame>, FuzzExpectation) NextPollingCase()
    {
        var roll = _random.Next(100);
        switch (roll)
        {
            case < 20:
            {
                var records = Enumerable.Range(0, _random.Next(1, 5)).Select(_ => _random.Next(4) == 0 ? Pick(EngineAccepted) : Pick(ValidMessages)).ToList();
                if (_random.Next(3) == 0)
                {
                    // A binary event and its attachment travel as two records, the second "b" + base64.
                    records.Add("451-[\"echo\"," + Placeholder(0) + "]");
                    records.Add("b" + Convert.ToBase64String(RandomBytes(_random.Next(0, 32))));
                }

                return ("valid payload", Body(records), Accept);
            }

            case < 35:
                return ("bad message", Body([.. ValidPrefix(), Pick(BadMessages)]), Parse);
            case < 50:
            {
                string[] malformed = ["", "\x1e", "42[\"x\"]\x1e", "\x1e42[\"x\"]", "x", "9", "b!!!", "babc", "42[\"x\"]\x1e\x1e3", Pick(EngineParseErrors) is { Length: > 0 } e ? e : "7"];
                return ("malformed payload", Body([Pick(malformed)]), Parse);
            }

            case < 58:
            {
                // No WebSocket layer in front: invalid UTF-8 reaches the Engine.IO decoder, a parse error.
                var body = new List<byte>(Encoding.UTF8.GetBytes(string.Concat(ValidPrefix().Select(r => r + RecordSeparator))));
                body.AddRange(Pick(InvalidUtf8));
                return ("invalid utf-8", [new FuzzFrame([.. body], false)], Parse);
            }

            case < 62:
                return ("ping from client", Body([.. ValidPrefix(), "2"]), FuzzExpectation.TransportError);
            case < 65:
                return ("close from client", Body([.. ValidPrefix(), "1"]), FuzzExpectation.TransportClose);
            default:
            {
                var records = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => PickAnyMessage()).ToList();
                var body = Encoding.UTF8.GetBytes(string.Join(RecordSeparator, records));
                return ("damaged", [new FuzzFrame(Mutate(body), false)], FuzzExpectation.Either);
            }
        }
    }

    private List<string> ValidPrefix() => [.. Enumerable.Range(0, _random.Next(0, 3)).Select(_ => Pick(ValidMessages))];

    private static List<FuzzFrame> Body(IEnumerable<string> records) => Texts(string.Join(RecordSeparator, records));

    private string PickAnyMessage() => _random.Next(3) switch
    {
        0 => Pick(BadMessages),
        1 => Pick(EngineAccepted),
        _ => Pick(ValidMessages),
    };

    /// <summary>Ack ids up to 15 digits are accepted; longer ones are garbage.</summary>
    private (string, List<FuzzFrame>, FuzzExpectation) AckIdCase()
    {
        var digits = _random.Next(1, 26);
        var id = string.Concat(Enumerable.Range(0, digits).Select(_ => (char)('0' + _random.Next(10))));
        var type = _random.Next(3) == 0 ? "3" : "2";
        var packet = type == "2" ? $"42{id}[\"ack-echo\",{digits}]" : $"43{id}[\"late\"]";
        return ($"ack id of {digits} digits", Texts(packet), digits <= MaxAckIdDigits ? Accept : Parse);
    }

    /// <summary>
    /// A binary event announcing n attachments, with k placeholders and m binary frames. Accepted only when
    /// n is within the maximum, m equals n, and every placeholder points at one of them.
    /// </summary>
    private (string, List<FuzzFrame>, FuzzExpectation) AttachmentCase()
    {
        var announced = _random.Next(10) == 0 ? _random.Next(MaxAttachments - 2, MaxAttachments + 6) : _random.Next(0, 5);
        var placeholders = Enumerable.Range(0, _random.Next(0, 4)).Select(_ => _random.Next(0, announced + 1)).ToList();
        var sent = announced > MaxAttachments ? 0 : Math.Max(0, announced + _random.Next(-1, 2));
        var ack = _random.Next(2) == 0 ? "" : _random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var name = ack.Length > 0 ? "ack-echo" : "echo";
        var header = $"45{announced}-{ack}[\"{name}\"{string.Concat(placeholders.Select(p => "," + Placeholder(p)))}]";
        var frames = new List<FuzzFrame> { FuzzFrame.Text(header) };
        for (var i = 0; i < sent; i++)
        {
            frames.Add(new FuzzFrame(RandomBytes(_random.Next(0, 24)), true));
        }

        var valid = announced <= MaxAttachments && sent == announced && placeholders.All(p => p < announced);
        return ($"{announced} announced, {placeholders.Count} placeholders, {sent} frames", frames, valid ? Accept : Parse);
    }

    private List<FuzzFrame> MutateFrames(List<FuzzFrame> frames)
    {
        var result = frames.ToList();
        switch (_random.Next(6))
        {
            case 0 when result.Count > 1:
                result.RemoveAt(_random.Next(1, result.Count));
                break;
            case 1:
                result.Add(new FuzzFrame(RandomBytes(_random.Next(0, 8)), true));
                break;
            case 2 when result.Count > 1:
                // Truncated binary data: still bytes, so a legitimate attachment.
                var index = _random.Next(1, result.Count);
                result[index] = result[index] with { Data = result[index].Data[..(result[index].Data.Length / 2)] };
                break;
            case 3 when result.Count > 1:
                (result[0], result[1]) = (result[1], result[0]);
                break;
            default:
                result[0] = result[0] with { Data = Mutate(result[0].Data) };
                break;
        }

        return result;
    }

    private byte[] Mutate(byte[] input)
    {
        var data = new List<byte>(input);
        var rounds = _random.Next(1, 4);
        for (var r = 0; r < rounds; r++)
        {
            var at = data.Count == 0 ? 0 : _random.Next(data.Count);
            switch (_random.Next(7))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = Pick(Tokens)[0];
                    break;
                case 2:
                    data.InsertRange(at, Pick(Tokens));
                    break;
                case 3 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, _random.Next(1, 9)));
                    break;
                case 4:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 5 when data.Count > 0:
                    data.InsertRange(at, data.GetRange(at, Math.Min(data.Count - at, _random.Next(1, 12))));
                    break;
                default:
                    if (data.Count > 1)
                    {
                        var other = _random.Next(data.Count);
                        (data[at], data[other]) = (data[other], data[at]);
                    }

                    break;
            }
        }

        return [.. data];
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }
}
