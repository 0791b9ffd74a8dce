"""The original OpenChat stack (Flask + python-socketio + eventlet) with the same chat contract, for benchmarks.

Differences from a plain `eventlet.wsgi.server(eventlet.listen(...), app)`, so the stack rather than its
defaults is measured: no per-request access log, a listen backlog like Node's (511), and no cap of 1024
concurrent connections (eventlet.wsgi's default max_size).
"""
import os

import eventlet

eventlet.monkey_patch()

import socketio  # noqa: E402
from flask import Flask  # noqa: E402

sio = socketio.Server(async_mode="eventlet", cors_allowed_origins="*")
flask_app = Flask(__name__)
app = socketio.WSGIApp(sio, flask_app)
usernames = {}


@flask_app.route("/")
def home():
    return "OpenChat python peer"


@sio.event
def connect(sid, environ, auth=None):
    usernames[sid] = "Guest"
    sio.emit("usernames", list(usernames.values()))


@sio.event
def add_username(sid, name):
    usernames[sid] = name


@sio.event
def my_mssg(sid, data):
    sio.emit("message", f"{usernames.get(sid, 'Guest')}: {data}")


@sio.event
def disconnect(sid, *args):
    usernames.pop(sid, None)
    sio.emit("usernames", list(usernames.values()))


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    host = os.environ.get("HOST", "0.0.0.0")
    print(f"python socketio peer listening on {host}:{port}", flush=True)
    eventlet.wsgi.server(eventlet.listen((host, port), backlog=511), app, log_output=False, max_size=1_000_000)
