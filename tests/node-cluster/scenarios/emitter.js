"use strict";
// @socket.io/redis-emitter 5.1.0: emits to the clients of every server through Redis, from a process that is
// not a Socket.IO server. Options: {"redisUrl", "key"?}. Prints {"event":"ready"}.
// Commands: {"cmd":"emit","name","args","to"?,"except"?,"nsp"?}, {"cmd":"socketsJoin"|"socketsLeave","in"?,"rooms"},
// {"cmd":"disconnectSockets","in"?,"close"?}, {"cmd":"serverSideEmit","name","args"}; each prints {"event":"done"}.
const { createClient } = require("redis");
const { Emitter } = require("@socket.io/redis-emitter");
const { options, out, exit, decode, commands, guard } = require("./lib");

const opts = options();
guard(opts);

async function main() {
  const client = createClient({ url: opts.redisUrl });
  client.on("error", () => {});
  await client.connect();
  const root = new Emitter(client, { key: opts.key ?? "socket.io" });
  const select = (command) => {
    let op = command.nsp ? root.of(command.nsp) : root;
    for (const room of command.to ?? command.in ?? []) {
      op = op.to(room);
    }
    for (const room of command.except ?? []) {
      op = op.except(room);
    }
    return op;
  };
  commands(
    async (command) => {
      switch (command.cmd) {
        case "emit":
          select(command).emit(command.name, ...decode(command.args ?? []));
          break;
        case "socketsJoin":
          select(command).socketsJoin(command.rooms);
          break;
        case "socketsLeave":
          select(command).socketsLeave(command.rooms);
          break;
        case "disconnectSockets":
          select(command).disconnectSockets(command.close ?? false);
          break;
        case "serverSideEmit":
          root.serverSideEmit(command.name, ...decode(command.args ?? []));
          break;
        case "exit":
          await client.quit();
          exit(0);
          return;
        default:
          throw new Error(`unknown command ${command.cmd}`);
      }
      out({ event: "done", cmd: command.cmd });
    },
    () => exit(0),
  );
  out({ event: "ready" });
}

main().catch((err) => {
  out({ event: "error", message: String(err && err.stack ? err.stack : err) });
  exit(1);
});
