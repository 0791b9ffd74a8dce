"use strict";
// Shared helpers: one JSON argument (the options) in, one JSON object per line out, commands as JSON lines on
// stdin. Binary values are printed as {"$bin": base64} and read back the same way.
const readline = require("node:readline");

function options() {
  const raw = process.argv[2];
  if (!raw) {
    throw new Error("usage: node <script>.js '<json options>'");
  }
  return JSON.parse(raw);
}

function out(observation) {
  process.stdout.write(JSON.stringify(observation) + "\n");
}

function exit(code) {
  process.stdout.write("", () => process.exit(code));
}

function encode(value) {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    return { $bin: Buffer.from(value).toString("base64") };
  }
  if (value instanceof ArrayBuffer) {
    return { $bin: Buffer.from(value).toString("base64") };
  }
  if (Array.isArray(value)) {
    return value.map(encode);
  }
  if (typeof value === "function") {
    return { $function: true };
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  }
  return value;
}

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

/** Runs handle(command) for each JSON line on stdin; a failing command prints {"event":"error"}. */
function commands(handle, onEnd) {
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", async (line) => {
    if (line.trim() === "") {
      return;
    }
    const command = JSON.parse(line);
    try {
      await handle(command);
    } catch (err) {
      out({ event: "error", cmd: command.cmd, message: String(err && err.message ? err.message : err) });
    }
  });
  lines.on("close", onEnd);
}

/** Exits with code 2 after timeoutMs (default 60 s), so a forgotten process never outlives its test for long. */
function guard(opts) {
  const ms = opts.timeoutMs ?? 60000;
  setTimeout(() => {
    out({ event: "timeout", ms });
    exit(2);
  }, ms).unref();
}

module.exports = { options, out, exit, encode, decode, commands, guard };
