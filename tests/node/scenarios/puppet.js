"use strict";
// Interactive: several named clients driven by JSON commands on stdin, one per line.
// Options: {"url","transports","clients":{"a":{"auth":{...},"namespace":"/x"}, ...},"timeoutMs"}.
// Prints every lifecycle observation of every client (see lib.connect, tagged with "client") and every
// event received: {"event":"received","client","name","args"}.
// Commands:
//   {"cmd":"emit","client":"a","name":"join","args":[...],"ack":true}  -> {"event":"ack","client","name","args"}
//   {"cmd":"disconnect","client":"a"}                                  -> the client's "disconnect" line
//   {"cmd":"drop","client":"a","stayAway":true}  closes the client's Engine.IO connection as a lost network would
//        (socket.io.engine.close()); with stayAway it does not reconnect until told -> the "disconnect" line
//   {"cmd":"reconnect","client":"a"}           after a drop with stayAway: reconnects by itself again, now
//   {"cmd":"quiet","ms":500}   waits ms, then -> {"event":"quiet","clients":{"a":{"connected","active"}}}
//   {"cmd":"exit"}             disconnects everyone and exits 0 (so does the end of stdin)
const readline = require("node:readline");
const { options, out, exit, guard, connect, encode, decode, finish } = require("./lib");

const opts = options();
guard(opts, () => "a command (the script's own timeout)");
const clients = {};
for (const [name, settings] of Object.entries(opts.clients)) {
  const socket = connect({ ...opts, ...settings }, name);
  socket.onAny((event, ...args) => out({ event: "received", client: name, name: event, args: encode(args) }));
  clients[name] = socket;
}

function stop() {
  finish(Object.values(clients), { event: "done" });
}

function run(command) {
  const socket = clients[command.client];
  switch (command.cmd) {
    case "emit": {
      const args = decode(command.args ?? []);
      if (command.ack) {
        socket.emit(command.name, ...args, (...answer) =>
          out({ event: "ack", client: command.client, name: command.name, args: encode(answer) }),
        );
      } else {
        socket.emit(command.name, ...args);
      }
      break;
    }
    case "disconnect":
      socket.disconnect();
      break;
    case "drop":
      if (command.stayAway) {
        socket.io.reconnection(false);
      }
      socket.io.engine.close();
      break;
    case "reconnect":
      socket.io.reconnection(true);
      socket.connect();
      break;
    case "quiet":
      setTimeout(() => {
        const state = Object.fromEntries(
          Object.entries(clients).map(([n, s]) => [n, { connected: s.connected, active: s.active }]),
        );
        out({ event: "quiet", clients: state });
      }, command.ms);
      break;
    case "exit":
      stop();
      break;
    default:
      out({ event: "error", message: `unknown command ${JSON.stringify(command)}` });
      exit(1);
  }
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() !== "") {
    run(JSON.parse(line));
  }
});
lines.on("close", stop);
