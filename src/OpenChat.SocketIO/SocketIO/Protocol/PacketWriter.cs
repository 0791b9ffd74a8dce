using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.ObjectPool;

namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// The state of one packet being encoded: its JSON writer, the binary attachments met so far, and scratch
/// space. It travels with the call as the <see cref="Utf8JsonWriter"/> handed to the code that writes the
/// packet's data: converters find it from that writer (<see cref="TryFind"/>), so a <c>byte[]</c> at any
/// depth of a serialized argument becomes an attachment of this packet and of no other. Rented from a pool.
/// </summary>
internal sealed class PacketWriter : IDisposable
{
    // Buffers that grew past this (a large packet) are not kept, so one big message does not pin memory.
    private const int MaxRetainedBytes = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Only what JSON itself requires is escaped, as JSON.stringify does; this is a wire format, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly ConditionalWeakTable<Utf8JsonWriter, PacketWriter> ByJsonWriter = new();
    private static readonly ObjectPool<PacketWriter> Pool = new DefaultObjectPool<PacketWriter>(new Policy(), Environment.ProcessorCount * 4);

    private PacketWriter()
    {
        Json = new Utf8JsonWriter(Buffer, WriterOptions);
        ByJsonWriter.Add(Json, this);
    }

    /// <summary>The packet's JSON text as written so far (flush <see cref="Json"/> first).</summary>
    public ArrayBufferWriter<byte> Buffer { get; } = new(1024);

    /// <summary>Writes the packet's data.</summary>
    public Utf8JsonWriter Json { get; }

    /// <summary>The binary attachments, in placeholder order.</summary>
    public List<ReadOnlyMemory<byte>> Attachments { get; } = new();

    /// <summary>Room for a received element being re-emitted.</summary>
    public ArrayBufferWriter<byte> Scratch { get; } = new(256);

    public static PacketWriter Rent() => Pool.Get();

    /// <summary>The packet that <paramref name="json"/> is writing, if it writes one.</summary>
    public static bool TryFind(Utf8JsonWriter json, out PacketWriter packet) => ByJsonWriter.TryGetValue(json, out packet!);

    public void Dispose() => Pool.Return(this);

    private sealed class Policy : IPooledObjectPolicy<PacketWriter>
    {
        public PacketWriter Create() => new();

        public bool Return(PacketWriter packet)
        {
            if (packet.Buffer.Capacity > MaxRetainedBytes || packet.Scratch.Capacity > MaxRetainedBytes)
            {
                return false;
            }

            packet.Json.Reset(packet.Buffer);
            packet.Buffer.ResetWrittenCount();
            packet.Scratch.ResetWrittenCount();
            packet.Attachments.Clear();
            return true;
        }
    }
}
