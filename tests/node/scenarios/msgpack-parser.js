"use strict";
// Witness of the wire format of socket.io-msgpack-parser 3.0.2. Each case encodes a packet object with the
// parser's Encoder, or decodes hex with its Decoder, and prints one JSON line.
// Options: {"cases": [{"op": "encode", "packet": {...}} | {"op": "decode", "hex": "..."}]}. In packets, JSON
// stands for JavaScript values: {"$bin": base64} a Buffer, {"$arraybuffer": base64} an ArrayBuffer,
// {"$date": ms} a Date, {"$undefined": true} undefined; key order is kept.
const parser = require("socket.io-msgpack-parser");
const { options, out, exit, encode } = require("./lib");

function js(value) {
  if (Array.isArray(value)) {
    return value.map(js);
  }
  if (value !== null && typeof value === "object") {
    if (typeof value.$bin === "string") return Buffer.from(value.$bin, "base64");
    if (typeof value.$arraybuffer === "string") {
      const bytes = Buffer.from(value.$arraybuffer, "base64");
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    }
    if (typeof value.$date === "number") return new Date(value.$date);
    if (value.$undefined === true) return undefined;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, js(v)]));
  }
  return value;
}

for (const c of options().cases) {
  if (c.op === "encode") {
    const [bytes] = new parser.Encoder().encode(js(c.packet));
    out({ event: "result", hex: Buffer.from(bytes).toString("hex") });
  } else {
    const decoder = new parser.Decoder();
    let packet = null;
    let error = null;
    decoder.on("decoded", (p) => (packet = p));
    try {
      decoder.add(Buffer.from(c.hex, "hex"));
    } catch (e) {
      error = e.message;
    }
    out({ event: "result", error, packet: packet && { ...encode(packet), data: packet.data === undefined ? "$undefined" : encode(packet.data) } });
  }
}
exit(0);
