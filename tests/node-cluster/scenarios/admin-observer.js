"use strict";
// Drives an admin namespace the way the official Admin UI does (socket.io-client, auth {username, password}),
// against opts.url: the Node witness or the .NET server, which run the same application (see admin-server.js).
// Options: {"url", "auth"?: {"username","password"}, "timeoutMs"?}.
// Prints every event the admin socket receives as {"event":"admin","name","args"}, and the steps:
//   {"event":"connect_error","message"} (then exits 0) | {"event":"user","id"} once the user socket is connected
// Scenario: admin connects; gets config + all_sockets; a user "alice" connects over polling then WebSocket,
// says "hello"; the admin makes her join and leave "vip" and sends her a "notice" (the UI's join, leave and emit),
// then disconnects her with "_disconnect"; the script waits for server_stats and exits. Prints
//   {"event":"notice","args"} when the user gets the admin's emit.
const { io } = require("socket.io-client");
const { options, out, exit, guard } = require("./lib");

const opts = options();
let step = "admin connect";
guard(opts, () => step);
const base = opts.url.replace(/\/+$/, "");
const seen = new Map();
const waiters = [];

function waitFor(name, match = () => true) {
  const found = (seen.get(name) ?? []).find(match);
  if (found) {
    return Promise.resolve(found);
  }
  return new Promise((resolve) => waiters.push({ name, match, resolve }));
}

const admin = io(base + "/admin", { forceNew: true, reconnection: false, withCredentials: true, transports: ["polling", "websocket"], auth: opts.auth ?? {} });
admin.onAny((name, ...args) => {
  out({ event: "admin", name, args });
  seen.set(name, [...(seen.get(name) ?? []), args]);
  for (const w of waiters.filter((w) => w.name === name && w.match(args))) {
    waiters.splice(waiters.indexOf(w), 1);
    w.resolve(args);
  }
});
admin.on("connect_error", (err) => {
  out({ event: "connect_error", message: err.message });
  exit(0);
});

admin.once("connect", async () => {
  step = "config and all_sockets";
  await waitFor("config");
  await waitFor("all_sockets");
  step = "user connect";
  const user = io(base, { forceNew: true, reconnection: false, transports: ["polling", "websocket"], auth: { name: "alice" } });
  await new Promise((resolve) => user.once("connect", resolve));
  // The client forgets its id once disconnected: keep it.
  const id = user.id;
  out({ event: "user", id });
  step = "socket_connected and room_joined";
  await waitFor("socket_connected", (a) => a[0].id === id);
  await waitFor("room_joined", (a) => a[1] === "general" && a[2] === id);
  step = "upgrade";
  await waitFor("socket_updated", (a) => a[0].id === id && a[0].transport === "websocket");
  step = "welcome";
  const welcome = new Promise((resolve) => user.once("welcome", resolve));
  user.emit("hello", "hi", { n: 1 });
  await welcome;
  await waitFor("event_received", (a) => a[1] === id);
  await waitFor("event_sent", (a) => a[1] === id);
  step = "join";
  admin.emit("join", "/", "vip", id);
  await waitFor("room_joined", (a) => a[1] === "vip" && a[2] === id);
  step = "leave";
  admin.emit("leave", "/", "vip", id);
  await waitFor("room_left", (a) => a[1] === "vip" && a[2] === id);
  step = "emit";
  const notice = new Promise((resolve) => user.once("notice", (...args) => resolve(args)));
  admin.emit("emit", "/", id, "notice", "from the operator", { level: 2 });
  out({ event: "notice", args: await notice });
  step = "_disconnect";
  const gone = new Promise((resolve) => user.once("disconnect", resolve));
  admin.emit("_disconnect", "/", false, id);
  out({ event: "user-disconnect", reason: await gone });
  await waitFor("socket_disconnected", (a) => a[1] === id);
  step = "server_stats";
  await waitFor("server_stats");
  admin.disconnect();
  out({ event: "done" });
  exit(0);
});
