"use strict";
// Witness of the Engine.IO v3 wire format: engine.io-parser 2.2.1 (what Socket.IO 2.x clients use) encodes
// and decodes what the test asks and prints each result as one JSON line.
// Options: {"cases": [{"op": "encodePayload", "packets": [{"type": "message", "text": "hi"} | {"type": "message", "bin": base64}], "supportsBinary": bool}
//                   | {"op": "decodePayload", "body": base64, "binary": bool}
//                   | {"op": "encodePacket", "packet": {...}, "supportsBinary": bool}]}
const parser = require("engine.io-parser-v3");
const { options, out, exit } = require("./lib");

function packetOf(p) {
  return p.bin !== undefined ? { type: p.type, data: Buffer.from(p.bin, "base64") } : p.text !== undefined ? { type: p.type, data: p.text } : { type: p.type };
}

function plain(packet) {
  return Buffer.isBuffer(packet.data) ? { type: packet.type, bin: packet.data.toString("base64") } : { type: packet.type, text: packet.data };
}

function wire(data) {
  return typeof data === "string" ? { text: data, base64: Buffer.from(data, "utf8").toString("base64") } : { base64: data.toString("base64"), binary: true };
}

for (const c of options().cases) {
  if (c.op === "encodePayload") {
    parser.encodePayload(c.packets.map(packetOf), c.supportsBinary, (data) => out({ event: "result", ...wire(data) }));
  } else if (c.op === "encodePacket") {
    parser.encodePacket(packetOf(c.packet), c.supportsBinary, false, (data) => out({ event: "result", ...wire(data) }));
  } else if (c.op === "decodePayload") {
    const body = Buffer.from(c.body, "base64");
    const packets = [];
    let error = false;
    parser.decodePayload(c.binary ? body : body.toString("utf8"), (packet) => {
      if (packet.type === "error") {
        error = true;
        return false;
      }
      packets.push(plain(packet));
    });
    out({ event: "result", error, packets });
  }
}
exit(0);
