"""python-socketio against Hearth over websocket, long-polling, and polling upgraded to
websocket: connect with a token, user-join (ack), join a chat room (ack), and receive a
server event (chat:list after a read marker); a usage report shows in /api/usage while
the socket is connected. Prints one JSON object."""
import json
import os
import threading

import requests
import socketio

BASE, TOKEN, CHAT_ID = os.environ["BASE"], os.environ["TOKEN"], os.environ["CHAT_ID"]
results = {}
for name, transports in (("websocket", ["websocket"]), ("polling", ["polling"]), ("upgrade", ["polling", "websocket"])):
    sio = socketio.Client(reconnection=False)
    got = threading.Event()
    seen = []

    def on_events(data, seen=seen, got=got):
        seen.append(data)
        if data.get("data", {}).get("type") == "chat:list":
            got.set()

    sio.on("events", on_events)
    sio.connect(BASE, socketio_path="/ws/socket.io", transports=transports, auth={"token": TOKEN}, wait_timeout=10)
    joined = sio.call("user-join", {"auth": {"token": TOKEN}}, timeout=10)
    room = sio.call("events:chat", {"chat_id": CHAT_ID, "data": {"type": "join"}}, timeout=10)
    stranger = sio.call("events:chat", {"chat_id": "not-a-chat", "data": {"type": "join"}}, timeout=10)
    sio.emit("heartbeat", {})
    sio.emit("usage", {"model": "model-via-" + name})
    sio.emit("events:chat", {"chat_id": CHAT_ID, "data": {"type": "last_read_at"}})
    received = got.wait(10)
    usage = requests.get(BASE + "/api/usage", headers={"Authorization": "Bearer " + TOKEN}, timeout=10).json()
    results[name] = {
        "transport": sio.transport(),
        "sid": sio.get_sid(),
        "joined": joined,
        "room": room,
        "stranger": stranger,
        "received": received,
        "event": seen[-1] if seen else None,
        "usage": usage,
    }
    sio.disconnect()

results["usage_after"] = requests.get(BASE + "/api/usage", headers={"Authorization": "Bearer " + TOKEN}, timeout=10).json()

bad = socketio.Client(reconnection=False)
bad.connect(BASE, socketio_path="/ws/socket.io", transports=["websocket"], auth={"token": "not-a-token"}, wait_timeout=10)
results["bad_token_join"] = bad.call("user-join", {"auth": {"token": "not-a-token"}}, timeout=10)
bad.disconnect()
print(json.dumps(results))
