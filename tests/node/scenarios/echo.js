"use strict";
// Against the conformance host: for each argument list in opts.payloads, emits "message" and waits for
// "message-back", then emits "message-with-ack" and waits for the acknowledgement. Prints
//   {"event":"message-back","sent":[...],"received":[...]}
//   {"event":"message-with-ack","sent":[...],"received":[...]}
// and {"event":"done","transport"}; exit code 0.
const { options, out, guard, connect, once, encode, decode, finish } = require("./lib");

const opts = options();
let step = "connect";
guard(opts, () => step);
const socket = connect(opts);

socket.once("connect", async () => {
  for (const [i, payload] of opts.payloads.entries()) {
    const args = decode(payload);
    step = `message-back #${i}`;
    const back = once(socket, "message-back");
    socket.emit("message", ...args);
    out({ event: "message-back", sent: encode(args), received: encode(await back) });

    step = `message-with-ack #${i}`;
    const acked = await new Promise((resolve) => socket.emit("message-with-ack", ...args, (...answer) => resolve(answer)));
    out({ event: "message-with-ack", sent: encode(args), received: encode(acked) });
  }
  finish([socket], { event: "done", transport: socket.io.engine.transport.name });
});
