// The original chat contract on the reference Socket.IO server: every connection starts as "Guest",
// names are set with add_username, my_mssg is broadcast as "<name>: <text>", and the full list of names
// goes to everyone on every connect and disconnect.
const http = require("http");
const { Server } = require("socket.io");

const port = Number(process.env.PORT || 8000);
const host = process.env.HOST || "0.0.0.0";

const httpServer = http.createServer();
// Connection state recovery is on, as in OpenChat's app (Node's defaults: 2 minutes, middlewares skipped), so
// both servers keep every broadcast for returning clients and send its offset with it. @socket.io/redis-adapter
// cannot recover sessions, so an instance on Redis runs without it.
const io = new Server(httpServer, {
  cors: { origin: "*" },
  ...(process.env.REDIS_URL ? {} : { connectionStateRecovery: {} }),
});

// With REDIS_URL, this is one instance of several on @socket.io/redis-adapter (the fan-out through Redis).
if (process.env.REDIS_URL) {
  const { createClient } = require("redis");
  const { createAdapter } = require("@socket.io/redis-adapter");
  const pubClient = createClient({ url: process.env.REDIS_URL });
  const subClient = pubClient.duplicate();
  Promise.all([pubClient.connect(), subClient.connect()]).then(() => {
    io.adapter(createAdapter(pubClient, subClient));
    listen();
  });
} else {
  listen();
}
const users = {};

io.on("connection", (socket) => {
  users[socket.id] = "Guest";
  io.emit("usernames", Object.values(users));

  socket.on("add_username", (name) => {
    users[socket.id] = name;
  });

  socket.on("my_mssg", (text) => {
    io.emit("message", `${users[socket.id]}: ${text}`);
  });

  socket.on("disconnect", () => {
    delete users[socket.id];
    io.emit("usernames", Object.values(users));
  });
});

function listen() {
  httpServer.listen(port, host, () => {
    console.log(`node socket.io peer listening on ${host}:${port}`);
  });
}
