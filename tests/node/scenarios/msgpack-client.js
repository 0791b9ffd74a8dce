"use strict";
// The official client (socket.io-client 4.8.1) with socket.io-msgpack-parser against a server that uses the
// MessagePack parser. Prints, in order:
//   {"event":"connect",...} (lib.connect), then {"event":"hello","args":[...]} (what the server emits on connection);
//   {"event":"echo-ack","args":[...]} for "echo" emitted with opts.payload and an ack;
//   {"event":"bin-back","args":[...]} for "bin" emitted with Buffers inside;
//   {"event":"question-answered"} once the server's emit-with-ack "question" was answered with "42";
//   {"event":"private-error","message","data"} from "/private", which middleware refuses;
//   {"event":"done","transport"}; exit code 0.
// opts: {url, transports, auth, payload, timeoutMs}
const parser = require("socket.io-msgpack-parser");
const { options, out, guard, connect, once, encode, decode, finish } = require("./lib");

const opts = options();
let step = "connect";
guard(opts, () => step);
const socket = connect(opts, undefined, { parser });
const hello = once(socket, "hello");
socket.on("question", (text, ack) => {
  ack("42");
  out({ event: "question-answered", text });
});

socket.once("connect", async () => {
  step = "hello";
  out({ event: "hello", args: encode(await hello) });

  step = "echo";
  const acked = await new Promise((resolve) => socket.emit("echo", ...decode(opts.payload), (...answer) => resolve(answer)));
  out({ event: "echo-ack", args: encode(acked) });

  step = "bin";
  const back = once(socket, "bin-back");
  socket.emit("bin", { note: "two buffers", first: Buffer.from([1, 2, 3]), more: [Buffer.from([255, 0])] });
  out({ event: "bin-back", args: encode(await back) });

  step = "private";
  const refused = connect({ ...opts, namespace: "/private", forceNew: false }, "private", { parser });
  const error = await new Promise((resolve) => refused.once("connect_error", resolve));
  out({ event: "private-error", message: error.message, data: error.data ?? null });
  refused.disconnect();

  step = "done";
  finish([socket], { event: "done", transport: socket.io.engine.transport.name });
});
