"use strict";
// The Node reference server (socket.io 4.8.1) with connectionStateRecovery and its in-memory session-aware adapter:
// the witness of the recovery wire format. Options: {"port"?: 0, "recovery"?: {...connectionStateRecovery}, "timeoutMs"?}.
// Every socket joins the rooms listed in its auth (auth.rooms) and keeps auth.data in socket.data on its first connection.
// Prints {"event":"listening","port"}; {"event":"connection","id","recovered","rooms","data"};
// {"event":"disconnect","id","reason"}.
// Commands (JSON lines), each printing one result line:
//   {"cmd":"emit","name","args","to"?,"except"?,"volatile"?}  -> {"event":"emitted"}   (a broadcast)
//   {"cmd":"direct","id","name","args"}                       -> {"event":"emitted"}   (socket.emit)
//   {"cmd":"close","id"}  the socket's Engine.IO connection: socket.conn.close() -> {"event":"closed"}
//   {"cmd":"exit"}
const { createServer } = require("node:http");
const { Server } = require("socket.io");
const { options, out, exit, decode, commands, guard } = require("./lib");

const opts = options();
guard(opts);

const httpServer = createServer();
const io = new Server(httpServer, { connectionStateRecovery: opts.recovery ?? {}, cors: { origin: "*" } });

io.on("connection", (socket) => {
  if (!socket.recovered) {
    for (const room of socket.handshake.auth.rooms ?? []) {
      socket.join(room);
    }
    if (socket.handshake.auth.data !== undefined) {
      socket.data = socket.handshake.auth.data;
    }
  }
  out({ event: "connection", id: socket.id, recovered: socket.recovered, rooms: [...socket.rooms], data: socket.data ?? null });
  socket.on("disconnect", (reason) => out({ event: "disconnect", id: socket.id, reason }));
});

commands(
  (command) => {
    switch (command.cmd) {
      case "emit": {
        let op = io;
        for (const room of command.to ?? []) {
          op = op.to(room);
        }
        for (const room of command.except ?? []) {
          op = op.except(room);
        }
        if (command.volatile) {
          op = op.volatile;
        }
        op.emit(command.name, ...decode(command.args ?? []));
        out({ event: "emitted" });
        break;
      }
      case "direct":
        io.of("/").sockets.get(command.id).emit(command.name, ...decode(command.args ?? []));
        out({ event: "emitted" });
        break;
      case "close":
        io.of("/").sockets.get(command.id).conn.close();
        out({ event: "closed" });
        break;
      case "exit":
        exit(0);
        break;
      default:
        throw new Error(`unknown command ${command.cmd}`);
    }
  },
  () => exit(0),
);

httpServer.listen(opts.port ?? 0, "127.0.0.1", () => out({ event: "listening", port: httpServer.address().port }));
