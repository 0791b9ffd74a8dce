"use strict";
// Binary both ways. On connect, emits "upload" with decode(opts.upload) (Buffers from {"$bin": base64})
// and an acknowledgement callback; meanwhile expects the server to emit "bin". Prints
//   {"event":"bin","args":[...],"buffers":[paths of Buffer values]}
//   {"event":"upload-ack","args":[...],"buffers":[...]}
// and {"event":"done","transport"} once both arrived; exit code 0. Binary values print as {"$bin","type"}.
const { options, out, guard, connect, once, encode, decode, finish } = require("./lib");

function buffers(value, path = "$", found = []) {
  if (Buffer.isBuffer(value)) {
    found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => buffers(v, `${path}[${i}]`, found));
  } else if (value !== null && typeof value === "object") {
    Object.entries(value).forEach(([k, v]) => buffers(v, `${path}.${k}`, found));
  }
  return found;
}

const opts = options();
let step = "connect";
guard(opts, () => step);
const socket = connect(opts);
const bin = once(socket, "bin");

socket.once("connect", async () => {
  const acked = new Promise((resolve) => socket.emit("upload", ...decode(opts.upload), (...answer) => resolve(answer)));
  step = "bin";
  const received = await bin;
  out({ event: "bin", args: encode(received), buffers: buffers(received) });
  step = "upload-ack";
  const answer = await acked;
  out({ event: "upload-ack", args: encode(answer), buffers: buffers(answer) });
  finish([socket], { event: "done", transport: socket.io.engine.transport.name });
});
