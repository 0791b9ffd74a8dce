"use strict";
// A crowd of chat clients in one process (official socket.io-client, each with its own WebSocket
// connection): original clients c0..c<classic-1> and rich clients r0..r<rich-1> (auth {protocol: 2, name}).
// Each original client keeps its latest `usernames` list; each rich client keeps a sidebar built from
// `presence_snapshot` and `presence_delta`, and its `system` lines. Frames are counted per client.
// Options: {"url","classic","rich","timeoutMs"}.
// Commands, one JSON object per line:
//   {"cmd":"open"}   connects everyone at once; prints {"event":"opened","ids":{client: socket id}}
//   {"cmd":"await","length":200}                  waits until every connected client's list has that many users
//   {"cmd":"await","names":[...],"users":[{id,name}]}   waits until every list equals names exactly and
//        every sidebar holds exactly users; either way prints
//        {"event":"settled","classic":{c:{id,frames,names}},"rich":{r:{id,frames,sidebar,system}}}
//        and starts counting frames and system lines afresh; after withinMs (default 30 s) it prints
//        {"event":"timeout","waitingFor":{...who is behind...}} and exits 2
//   {"cmd":"rename","names":{"c3":"Ana",...}}     add_username with an ack each; prints {"event":"renamed","acks":{c:ack}}
//   {"cmd":"disconnect","clients":["c5",...]}     prints {"event":"disconnected","clients"}
//   {"cmd":"exit"}
const readline = require("node:readline");
const { options, out, exit, guard, connect, finish } = require("./lib");

const opts = options();
let waitingFor = "a command";
guard(opts, describe);

const classic = {};
const rich = {};
let pending = null;

function fresh(socket) {
  return { socket, frames: 0 };
}

function openAll() {
  const created = [];
  for (let i = 0; i < opts.classic; i++) {
    const state = fresh(null);
    state.names = [];
    state.socket = make(`c${i}`, undefined);
    state.socket.on("usernames", (names) => {
      state.frames++;
      state.names = names;
      check();
    });
    classic[`c${i}`] = state;
    created.push(state.socket);
  }
  for (let i = 0; i < (opts.rich ?? 0); i++) {
    const state = fresh(null);
    state.sidebar = new Map();
    state.system = [];
    // What arrived, in order, for the report of a client that falls behind.
    state.log = [];
    state.socket = make(`r${i}`, { protocol: 2, name: `Rich ${i}` });
    state.socket.on("presence_snapshot", (snapshot) => {
      state.frames++;
      state.log.push(`snapshot(${snapshot.users.length})`);
      state.sidebar = new Map(snapshot.users.map((u) => [u.id, u.name]));
      check();
    });
    state.socket.on("presence_delta", (delta) => {
      // The documented order, as the page applies it: joined, then renamed, then left.
      state.frames++;
      state.log.push(`delta(+${delta.joined.length} -${delta.left.length} ~${delta.renamed.length})`);
      delta.joined.forEach((u) => state.sidebar.set(u.id, u.name));
      delta.renamed.forEach((u) => state.sidebar.set(u.id, u.name));
      delta.left.forEach((id) => state.sidebar.delete(id));
      check();
    });
    state.socket.on("system", (line) => state.system.push({ kind: line.kind, text: line.text }));
    rich[`r${i}`] = state;
    created.push(state.socket);
  }
  let connected = 0;
  waitingFor = "every client to connect";
  created.forEach((socket) =>
    socket.once("connect", () => {
      if (++connected === created.length) {
        const ids = Object.fromEntries([...Object.entries(classic), ...Object.entries(rich)].map(([n, s]) => [n, s.socket.id]));
        out({ event: "opened", ids });
        waitingFor = "a command";
      }
    }),
  );
}

function make(name, auth) {
  // Two hundred handshakes on a small machine can take longer than the usual 5 s connect timeout.
  const socket = connect({ ...opts, auth, transports: ["websocket"], forceNew: true }, name, { timeout: 20000 });
  // Lifecycle lines of a crowd would drown the answers; only trouble is worth printing.
  socket.off("connect");
  return socket;
}

