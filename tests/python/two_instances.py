"""Two Hearth instances sharing a database and Redis, driven like the web client.
PHASE=cross: a socket on B receives the answer streamed by a task on A, and a stop sent to B
cancels a task running on A. PHASE=alone (Redis down): each instance still serves its own
sockets and HTTP. Prints one JSON object."""
import json
import os
import threading
import time
import uuid

import requests
import socketio

A, B, TOKEN = os.environ["BASE_A"], os.environ["BASE_B"], os.environ["TOKEN"]
PHASE = os.environ["PHASE"]
WAIT = float(os.environ.get("WAIT_SECONDS", "20"))
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


class Listener:
    def __init__(self, base):
        self.lock = threading.Lock()
        self.events = []
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("events", self.on_event)
        self.sio.connect(base, socketio_path="/ws/socket.io", transports=["websocket"], auth={"token": TOKEN}, wait_timeout=10)
        self.sio.call("user-join", {"auth": {"token": TOKEN}}, timeout=10)

    def on_event(self, data):
        with self.lock:
            self.events.append(data)

    def wait(self, kind, predicate=lambda d: True, seconds=WAIT, message_id=None):
        deadline = time.time() + seconds
        while time.time() < deadline:
            with self.lock:
                for event in self.events:
                    if message_id and event.get("message_id") != message_id:
                        continue
                    if event["data"]["type"] == kind and predicate(event["data"]["data"]):
                        return event
            time.sleep(0.05)
        return None


def send(base, session_id, model, chat_id=None, parent=None):
    user_id, assistant_id = str(uuid.uuid4()), str(uuid.uuid4())
    body = {
        "stream": True, "model": model, "messages": [], "params": {}, "session_id": session_id,
        "id": assistant_id, "message_ids": [{"model_id": model, "message_id": assistant_id}],
        "parent_id": parent,
        "user_message": {"id": user_id, "parentId": parent, "childrenIds": [], "role": "user", "content": "hello"},
    }
    if chat_id:
        body["chat_id"] = chat_id
    started = requests.post(f"{base}/api/chat/completions", json=body, headers=HEADERS, timeout=10).json()
    return started, assistant_id


out = {}
if PHASE in ("cross", "retry"):
    on_b = Listener(B)
    started, answer = send(A, on_b.sio.get_sid(), "echo")
    done = on_b.wait("chat:completion", lambda d: d.get("done") is True)
    out["streamed"] = {"started": started, "done": done}
    chat_id = started["chat_id"]
    started, stalled = send(A, on_b.sio.get_sid(), "stall", chat_id=chat_id, parent=answer)
    first = on_b.wait("chat:completion", lambda d: "content" in d and not d.get("done"), message_id=stalled)
    seen_on_b = requests.get(f"{B}/api/tasks/chat/{chat_id}", headers=HEADERS, timeout=10).json()
    stopped = requests.post(f"{B}/api/tasks/chat/{chat_id}/stop", headers=HEADERS, timeout=10).json()
    cancel = on_b.wait("chat:tasks:cancel", message_id=stalled)
    on_b.wait("chat:active", lambda d: d.get("active") is False, message_id=stalled)
    chat = requests.get(f"{B}/api/v1/chats/{chat_id}", headers=HEADERS, timeout=10).json()
    out["stop"] = {"started": started, "first": first, "seen_on_b": seen_on_b, "stopped": stopped,
                   "cancel": cancel, "message": chat["chat"]["history"]["messages"].get(stalled)}
    on_b.sio.disconnect()
else:
    results = {}
    for name, base in (("a", A), ("b", B)):
        t0 = time.time()
        listener = Listener(base)
        t1 = time.time()
        started, answer = send(base, listener.sio.get_sid(), "echo")
        t2 = time.time()
        done = listener.wait("chat:completion", lambda d: d.get("done") is True)
        t3 = time.time()
        health = requests.get(f"{base}/health", timeout=10)
        models = requests.get(f"{base}/api/models", headers=HEADERS, timeout=10)
        t4 = time.time()
        results[name] = {"started": started, "done": done, "health": health.status_code, "models": models.status_code,
                         "timings": [round(t1 - t0, 2), round(t2 - t1, 2), round(t3 - t2, 2), round(t4 - t3, 2)]}
        listener.sio.disconnect()
    out = results
print(json.dumps(out))
