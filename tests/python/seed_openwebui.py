"""Fills a running Open WebUI (or Hearth) through its HTTP API with the data the database
tests look for, and prints what a test needs to check it as JSON on stdout:
the admin's API key, every chat's id and title, the tagged, pinned, archived and shared chat.
Usage: seed_openwebui.py BASE_URL > facts.json"""
import json
import sys
import urllib.request

base = sys.argv[1].rstrip("/")


def call(method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


ada = call("POST", "/api/v1/auths/signup",
           body={"name": "Ada", "email": "ada@example.com", "password": "pw-ada-1"})
token = ada["token"]
call("POST", "/api/v1/auths/add", token,
     {"name": "Bob", "email": "bob@example.com", "password": "pw-bob-1", "role": "user"})
key = call("POST", "/api/v1/auths/api_key", token)["api_key"]
folder = call("POST", "/api/v1/folders/", token, {"name": "Projects ✓"})
chats = []
for i in range(6):
    chat = call("POST", "/api/v1/chats/new", token, {"chat": {
        "title": f"chat {i} «ü»",
        "models": ["fake-model"],
        "params": {"temperature": 0.5},
        "history": {"currentId": f"a{i}", "messages": {
            f"q{i}": {"id": f"q{i}", "role": "user", "content": f"question {i}",
                      "parentId": None, "childrenIds": [f"a{i}"], "timestamp": 1700000000 + i},
            f"a{i}": {"id": f"a{i}", "role": "assistant", "content": f"answer {i} 🔥",
                      "parentId": f"q{i}", "childrenIds": [], "model": "fake-model",
                      "timestamp": 1700000001 + i},
        }},
        "messages": [],
    }})
    chats.append({"id": chat["id"], "title": chat["title"]})
call("POST", f"/api/v1/chats/{chats[0]['id']}/tags", token, {"name": "Keep Me"})
call("POST", f"/api/v1/chats/{chats[1]['id']}/pin", token)
call("POST", f"/api/v1/chats/{chats[2]['id']}/archive", token)
call("POST", f"/api/v1/chats/{chats[3]['id']}/folder", token, {"folder_id": folder["id"]})
share = call("POST", f"/api/v1/chats/{chats[4]['id']}/share", token)
json.dump({
    "api_key": key,
    "chats": chats,
    "tagged": chats[0]["id"],
    "pinned": chats[1]["id"],
    "archived": chats[2]["id"],
    "in_folder": chats[3]["id"],
    "folder": folder["id"],
    "shared": chats[4]["id"],
    "share_id": share["share_id"] if "share_id" in share else share.get("id"),
}, sys.stdout, ensure_ascii=False, indent=1)
