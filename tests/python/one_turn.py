"""One turn of the web client's send flow driven with python-socketio: a new chat with one
question to MODEL, answered in the background; collects the socket's events until the chat is
no longer active. Prints one JSON object: the start answer, every event and the stored chat."""
import json
import os
import threading
import time
import uuid

import requests
import socketio

BASE, TOKEN, MODEL = os.environ["BASE"], os.environ["TOKEN"], os.environ["MODEL"]
HEADERS = {"Authorization": f"Bearer {TOKEN}"}

lock = threading.Lock()
events = []
sio = socketio.Client(reconnection=False)
sio.on("events", lambda data: (lock.acquire(), events.append(data), lock.release()))
sio.connect(BASE, socketio_path="/ws/socket.io", transports=["websocket"], auth={"token": TOKEN}, wait_timeout=10)
sio.call("user-join", {"auth": {"token": TOKEN}}, timeout=10)

user_id, assistant_id = str(uuid.uuid4()), str(uuid.uuid4())
body = {
    "stream": True, "model": MODEL, "messages": [], "params": {}, "features": {}, "variables": {},
    "session_id": sio.get_sid(), "id": assistant_id,
    "message_ids": [{"model_id": MODEL, "message_id": assistant_id, "modelIdx": 0}],
    "parent_id": None,
    "user_message": {"id": user_id, "parentId": None, "childrenIds": [], "role": "user",
                     "content": "a question", "timestamp": int(time.time()), "models": [MODEL]},
}
started = requests.post(f"{BASE}/api/chat/completions", json=body, headers=HEADERS, timeout=10)
deadline = time.time() + 30
while time.time() < deadline:
    with lock:
        if any(e["data"]["type"] == "chat:active" and e["data"]["data"].get("active") is False for e in events):
            break
    time.sleep(0.05)
chat_id = started.json().get("chat_id")
chat = requests.get(f"{BASE}/api/v1/chats/{chat_id}", headers=HEADERS, timeout=10).json()
tasks = requests.get(f"{BASE}/api/tasks/chat/{chat_id}", headers=HEADERS, timeout=10).json()
with lock:
    seen = list(events)
print(json.dumps({"status": started.status_code, "started": started.json(), "events": seen,
                  "chat": chat, "tasks": tasks, "message_id": assistant_id}))
sio.disconnect()
