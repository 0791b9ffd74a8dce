"use strict";
// Shared helpers of the scenario scripts. Every script takes one JSON argument (the options) and prints
// one JSON object per line on stdout for each observation; binary values are printed as {"$bin": base64}.
const { io } = require("socket.io-client");

/** The io() of the client version a script was asked for: opts.client "3" is socket.io-client 3.1.3 (sio3). */
function ioFor(opts) {
  if (opts.client === "3") {
    const sio3 = require("sio3");
    return sio3.io ?? sio3;
  }
  return io;
}

function options() {
  const raw = process.argv[2];
  if (!raw) {
    throw new Error("usage: node <scenario>.js '<json options>'");
  }
  const opts = JSON.parse(raw);
  if (typeof opts.transports === "string") {
    opts.transports = opts.transports.split(",").map((t) => t.trim());
  }
  return opts;
}

function out(observation) {
  process.stdout.write(JSON.stringify(observation) + "\n");
}

function exit(code) {
  // Pipes may be asynchronous: exit only once everything printed so far is flushed.
  process.stdout.write("", () => process.exit(code));
}

/** Fails the script after timeoutMs (default 10 s): prints {"event":"timeout"} and exits with code 2. */
function guard(opts, what) {
  const ms = opts.timeoutMs ?? 10000;
  setTimeout(() => {
    out({ event: "timeout", ms, waitingFor: what ? what() : undefined });
    exit(2);
  }, ms);
}

/** JSON-friendly copy: Buffers and ArrayBuffers become {"$bin": base64, "type": ...}. */
function encode(value) {
  if (Buffer.isBuffer(value)) {
    return { $bin: value.toString("base64"), type: "Buffer" };
  }
  if (value instanceof ArrayBuffer) {
    return { $bin: Buffer.from(value).toString("base64"), type: "ArrayBuffer" };
  }
  if (Array.isArray(value)) {
    return value.map(encode);
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  }
  return value;
}

/** Inverse of encode: {"$bin": base64} becomes a Buffer. */
function decode(value) {
  if (Array.isArray(value)) {
    return value.map(decode);
  }
  if (value !== null && typeof value === "object") {
    if (typeof value.$bin === "string") {
      return Buffer.from(value.$bin, "base64");
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

/**
 * Creates a client for opts.url (+ opts.namespace) with opts.transports, opts.auth, opts.parser and
 * opts.extraHeaders (e.g. a cookie; Node sends them on every request, WebSocket included), fast reconnection,
 * its own connection unless opts.forceNew is false (then clients of the same URL share one), and any
 * further client options in opts.clientOptions (e.g. {"withCredentials": true} to keep cookies),
 * and prints its lifecycle: connect, connect_error, disconnect, upgrade, reconnect_attempt, reconnect.
 * Every observation carries the client name when one is given.
 */
function connect(opts, name, overrides) {
  const url = opts.url.replace(/\/+$/, "") + (opts.namespace ?? "");
  const tag = name === undefined ? {} : { client: name };
  const socket = ioFor(opts)(url, {
    // "msgpack" selects socket.io-msgpack-parser, for servers on the MessagePack parser.
    ...(opts.parser === "msgpack" ? { parser: require("socket.io-msgpack-parser") } : {}),
    transports: opts.transports ?? ["polling", "websocket"],
    auth: opts.auth,
    extraHeaders: opts.extraHeaders ?? undefined,
    forceNew: opts.forceNew ?? true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    randomizationFactor: 0,
    timeout: 5000,
    ...(opts.clientOptions ?? {}),
    ...overrides,
  });
  const transport = () => socket.io.engine?.transport?.name;
  socket.on("connect", () =>
    out({ event: "connect", ...tag, id: socket.id, nsp: socket.nsp, transport: transport(), recovered: socket.recovered === true }),
  );
  socket.on("connect_error", (err) =>
    out({ event: "connect_error", ...tag, message: err.message, data: err.data ?? null, active: socket.active }),
  );
  socket.on("disconnect", (reason) => out({ event: "disconnect", ...tag, reason, active: socket.active }));
  socket.io.on("reconnect_attempt", (attempt) => out({ event: "reconnect_attempt", ...tag, attempt }));
  socket.io.on("reconnect", (attempt) => out({ event: "reconnect", ...tag, attempt }));
  socket.io.on("open", () => {
    socket.io.engine.on("upgrade", (t) => out({ event: "upgrade", ...tag, transport: t.name }));
  });
  return socket;
}

/** Resolves once the client's transport is WebSocket (at once if it already is). */
function websocket(socket) {
  return new Promise((resolve) => {
    if (socket.io.engine.transport.name === "websocket") {
      resolve();
    } else {
      socket.io.engine.once("upgrade", () => resolve());
    }
  });
}

/**
 * Disconnects the clients, waits until their connections are closed (so a DISCONNECT packet is really on
 * its way, not lost with the process), prints the observation and exits with code 0.
 */
function finish(sockets, observation) {
  const engines = [...new Set(sockets.map((s) => s.io.engine))].filter((e) => e && e.readyState !== "closed");
  const closed = engines.map((e) => new Promise((resolve) => e.once("close", () => resolve())));
  sockets.forEach((s) => s.disconnect());
  Promise.all(closed).then(() => {
    out(observation);
    exit(0);
  });
}

/** Resolves with the next occurrence of an event (its arguments as an array). */
function once(socket, event) {
  return new Promise((resolve) => socket.once(event, (...args) => resolve(args)));
}

module.exports = { options, out, exit, guard, encode, decode, connect, websocket, once, finish };
