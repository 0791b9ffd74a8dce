// A bare Socket.IO server on the reference implementation, for what a connection costs without an app:
// default options (heartbeats every 25 s), no per-connection state of its own, no lists. my_mssg is
// relayed to everyone as "message", so the harness's warm-up has something to measure.
const http = require("http");
const { Server } = require("socket.io");

const port = Number(process.env.PORT || 8000);
const host = process.env.HOST || "0.0.0.0";

const httpServer = http.createServer();
const io = new Server(httpServer);

io.on("connection", (socket) => {
  socket.on("my_mssg", (text) => io.emit("message", text));
});

httpServer.listen(port, host, () => {
  console.log(`bare node socket.io peer listening on ${host}:${port}`);
});