function describe() {
  if (pending === null) {
    return waitingFor;
  }
  const behind = [
    ...connectedOnly(classic)
      .filter(([, s]) => !matches(s, false))
      .map(([n, s]) => ({ client: n, id: s.socket.id, length: s.names.length, names: s.names.slice(0, 10) })),
    ...connectedOnly(rich)
      .filter(([, s]) => !matches(s, true))
      .map(([n, s]) => {
        const ids = [...Object.values(classic), ...Object.values(rich)].filter((c) => c.socket.connected).map((c) => c.socket.id);
        return {
          client: n,
          id: s.socket.id,
          size: s.sidebar.size,
          missing: ids.filter((id) => !s.sidebar.has(id)).length,
          extra: [...s.sidebar.keys()].filter((id) => !ids.includes(id)).length,
          frames: s.log.slice(0, 8),
        };
      }),
  ];
  return { waitingFor, behind: behind.length, first: behind.slice(0, 2) };
}

function sidebarOf(state) {
  return [...state.sidebar.entries()].map(([id, name]) => ({ id, name })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function matches(state, isRich) {
  if (pending.length !== undefined) {
    return (isRich ? state.sidebar.size : state.names.length) === pending.length;
  }
  if (isRich) {
    return JSON.stringify(sidebarOf(state)) === JSON.stringify(pending.users);
  }
  return JSON.stringify(state.names) === JSON.stringify(pending.names);
}

function connectedOnly(group) {
  return Object.entries(group).filter(([, s]) => s.socket.connected);
}

function check() {
  if (pending === null) {
    return;
  }
  const ready =
    connectedOnly(classic).every(([, s]) => matches(s, false)) && connectedOnly(rich).every(([, s]) => matches(s, true));
  if (!ready) {
    return;
  }
  pending = null;
  waitingFor = "a command";
  const report = {
    event: "settled",
    classic: Object.fromEntries(connectedOnly(classic).map(([n, s]) => [n, { id: s.socket.id, frames: s.frames, names: s.names }])),
    rich: Object.fromEntries(
      connectedOnly(rich).map(([n, s]) => [n, { id: s.socket.id, frames: s.frames, sidebar: sidebarOf(s), system: s.system }]),
    ),
  };
  [...Object.values(classic), ...Object.values(rich)].forEach((s) => {
    s.frames = 0;
    if (s.system) {
      s.system = [];
    }
  });
  out(report);
}

function run(command) {
  switch (command.cmd) {
    case "open":
      openAll();
      break;
    case "await": {
      const users = command.users ? [...command.users].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) : undefined;
      pending = { length: command.length, names: command.names, users };
      waitingFor = `every client to see ${JSON.stringify(command.length ?? "the expected users")}`;
      // Gives up before the test does, saying who is behind and what they hold.
      const started = pending;
      setTimeout(() => {
        if (pending === started) {
          out({ event: "timeout", ms: command.withinMs ?? 30000, waitingFor: describe() });
          exit(2);
        }
      }, command.withinMs ?? 30000);
      check();
      break;
    }
    case "rename": {
      const acks = {};
      const entries = Object.entries(command.names);
      entries.forEach(([client, name]) =>
        classic[client].socket.emit("add_username", name, (ack) => {
          acks[client] = ack;
          if (Object.keys(acks).length === entries.length) {
            out({ event: "renamed", acks });
          }
        }),
      );
      break;
    }
    case "disconnect":
      command.clients.forEach((client) => (classic[client] ?? rich[client]).socket.disconnect());
      out({ event: "disconnected", clients: command.clients });
      break;
    case "exit":
      stop();
      break;
    default:
      out({ event: "error", message: `unknown command ${JSON.stringify(command)}` });
      exit(1);
  }
}

function stop() {
  finish(
    [...Object.values(classic), ...Object.values(rich)].map((s) => s.socket),
    { event: "done" },
  );
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() !== "") {
    run(JSON.parse(line));
  }
});
lines.on("close", stop);
