namespace OpenChat.SocketIO.Protocol;

/// <summary>What precedes the JSON data of a text packet: its wire type, attachment count, namespace and ack id, and where the data starts.</summary>
internal readonly record struct JsonPacketHeader(SocketPacketType Type, int Attachments, string Namespace, long? Id, int DataStart);
