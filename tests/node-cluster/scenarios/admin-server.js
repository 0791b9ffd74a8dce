"use strict";
// The Node reference server instrumented by @socket.io/admin-ui 0.5.1 (`instrument(io, ...)`): the witness of
// the admin namespace's wire format. Options: {"auth"?: {"username","passwordHash"}, "readonly"?, "timeoutMs"?}.
// The application is the one the admin tests give the .NET server: a socket's auth "name" goes to its data in a
// middleware, every socket joins "general", and "hello" is answered with "welcome" (same arguments).
// Prints {"event":"listening","port"} when ready, then runs until {"cmd":"exit"} or the end of stdin.
const { createServer } = require("node:http");
const { Server } = require("socket.io");
const { instrument } = require("@socket.io/admin-ui");
const { options, out, exit, commands, guard } = require("./lib");

const opts = options();
guard(opts);

const httpServer = createServer();
const io = new Server(httpServer, { cors: { origin: "*" } });
io.use((socket, next) => {
  socket.data.name = socket.handshake.auth.name;
  next();
});
io.on("connection", (socket) => {
  socket.join("general");
  socket.on("hello", (...args) => socket.emit("welcome", ...args));
});
instrument(io, {
  auth: opts.auth ? { type: "basic", username: opts.auth.username, password: opts.auth.passwordHash } : false,
  readonly: opts.readonly ?? false,
  serverId: "witness",
  mode: "development",
});

httpServer.listen(0, "127.0.0.1", () => out({ event: "listening", port: httpServer.address().port }));
const stop = () => {
  io.close();
  exit(0);
};
commands((command) => command.cmd === "exit" && stop(), stop);
