"use strict";
// Acknowledgements both ways.
//  - client -> server: on connect, emits "ask" with opts.ask and a callback; prints {"event":"ask-ack","args"}.
//  - server -> client: answers "question" with opts.answer (an argument list); prints {"event":"question","args"}.
//  - never answers "ignored"; prints {"event":"ignored","args"}.
// Stays connected until the server emits "finish" (so the server can observe its own ack timeout), then
// prints {"event":"done"} and exits 0.
const { options, out, guard, connect, once, finish } = require("./lib");

const opts = options();
let step = "connect";
guard(opts, () => step);
const socket = connect(opts);
const finished = once(socket, "finish");

socket.on("question", (...args) => {
  const callback = args.pop();
  out({ event: "question", args });
  callback(...opts.answer);
});
socket.on("ignored", (...args) => {
  args.pop(); // the callback, deliberately never called
  out({ event: "ignored", args });
});

socket.once("connect", async () => {
  step = "ask-ack";
  const answer = await new Promise((resolve) => socket.emit("ask", ...opts.ask, (...a) => resolve(a)));
  out({ event: "ask-ack", args: answer });
  step = "finish";
  await finished;
  finish([socket], { event: "done" });
});
