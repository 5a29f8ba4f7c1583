"""Headless Firefox over WebDriver BiDi, for the benchmark and tests/test_firefox.py.

Playwright drives only its own patched Firefox, which cannot be downloaded offline, so this speaks WebDriver BiDi
(the W3C protocol Firefox serves with --remote-debugging-port) to Debian's firefox-esr over a websocket (the
websockets package, pinned in requirements-dev.txt). The profile sends every connection to a proxy that leads
nowhere (port 9, discard) and turns DNS off, so a page gets no network; loopback (127.0.0.1) is not proxied, so a
local server still answers.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")
USER_JS = """user_pref("network.proxy.type", 1);
user_pref("network.proxy.http", "127.0.0.1");
user_pref("network.proxy.http_port", 9);
user_pref("network.proxy.ssl", "127.0.0.1");
user_pref("network.proxy.ssl_port", 9);
user_pref("network.dns.disabled", true);
user_pref("remote.active-protocols", 1);
"""


class Bidi:
    def __init__(self, ws):
        self.ws, self.n = ws, 0

    def call(self, method: str, params: dict) -> dict:
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                if msg.get("type") == "error":
                    raise RuntimeError(f"{method}: {msg.get('error')}: {msg.get('message')}")
                return msg["result"]

    def evaluate(self, context: str, expression: str) -> object:
        got = self.call("script.evaluate", {"expression": expression, "target": {"context": context},
                                            "awaitPromise": True})
        if got.get("type") == "exception":
            raise RuntimeError(got["exceptionDetails"]["text"])
        value = got["result"]
        return [v.get("value") for v in value["value"]] if value["type"] == "array" else value.get("value")

    def evaluate_json(self, context: str, expression: str) -> object:
        """The value of `expression`, any JSON-able value (sent as JSON text)."""
        text = self.evaluate(context, f"JSON.stringify({expression})")
        return None if text is None else json.loads(text)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def version() -> str:
    if not FIREFOX:
        return ""
    p = subprocess.run([FIREFOX, "--version"], capture_output=True, text=True, timeout=30)
    return p.stdout.strip()


@contextmanager
def firefox(profile: Path, preload: str | None = None) -> Iterator[tuple[Bidi, str]]:
    """A fresh headless Firefox with the profile folder `profile` (emptied first): (session, browsing context).
    preload: a script run in every new document before the page's own (BiDi script.addPreloadScript)."""
    from websockets.sync.client import connect

    if not FIREFOX:
        raise RuntimeError("no Firefox (apt-get install firefox-esr)")
    shutil.rmtree(profile, ignore_errors=True)
    profile.mkdir(parents=True)
    port = free_port()
    (profile / "user.js").write_text(USER_JS, encoding="utf-8")
    proc = subprocess.Popen([FIREFOX, "--headless", "--no-remote", "--profile", str(profile),
                             f"--remote-debugging-port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                ws = connect(f"ws://127.0.0.1:{port}/session", max_size=None)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("Firefox did not open its WebDriver BiDi port")
        with ws:
            bidi = Bidi(ws)
            bidi.call("session.new", {"capabilities": {}})
            if preload:
                bidi.call("script.addPreloadScript", {"functionDeclaration": "() => {\n" + preload + "\n}"})
            context = bidi.call("browsingContext.getTree", {})["contexts"][0]["context"]
            yield bidi, context
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
