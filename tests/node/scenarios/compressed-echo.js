"use strict";
// Large messages both ways with the official client. Emits "message" with opts.text and waits for
// "message-back"; prints {"event":"echo","length","equal"} and {"event":"done","transport","extensions"},
// where extensions are what the WebSocket negotiated (permessage-deflate, say); exit code 0.
const { options, out, guard, connect, once, finish } = require("./lib");

const opts = options();
let step = "connect";
guard(opts, () => step);
const socket = connect(opts);

socket.once("connect", async () => {
  step = "message-back";
  const back = once(socket, "message-back");
  socket.emit("message", opts.text);
  const [text] = await back;
  out({ event: "echo", length: text.length, equal: text === opts.text });
  const transport = socket.io.engine.transport;
  finish([socket], { event: "done", transport: transport.name, extensions: transport.ws ? transport.ws.extensions : null });
});
