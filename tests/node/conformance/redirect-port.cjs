// Preloaded (node --require) by the test that runs the official protocol suites. The suites are kept
// unmodified and reach their server at localhost:3000; this sends those connections to the port of the
// conformance host the test started (CONFORMANCE_PORT), so a test never needs a fixed port. Only the
// destination port changes: the requests, their Host header and every byte on the wire stay as written.
"use strict";
const net = require("node:net");

const target = Number(process.env.CONFORMANCE_PORT);
if (!Number.isInteger(target) || target <= 0) {
  throw new Error("CONFORMANCE_PORT must be the port of the conformance host");
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // http and ws call connect with normalized arguments ([options, callback]) or with (options, callback).
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === "object" && Number(first.port) === 3000) {
    first.port = target;
  } else if (Number(first) === 3000) {
    args[0] = target;
  }
  return connect.apply(this, args);
};
