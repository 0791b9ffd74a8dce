"use strict";
// socket.io-client 2.5.0 (Engine.IO 3, Socket.IO protocol 4) against the library's legacy-client host:
//   1. connects to "/" (2.x joins the main namespace without a CONNECT of its own) and prints the "hello"
//      the server emits on connection: {"event":"hello","args":[...]};
//   2. emits "echo" with opts.payload and an ack: {"event":"echo-ack","args":[...]};
//   3. emits "bin" with a Buffer inside and waits for "bin-back": {"event":"bin-back","args":[...]};
//   4. connects to "/custom?token=abc": {"event":"custom-auth","args":[...]};
//   5. connects to "/private", which middleware refuses: {"event":"private-error","data":...};
//   then prints {"event":"done","transport":...} and disconnects; exit code 0.
// opts: {url, transports, forceBase64, payload, timeoutMs}
const io = require("sio2");
const { options, out, guard, encode, exit } = require("./lib");

const opts = options();
let step = "connect";
guard(opts, () => step);
const common = { transports: opts.transports ?? ["polling", "websocket"], forceNew: true, forceBase64: !!opts.forceBase64, reconnection: false };
const url = opts.url.replace(/\/+$/, "");
const main = io(url, common);
main.on("error", (e) => out({ event: "error", data: encode(e) }));
main.on("connect_error", (e) => out({ event: "connect_error", message: String(e && e.message) }));
main.io.on("open", () => main.io.engine.on("upgrade", (t) => out({ event: "upgrade", transport: t.name })));

const next = (socket, name) => new Promise((resolve) => socket.once(name, (...args) => resolve(args)));

(async () => {
  const hello = await next(main, "hello");
  out({ event: "hello", args: encode(hello), id: main.id });

  step = "echo";
  const acked = await new Promise((resolve) => main.emit("echo", ...opts.payload, (...answer) => resolve(answer)));
  out({ event: "echo-ack", args: encode(acked) });

  step = "bin";
  const back = next(main, "bin-back");
  main.emit("bin", { note: "two buffers", first: Buffer.from([1, 2, 3]), more: [Buffer.from([255, 0])] });
  out({ event: "bin-back", args: encode(await back) });

  step = "custom";
  const custom = main.io.socket("/custom", { query: { token: "abc" } });
  const customAuth = await next(custom, "auth");
  out({ event: "custom-auth", args: encode(customAuth) });

  step = "private";
  const refused = main.io.socket("/private");
  const [data] = await next(refused, "error");
  out({ event: "private-error", data: encode(data) });

  step = "done";
  out({ event: "done", transport: main.io.engine.transport.name });
  main.io.engine.once("close", () => exit(0));
  main.disconnect();
  custom.disconnect();
  refused.disconnect();
})();
