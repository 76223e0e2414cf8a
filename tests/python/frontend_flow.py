"""The web client's send-message flow driven with python-socketio: a new chat, a second turn
(history rebuilt by the server from the stored chat), a stopped answer, and a regenerated
answer. Prints one JSON object with what each phase returned, emitted and stored."""
import json
import os
import threading
import time
import uuid

import requests
import socketio

BASE, TOKEN = os.environ["BASE"], os.environ["TOKEN"]
MODEL, STALL = os.environ["MODEL"], os.environ["STALL_MODEL"]
HEADERS = {"Authorization": f"Bearer {TOKEN}"}

lock = threading.Lock()
events = []
sio = socketio.Client(reconnection=False)
sio.on("events", lambda data: (lock.acquire(), events.append(data), lock.release()))
sio.connect(BASE, socketio_path="/ws/socket.io", transports=["websocket"], auth={"token": TOKEN}, wait_timeout=10)
sio.call("user-join", {"auth": {"token": TOKEN}}, timeout=10)


def wait_for(kind, predicate=lambda data: True, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        with lock:
            for event in events:
                if event["data"]["type"] == kind and predicate(event["data"]["data"]):
                    return event
        time.sleep(0.05)
    return None


def send(chat_id, user_id, parent_id, content, assistant_id, model, tasks=None):
    with lock:
        events.clear()
    body = {
        "stream": True, "model": model, "messages": [], "params": {}, "features": {}, "variables": {},
        "session_id": sio.get_sid(), "id": assistant_id,
        "message_ids": [{"model_id": model, "message_id": assistant_id, "modelIdx": 0}],
        "parent_id": parent_id,
        "user_message": {"id": user_id, "parentId": parent_id, "childrenIds": [], "role": "user",
                         "content": content, "timestamp": int(time.time()), "models": [model]},
    }
    if chat_id:
        body["chat_id"] = chat_id
    if tasks:
        body["background_tasks"] = tasks
    response = requests.post(f"{BASE}/api/chat/completions", json=body, headers=HEADERS, timeout=10)
    return response.status_code, response.json()


def finished():
    return wait_for("chat:active", lambda data: data.get("active") is False)


def chat(chat_id):
    return requests.get(f"{BASE}/api/v1/chats/{chat_id}", headers=HEADERS, timeout=10).json()


def kinds():
    with lock:
        return [e["data"]["type"] for e in events]


out = {}
u1, a1 = str(uuid.uuid4()), str(uuid.uuid4())
status, started = send(None, u1, None, "first question", a1, MODEL, {"title_generation": True})
finished()
title = wait_for("chat:title")
chat_id = started.get("chat_id")
out["new"] = {"status": status, "started": started, "events": kinds(), "title": title,
              "done": wait_for("chat:completion", lambda d: d.get("done") is True), "chat": chat(chat_id)}

u2, a2 = str(uuid.uuid4()), str(uuid.uuid4())
status, started = send(chat_id, u2, a1, "second question", a2, MODEL)
finished()
out["second"] = {"status": status, "started": started, "events": kinds(), "chat": chat(chat_id)}

u3, a3 = str(uuid.uuid4()), str(uuid.uuid4())
status, started = send(chat_id, u3, a2, "stop me", a3, STALL)
first_delta = wait_for("chat:completion", lambda d: "content" in d and not d.get("done"))
running = requests.get(f"{BASE}/api/tasks/chat/{chat_id}", headers=HEADERS, timeout=10).json()
listed = requests.get(f"{BASE}/api/v1/chats/?page=1", headers=HEADERS, timeout=10).json()
stopped = requests.post(f"{BASE}/api/tasks/chat/{chat_id}/stop", headers=HEADERS, timeout=10).json()
finished()
out["stop"] = {"status": status, "started": started, "first_delta": first_delta, "running": running,
               "listed_active": [c["active"] for c in listed if c["id"] == chat_id],
               "stopped": stopped, "events": kinds(), "chat": chat(chat_id),
               "listed_after": [c["active"] for c in requests.get(f"{BASE}/api/v1/chats/?page=1", headers=HEADERS, timeout=10).json() if c["id"] == chat_id],
               "after": requests.get(f"{BASE}/api/tasks/chat/{chat_id}", headers=HEADERS, timeout=10).json()}

a4 = str(uuid.uuid4())
status, started = send(chat_id, u2, a1, "second question", a4, MODEL)
finished()
out["regenerate"] = {"status": status, "started": started, "events": kinds(), "chat": chat(chat_id)}

status, conflict = send(chat_id, u2, a1, "second question", a4, MODEL)
out["conflict"] = {"status": status, "body": conflict}

# A temporary chat: the history comes with the request, the answer streams, nothing is stored.
listed_before = len(requests.get(f"{BASE}/api/v1/chats/?page=1", headers=HEADERS, timeout=10).json())
with lock:
    events.clear()
temp_id, temp_answer = "temporary:" + sio.get_sid(), str(uuid.uuid4())
response = requests.post(f"{BASE}/api/chat/completions", headers=HEADERS, timeout=10, json={
    "stream": True, "model": MODEL, "params": {}, "features": {}, "variables": {},
    "messages": [{"role": "user", "content": "temporary question"}],
    "session_id": sio.get_sid(), "chat_id": temp_id, "id": temp_answer,
    "message_ids": [{"model_id": MODEL, "message_id": temp_answer, "modelIdx": 0}],
})
temp_done = wait_for("chat:completion", lambda d: d.get("done"))
deltas = "".join(e["data"]["data"].get("content", "") for e in events
                 if e["data"]["type"] == "chat:completion" and not e["data"]["data"].get("done"))
out["temporary"] = {"status": response.status_code, "started": response.json(), "done": temp_done,
                    "streamed": deltas, "chat_id": temp_id,
                    "listed_before": listed_before,
                    "listed_after": len(requests.get(f"{BASE}/api/v1/chats/?page=1", headers=HEADERS, timeout=10).json()),
                    "stored": requests.get(f"{BASE}/api/v1/chats/{temp_id}", headers=HEADERS, timeout=10).status_code}
sio.disconnect()
print(json.dumps(out))
