"""A small LSP client for tests and benchmarks: starts `newslint server` as a subprocess and
talks JSON-RPC to it over stdio with Content-Length framing, as an editor does.

Every wait has a timeout, so a server that hangs or dies fails the caller instead of hanging it.
It also applies the edits a server sends, counting positions in UTF-16 units as editors do.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TIMEOUT = 30.0  # seconds; generous for a loaded CI machine, short of a hung job


class ServerGone(AssertionError):
    """The server closed its output or did not answer in time."""


class Client:
    def __init__(self, cwd: Path, *args: str, env: dict[str, str] | None = None):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newslint", "server", *args],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        self.messages: queue.Queue[dict | None] = queue.Queue()
        self.notifications: list[dict] = []  # every notification received, in order
        self.stderr = b""
        self._next_id = 0
        self._write_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    # The wire.

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        try:
            while True:
                length = None
                while True:
                    header = stream.readline()
                    if not header:
                        return
                    if header in (b"\r\n", b"\n"):
                        break
                    name, _, value = header.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length is None:
                    return
                self.messages.put(json.loads(stream.read(length)))
        finally:
            self.messages.put(None)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr += line

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        with self._write_lock:
            assert self.process.stdin is not None
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _next(self, deadline: float) -> dict:
        try:
            message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise ServerGone(
                f"no message from the server in time; its stderr: {self.stderr.decode(errors='replace')}"
            ) from None
        if message is None:
            self.messages.put(None)  # stays closed for later calls
            raise ServerGone(f"the server closed its output; its stderr: {self.stderr.decode(errors='replace')}")
        if "method" in message and "id" in message:  # a request of the server's: accept it
            self.send({"id": message["id"], "result": None})
        elif "method" in message:
            self.notifications.append(message)
        return message

    # Requests and notifications.

    def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> Any:
        self._next_id += 1
        number = self._next_id
        self.send({"id": number, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline)
            if message.get("id") == number and "method" not in message:
                if "error" in message:
                    raise AssertionError(f"{method} failed: {message['error']}")
                return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def wait_for(
        self, method: str, matches: Callable[[dict], bool] = lambda params: True, timeout: float = TIMEOUT
    ) -> dict:
        """The params of the next notification `method` that `matches` (earlier ones included)."""
        for seen in self.notifications:
            if seen["method"] == method and matches(seen["params"]) and not seen.get("taken"):
                seen["taken"] = True
                return seen["params"]
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline)
            if message.get("method") == method and "id" not in message and matches(message["params"]):
                message["taken"] = True
                return message["params"]

    # An editor's session.

    def initialize(self, root: Path, position_encodings: list[str] | None = None, **capabilities: Any) -> dict:
        client_capabilities: dict[str, Any] = {
            "textDocument": {
                "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
                "codeAction": {"resolveSupport": {"properties": ["edit"]}},
            },
            "workspace": {
                "workspaceEdit": {"documentChanges": True},
                "didChangeWatchedFiles": {"dynamicRegistration": True},
            },
            **capabilities,
        }
        if position_encodings is not None:
            client_capabilities["general"] = {"positionEncodings": position_encodings}
        result = self.request(
            "initialize",
            {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": client_capabilities},
        )
        self.notify("initialized", {})
        return result

    def open(self, path: Path, text: str, version: int = 1, language: str = "plaintext") -> dict:
        """Open a document; its first diagnostics."""
        uri = path.as_uri()
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}},
        )
        return self.diagnostics(path, version)

    def change(self, path: Path, text: str, version: int) -> None:
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": path.as_uri(), "version": version}, "contentChanges": [{"text": text}]},
        )

    def diagnostics(self, path: Path, version: int | None = None, timeout: float = TIMEOUT) -> dict:
        """The next diagnostics published for `path` (for its `version`, if given)."""
        uri = path.as_uri()
        return self.wait_for(
            "textDocument/publishDiagnostics",
            lambda params: params["uri"] == uri and (version is None or params.get("version") == version),
            timeout,
        )

    def close(self) -> int:
        """Shut the server down as an editor does; its exit code."""
        try:
            if self.process.poll() is None:
                self.request("shutdown", None, timeout=10)
                self.notify("exit", None)
                return self.process.wait(timeout=10)
            return self.process.returncode
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


def apply_edit(text: str, edits: list[dict]) -> str:
    """`text` with LSP text edits applied (positions in UTF-16 units, lines split at LF, CRLF
    and CR as LSP splits them), as an editor applies them."""
    starts = [0]
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\r" and text[index + 1 : index + 2] == "\n":
            index += 1
        if char in "\r\n":
            starts.append(index + 1)
        index += 1

    def offset(position: dict) -> int:
        line = position["line"]
        if line >= len(starts):
            return len(text)
        start = starts[line]
        end = starts[line + 1] if line + 1 < len(starts) else len(text)
        units = 0
        for at in range(start, end):
            if units >= position["character"] or text[at] in "\r\n":
                return at
            units += 2 if ord(text[at]) > 0xFFFF else 1
        return end

    for edit in sorted(
        edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True
    ):
        text = text[: offset(edit["range"]["start"])] + edit["newText"] + text[offset(edit["range"]["end"]) :]
    return text


def edits_of(workspace_edit: dict, uri: str) -> list[dict]:
    """The text edits a WorkspaceEdit makes to `uri` (as documentChanges or changes)."""
    edits = []
    for change in workspace_edit.get("documentChanges") or []:
        if change["textDocument"]["uri"] == uri:
            edits.extend(change["edits"])
    edits.extend((workspace_edit.get("changes") or {}).get(uri, []))
    return edits
