"""The standalone file in Firefox: opened from file:// in headless Firefox with no network, it reaches ready and an
input change gives calculator.estimate's number.

Playwright drives only its own patched Firefox, which cannot be downloaded offline, so this test speaks WebDriver
BiDi (the W3C protocol Firefox serves with --remote-debugging-port) to Debian's firefox-esr over a websocket. It
skips where Firefox or the websockets package is missing (scripts/test.sh installs both where apt has Firefox).
"""

from __future__ import annotations

import time

import pytest

from bench.firefox import FIREFOX, firefox
from said import estimate

STATE = "[document.documentElement.getAttribute('data-state'), (window.__estimator || {}).failure || null]"
# how Python started: from the file's snapshot, or from scratch (and why)
BOOT = "[(window.__estimator.timings || {}).boot, (window.__estimator.timings || {}).snapshotFailure || null]"
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


def open_in_firefox(url: str, profile) -> tuple[list, object, object]:
    with firefox(profile) as (bidi, context):
        bidi.call("browsingContext.navigate", {"context": context, "url": url, "wait": "complete"})
        deadline = time.monotonic() + 90
        state = bidi.evaluate(context, STATE)
        while state[0] == "loading" and time.monotonic() < deadline:
            time.sleep(0.2)
            state = bidi.evaluate(context, STATE)
        changed = bidi.evaluate(context, CHANGE) if state[0] == "ready" else None
        boot = bidi.evaluate(context, BOOT) if state[0] == "ready" else None
        return state, changed, boot


@pytest.mark.skipif(FIREFOX is None, reason="no Firefox (apt-get install firefox-esr)")
def test_standalone_file_computes_offline_in_firefox(standalone_file, tmp_path):
    pytest.importorskip("websockets", reason="pip install -r requirements-dev.txt")
    state, changed, boot = open_in_firefox(standalone_file.as_uri(), tmp_path / "profile")
    assert state == ["ready", None], state
    assert boot == ["snapshot", None], boot  # the snapshot made in Node restores in Firefox too
    assert changed is not None and float(changed) == estimate(n_layer=24)["ms_per_iter"]
