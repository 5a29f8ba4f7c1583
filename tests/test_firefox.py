"""The standalone file in Firefox: opened from file:// in headless Firefox with no network, it reaches ready and an
input change gives calculator.estimate's number.

Playwright drives only its own patched Firefox, which cannot be downloaded offline, so this test speaks WebDriver
BiDi (the W3C protocol Firefox serves with --remote-debugging-port) to Debian's firefox-esr over a websocket. It
skips where Firefox or the websockets package is missing (scripts/test.sh installs both where apt has Firefox).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time

import pytest

from said import estimate

FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")
# The profile: every connection goes to a proxy that leads nowhere (port 9, discard) and DNS is off, so the page
# gets no network; BiDi only.
USER_JS = """user_pref("network.proxy.type", 1);
user_pref("network.proxy.http", "127.0.0.1");
user_pref("network.proxy.http_port", 9);
user_pref("network.proxy.ssl", "127.0.0.1");
user_pref("network.proxy.ssl_port", 9);
user_pref("network.dns.disabled", true);
user_pref("remote.active-protocols", 1);
"""
STATE = "[document.documentElement.getAttribute('data-state'), (window.__estimator || {}).failure || null]"
CHANGE = """(async () => {
  const el = document.querySelector('[name=n_layer]');
  const before = window.__estimator.calls;
  el.value = '24';
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
  for (let i = 0; i < 200 && !(window.__estimator.calls > before && window.__estimator.inflight === 0); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return document.querySelector('[data-output=ms_per_iter]').getAttribute('data-value');
})()"""


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_in_firefox(url: str, profile) -> tuple[list, object]:
    from websockets.sync.client import connect

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
            raise AssertionError("Firefox did not open its WebDriver BiDi port")
        with ws:
            bidi = Bidi(ws)
            bidi.call("session.new", {"capabilities": {}})
            context = bidi.call("browsingContext.getTree", {})["contexts"][0]["context"]
            bidi.call("browsingContext.navigate", {"context": context, "url": url, "wait": "complete"})
            deadline = time.monotonic() + 90
            state = bidi.evaluate(context, STATE)
            while state[0] == "loading" and time.monotonic() < deadline:
                time.sleep(0.2)
                state = bidi.evaluate(context, STATE)
            changed = bidi.evaluate(context, CHANGE) if state[0] == "ready" else None
            return state, changed
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.skipif(FIREFOX is None, reason="no Firefox (apt-get install firefox-esr)")
def test_standalone_file_computes_offline_in_firefox(standalone_file, tmp_path):
    pytest.importorskip("websockets", reason="pip install -r requirements-dev.txt")
    state, changed = open_in_firefox(standalone_file.as_uri(), tmp_path)
    assert state == ["ready", None], state
    assert changed is not None and float(changed) == estimate(n_layer=24)["ms_per_iter"]
