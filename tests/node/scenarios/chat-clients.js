"use strict";
// Interactive chat clients (the official socket.io-client), created and driven by JSON commands on stdin.
// Options: {"url","timeoutMs"}.
// Commands, one JSON object per line:
//   {"cmd":"connect","client":"a","auth":{...},"transports":["websocket"],"url"?:"...","namespace"?:"/x","ackWith"?:value,
//    "extraHeaders"?:{"cookie":"..."},"version"?:2}
//        a client as the seed page makes one (io(url): polling, then upgrade) unless told otherwise;
//        prints its lifecycle lines (see lib.connect) tagged with "client"; "url" overrides the script's
//        server; with "ackWith", every event the server sends with an ack callback is answered with it;
//        "extraHeaders" go with every request, as a browser sends its cookies;
//        version 2 makes it a socket.io-client 2.5.0 (Engine.IO 3), which has no auth
//   {"cmd":"emit","client":"a","name":"my_mssg","args":[...],"ack":true}
//        sends exactly args (an empty array sends the event without arguments);
//        with ack, prints {"event":"ack","client","name","args"} when answered
//   {"cmd":"disconnect","client":"a"}
//   {"cmd":"drop","client":"a","stayAway":true}  loses the connection as a network would (socket.io.engine.close());
//        with stayAway the client does not reconnect until told
//   {"cmd":"reconnect","client":"a"}             reconnects by itself again, now (with its pid and last offset)
//   {"cmd":"exit"}   disconnects everyone, prints {"event":"done"} and exits 0 (so does the end of stdin)
// Every event a client receives is printed as {"event":"received","client","name","args"}.
const readline = require("node:readline");
const { options, out, exit, guard, connect, encode, decode, finish } = require("./lib");
const sio2 = require("sio2");

const opts = options();
guard(opts, () => "a command (the script's own timeout)");
const clients = {};

function run(command) {
  switch (command.cmd) {
    case "connect": {
      if (command.version === 2) {
        clients[command.client] = connectV2(command);
        break;
      }
      const settings = {
        ...opts,
        url: command.url ?? opts.url,
        namespace: command.namespace ?? opts.namespace,
        auth: command.auth,
        transports: command.transports ?? opts.transports,
        extraHeaders: command.extraHeaders ?? undefined,
      };
      const socket = connect(settings, command.client);
      socket.onAny((event, ...args) => {
        // A server that asks for an acknowledgement gets command.ackWith, when the connect command gave one.
        const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
        out({ event: "received", client: command.client, name: event, args: encode(args) });
        if (ack && command.ackWith != null) {
          ack(decode(command.ackWith));
        }
      });
      clients[command.client] = socket;
      break;
    }
    case "emit": {
      const socket = clients[command.client];
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
      clients[command.client].disconnect();
      break;
    case "drop":
      if (command.stayAway) {
        clients[command.client].io.reconnection(false);
      }
      clients[command.client].io.engine.close();
      break;
    case "reconnect":
      clients[command.client].io.reconnection(true);
      clients[command.client].connect();
      break;
    case "exit":
      finish(Object.values(clients), { event: "done" });
      break;
    default:
      out({ event: "error", message: `unknown command ${JSON.stringify(command)}` });
      exit(1);
  }
}

/** A socket.io-client 2.5.0 socket printing the same lines as lib.connect and every event it receives. */
function connectV2(command) {
  const tag = { client: command.client };
  const socket = sio2((command.url ?? opts.url).replace(/\/+$/, ""), {
    transports: command.transports ?? opts.transports ?? ["polling", "websocket"],
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    randomizationFactor: 0,
  });
  const transport = () => socket.io.engine?.transport?.name;
  socket.on("connect", () => out({ event: "connect", ...tag, id: socket.id, nsp: socket.nsp, transport: transport() }));
  socket.on("error", (data) => out({ event: "connect_error", ...tag, data: encode(data) }));
  socket.on("disconnect", (reason) => out({ event: "disconnect", ...tag, reason }));
  socket.on("reconnect_attempt", (attempt) => out({ event: "reconnect_attempt", ...tag, attempt }));
  socket.io.on("open", () => socket.io.engine.on("upgrade", (t) => out({ event: "upgrade", ...tag, transport: t.name })));
  // 2.x has no onAny: every event passes through onevent.
  const onevent = socket.onevent;
  socket.onevent = function (packet) {
    const [name, ...args] = packet.data || [];
    out({ event: "received", ...tag, name, args: encode(args) });
    onevent.call(this, packet);
  };
  return socket;
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() !== "") {
    run(JSON.parse(line));
  }
});
lines.on("close", () => finish(Object.values(clients), { event: "done" }));
