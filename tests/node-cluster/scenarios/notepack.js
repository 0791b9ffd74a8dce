"use strict";
// notepack.io 3.0.1 (what @socket.io/redis-adapter encodes with) as a witness of bytes.
// Commands: {"cmd":"encode","id","value"} -> {"event":"encoded","id","hex"}  (value as JSON; {"$bin"} is a Buffer;
//           {"$number": "text"} is Number(text), for values JSON cannot carry such as -0; {"$date": ms} a Date;
//           {"$undefined": true} undefined)
//           {"cmd":"decode","id","hex"}   -> {"event":"decoded","id","value"} (Buffers as {"$bin"})
const notepack = require("notepack.io");
const { out, exit, encode, decode, commands } = require("./lib");

function revive(value) {
  if (Array.isArray(value)) {
    return value.map(revive);
  }
  if (value !== null && typeof value === "object") {
    if (typeof value.$number === "string") {
      return Number(value.$number);
    }
    if (typeof value.$date === "number") {
      return new Date(value.$date);
    }
    if (value.$undefined === true) {
      return undefined;
    }
    if (!Buffer.isBuffer(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
    }
  }
  return value;
}

commands(
  (command) => {
    switch (command.cmd) {
      case "encode":
        out({ event: "encoded", id: command.id, hex: notepack.encode(revive(decode(command.value))).toString("hex") });
        break;
      case "decode":
        out({ event: "decoded", id: command.id, value: encode(notepack.decode(Buffer.from(command.hex, "hex"))) });
        break;
      case "exit":
        exit(0);
        break;
      default:
        throw new Error(`unknown command ${command.cmd}`);
    }
  },
  () => exit(0),
);
out({ event: "ready" });
