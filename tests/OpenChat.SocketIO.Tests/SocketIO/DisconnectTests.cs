using System.Collections.Concurrent;
using OpenChat.SocketIO.Tests.Clients;
using OpenChat.SocketIO.Tests.Hardening;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO;

/// <summary>
/// A disconnect cancels what waits on that socket at once: pending acknowledgements fail with the disconnect
/// reason, the socket leaves its rooms and lists even while a handler still runs, and its disconnect
/// handlers run after that handler returned.
/// </summary>
public sealed class DisconnectTests
{
    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task A_handler_awaiting_an_acknowledgement_fails_at_once_with_the_disconnect_when_the_client_leaves(string transports)
    {
        var outcome = new TaskCompletionSource<(Exception Error, int SocketsLeft, int RoomMembers)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(
            // Far beyond the test's own bound: only the disconnect can end the wait in time.
            configure: o => o.AckTimeout = TimeSpan.FromMinutes(10),
            handlers: io => io.On("connection", socket =>
            {
                socket.Join("lobby");
                socket.On("start", async _ =>
                {
                    var pending = socket.EmitWithAckAsync("never-answered");
                    asked.TrySetResult();
                    try
                    {
                        await pending;
                    }
                    catch (Exception ex)
                    {
                        outcome.TrySetResult((ex, io.MainNamespace.SocketCount, io.In("lobby").SocketIds().Count));
                    }
                });
            }));
        await using var node = NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports, clients = new { a = new { } } });
        await node.WaitForAsync("connect");

        await node.SendAsync(new { cmd = "emit", client = "a", name = "start" });
        await asked.Task.WithTimeout();
        await node.WaitForAsync("received", l => l.GetProperty("name").GetString() == "never-answered");
        await node.SendAsync(new { cmd = "disconnect", client = "a" });

        var (error, socketsLeft, roomMembers) = await outcome.Task.WithTimeout();
        var disconnected = Assert.IsType<SocketDisconnectedException>(error);
        Assert.Equal(DisconnectReasons.ClientNamespaceDisconnect, disconnected.Reason);
        Assert.Equal(0, socketsLeft);
        Assert.Equal(0, roomMembers);
    }

    [Fact]
    public async Task A_socket_leaves_its_rooms_and_lists_at_once_while_its_handler_still_runs_and_its_disconnect_handlers_run_after_it()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tokenCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var disconnected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var roomsWhileDisconnecting = new TaskCompletionSource<string[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new ConcurrentQueue<string>();
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", socket =>
        {
            socket.Join("lobby");
            socket.DisconnectToken.Register(() => tokenCancelled.TrySetResult());
            socket.On("work", async _ =>
            {
                running.TrySetResult(socket);
                await release.Task;
                log.Enqueue("handler returned");
            });
            socket.OnDisconnecting(_ => roomsWhileDisconnecting.TrySetResult([.. socket.Rooms.Order(StringComparer.Ordinal)]));
            socket.OnDisconnect(reason =>
            {
                log.Enqueue("disconnect");
                disconnected.TrySetResult(reason);
            });
        }));
        await using var node = NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports = "websocket", clients = new { a = new { } } });
        await node.WaitForAsync("connect");
        await node.SendAsync(new { cmd = "emit", client = "a", name = "work" });
        var socket = await running.Task.WithTimeout();

        await node.SendAsync(new { cmd = "disconnect", client = "a" });

        await tokenCancelled.Task.WithTimeout();
        Assert.Contains("lobby", await roomsWhileDisconnecting.Task.WithTimeout());
        await host.WaitUntilAsync(() => host.IO.MainNamespace.SocketCount == 0);
        Assert.Empty(host.IO.In("lobby").SocketIds());
        Assert.Empty(socket.Rooms);
        Assert.False(socket.Connected);
        Assert.False(disconnected.Task.IsCompleted);

        release.SetResult();
        Assert.Equal(DisconnectReasons.ClientNamespaceDisconnect, await disconnected.Task.WithTimeout());
        Assert.Equal(["handler returned", "disconnect"], log.ToArray());
    }

    [Fact]
    public async Task An_emit_with_ack_to_one_socket_or_a_broadcast_is_cancelled_by_its_token_and_the_socket_stays_connected()
    {
        var sockets = new ConnectedSockets();
        await using var host = await TestHost.StartAsync(configure: o => o.AckTimeout = TimeSpan.FromMinutes(10), handlers: io => io.On("connection", sockets.Track));
        await using var node = NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports = "websocket", clients = new { a = new { } } });
        var id = (await node.WaitForAsync("connect")).GetProperty("id").GetString()!;
        var socket = await sockets.For(id).WithTimeout();
        using var cancel = new CancellationTokenSource();

        var pending = socket.EmitWithAckAsync("question", cancel.Token, 1);
        await node.WaitForAsync("received", l => l.GetProperty("name").GetString() == "question");
        Assert.False(pending.IsCompleted);
        cancel.Cancel();

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WithTimeout());
        Assert.Equal(cancel.Token, cancelled.CancellationToken);
        Assert.True(socket.Connected);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => socket.EmitWithAckAsync("again", cancel.Token).WithTimeout());

        // A broadcast with acknowledgements stops waiting the same way.
        using var broadcastCancel = new CancellationTokenSource();
        var everyone = host.IO.EmitWithAckAsync("roll-call", broadcastCancel.Token);
        await node.WaitForAsync("received", l => l.GetProperty("name").GetString() == "roll-call");
        Assert.False(everyone.IsCompleted);
        broadcastCancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => everyone.WithTimeout());
    }

    [Fact]
    public async Task An_emit_with_ack_on_a_socket_that_has_disconnected_fails_at_once()
    {
        var sockets = new ConnectedSockets();
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s =>
        {
            sockets.Track(s);
            s.OnDisconnect(_ => disconnected.TrySetResult());
        }));
        await using var node = NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports = "websocket", clients = new { a = new { } } });
        var socket = await sockets.For((await node.WaitForAsync("connect")).GetProperty("id").GetString()!).WithTimeout();
        await node.SendAsync(new { cmd = "disconnect", client = "a" });
        await disconnected.Task.WithTimeout();

        var error = await Assert.ThrowsAsync<SocketDisconnectedException>(() => socket.EmitWithAckAsync("late").WithTimeout());
        Assert.False(string.IsNullOrEmpty(error.Reason));
    }
}
