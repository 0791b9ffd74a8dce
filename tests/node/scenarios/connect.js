"use strict";
// Connects one client to opts.url + opts.namespace with opts.auth over opts.transports, then prints:
//   {"event":"connect","id","nsp","transport"}   or   {"event":"connect_error","message","data","active"}
//   {"event":"auth","auth"}                       the server's "auth" echo of the handshake auth
//   {"event":"whoami",...}                        (opts.whoami) the server's answer to "whoami", once on WebSocket if waited for
//   {"event":"done","transport"}                  after disconnecting; exit code 0
// opts.waitForWebSocket: wait for the upgrade before finishing. A refused connection ends the script with
// "done" as well, once the client has given up (socket.active false).
const { options, out, exit, guard, connect, websocket, once, finish } = require("./lib");

const opts = options();
let step = "connect";
guard(opts, () => step);
const socket = connect(opts);
const auth = once(socket, "auth");

socket.on("connect_error", () => {
  if (!socket.active) {
    out({ event: "done", transport: null });
    exit(0);
  }
});

socket.once("connect", async () => {
  step = "auth";
  const [echo] = await auth;
  out({ event: "auth", auth: echo });
  if (opts.waitForWebSocket) {
    step = "upgrade";
    await websocket(socket);
  }
  if (opts.whoami) {
    step = "whoami";
    const info = await new Promise((resolve) => socket.emit("whoami", (answer) => resolve(answer)));
    out({ event: "whoami", ...info });
  }
  finish([socket], { event: "done", transport: socket.io.engine.transport.name });
});
