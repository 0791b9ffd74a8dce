"use strict";
// The Node reference server with @socket.io/redis-adapter 8.3.0 (classic pub/sub): the other half of a mixed
// fleet. Options: {"port", "redisUrl", "key"?, "serverSideEvents"?: [names], "timeoutMs"?}.
// Prints {"event":"listening","port"} when ready; every client event as {"event":"received","id","name","args"};
// every server-side event as {"event":"server-side","name","args"} (answering an ack with {"from":"node"}).
// Commands (JSON lines), each printing one result line named after it:
//   {"cmd":"emit","name","args","to"?,"except"?,"local"?,"nsp"?}     -> {"event":"emitted"}  (namespaces / and /admin)
//   {"cmd":"emitWithAck","name","args","to"?,"timeoutMs"}             -> {"event":"acks","responses"} or {"event":"acks-timeout","responses"}
//   {"cmd":"fetchSockets","in"?}                                       -> {"event":"sockets","sockets":[{id,rooms,data,handshake}]}
//   {"cmd":"socketsJoin"|"socketsLeave","in"?,"rooms"}                 -> {"event":"done"}
//   {"cmd":"joinThenEmit","room","name","args"}: everyone joins room, then an emit to it -> {"event":"emitted"}
//   {"cmd":"disconnectSockets","in"?,"close"?}                         -> {"event":"done"}
//   {"cmd":"serverSideEmit","name","args"}                             -> {"event":"done"}
//   {"cmd":"serverSideEmitWithAck","name","args"}                      -> {"event":"server-side-acks","responses"} or {"event":"server-side-timeout","responses"}
//   {"cmd":"join","id","room"} (a local socket)                        -> {"event":"done"}
//   {"cmd":"setData","id","data"} (a local socket)                     -> {"event":"done"}
//   {"cmd":"serverCount"}                                              -> {"event":"serverCount","count"}
//   {"cmd":"allRooms"}                                                 -> {"event":"allRooms","rooms"}
//   {"cmd":"exit"}
const { createServer } = require("node:http");
const { Server } = require("socket.io");
const { createClient } = require("redis");
const { createAdapter } = require("@socket.io/redis-adapter");
const { options, out, exit, encode, decode, commands, guard } = require("./lib");

const opts = options();
guard(opts);

async function main() {
  const pubClient = createClient({ url: opts.redisUrl });
  const subClient = pubClient.duplicate();
  pubClient.on("error", () => {});
  subClient.on("error", () => {});
  await Promise.all([pubClient.connect(), subClient.connect()]);

  const httpServer = createServer();
  const io = new Server(httpServer, {
    adapter: createAdapter(pubClient, subClient, { key: opts.key ?? "socket.io", requestsTimeout: opts.requestsTimeoutMs ?? 3000 }),
    cors: { origin: "*" },
  });

  for (const nsp of ["/", "/admin"]) {
    io.of(nsp).on("connection", (socket) => {
      out({ event: "connection", id: socket.id, nsp });
      socket.onAny((name, ...args) => out({ event: "received", id: socket.id, nsp, name, args: encode(args) }));
    });
  }

  for (const name of opts.serverSideEvents ?? []) {
    io.on(name, (...args) => {
      const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
      out({ event: "server-side", name, args: encode(args) });
      if (ack) {
        ack({ from: "node" });
      }
    });
  }

  const select = (target, command) => {
    let op = target;
    for (const room of command.to ?? command.in ?? []) {
      op = op.to(room);
    }
    for (const room of command.except ?? []) {
      op = op.except(room);
    }
    if (command.local) {
      op = op.local;
    }
    return op;
  };

  commands(
    async (command) => {
      switch (command.cmd) {
        case "emit":
          select(command.nsp ? io.of(command.nsp) : io, command).emit(command.name, ...decode(command.args ?? []));
          out({ event: "emitted" });
          break;
        case "emitWithAck":
          try {
            const responses = await select(io.timeout(command.timeoutMs ?? 2000), command).emitWithAck(command.name, ...decode(command.args ?? []));
            out({ event: "acks", responses: encode(responses) });
          } catch (err) {
            out({ event: "acks-timeout", responses: encode(err.responses ?? []) });
          }
          break;
        case "fetchSockets": {
          const sockets = await select(io, command).fetchSockets();
          out({ event: "sockets", sockets: sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data, handshake: { auth: s.handshake.auth, query: s.handshake.query } })) });
          break;
        }
        case "socketsJoin":
          select(io, command).socketsJoin(command.rooms);
          out({ event: "done" });
          break;
        case "joinThenEmit":
          // Back to back: the join request and the broadcast after it, as an application would write them.
          io.socketsJoin(command.room);
          io.to(command.room).emit(command.name, ...decode(command.args ?? []));
          out({ event: "emitted" });
          break;
        case "socketsLeave":
          select(io, command).socketsLeave(command.rooms);
          out({ event: "done" });
          break;
        case "disconnectSockets":
          select(io, command).disconnectSockets(command.close ?? false);
          out({ event: "done" });
          break;
        case "serverSideEmit":
          io.serverSideEmit(command.name, ...decode(command.args ?? []));
          out({ event: "done" });
          break;
        case "serverSideEmitWithAck":
          try {
            const responses = await io.serverSideEmitWithAck(command.name, ...decode(command.args ?? []));
            out({ event: "server-side-acks", responses: encode(responses) });
          } catch (err) {
            out({ event: "server-side-timeout", responses: encode(err.responses ?? []) });
          }
          break;
        case "join":
          io.of("/").sockets.get(command.id).join(command.room);
          out({ event: "done" });
          break;
        case "setData":
          io.of("/").sockets.get(command.id).data = command.data;
          out({ event: "done" });
          break;
        case "serverCount":
          out({ event: "serverCount", count: await io.of("/").adapter.serverCount() });
          break;
        case "allRooms":
          out({ event: "allRooms", rooms: [...(await io.of("/").adapter.allRooms())] });
          break;
        case "exit":
          io.close();
          await Promise.allSettled([pubClient.quit(), subClient.quit()]);
          exit(0);
          break;
        default:
          out({ event: "error", message: `unknown command ${command.cmd}` });
      }
    },
    () => exit(0),
  );

  httpServer.listen(opts.port, "127.0.0.1", () => out({ event: "listening", port: httpServer.address().port }));
}

main().catch((err) => {
  out({ event: "error", message: String(err && err.stack ? err.stack : err) });
  exit(1);
});
