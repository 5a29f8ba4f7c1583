// "Paste your log": reads a pasted or dropped log (FileReader, locally: no network request ever carries it), hands
// it to the worker once (est.store), and shows calculator.web.analyze_log(text, query) for the form's scenario.
// Every number shown is Python's text; the log's own text only ever goes into the page as a textarea's value or
// with textContent, never as HTML. A log larger than cfg.logShownBytes is held here but not put into the textarea,
// so a multi-megabyte paste never makes the browser lay out megabytes of text.
(function () {
  "use strict";
  const doc = document;
  const est = window.__estimator;
  const byId = (id) => doc.getElementById(id);
  const box = byId("log-box");
  if (!box || !est.lib) return;
  const cfg = est.config;
  const ui = cfg.ui;
  const lib = est.lib;
  const area = byId("log-text");
  const dropZone = byId("log-drop");
  const fileInput = byId("log-file");
  const results = byId("log-results");
  const message = byId("log-message");
  const statusEl = byId("log-status");
  const large = byId("log-large");
  const verdictBox = byId("log-verdict");
  const logEls = Array.from(box.querySelectorAll("[data-log]"));
  const showEls = Array.from(box.querySelectorAll("[data-log-show-when]"));
  const hideEls = Array.from(box.querySelectorAll("[data-log-hide-when]"));
  const log = est.log = { calls: 0, inflight: 0, state: "empty", lastMs: null, analysis: null, errors: [], query: null,
    takeMs: null, storeMs: null, showMs: null };

  let text = "";  // the log the page holds (the textarea's value, or a large paste or file that is not shown)
  let version = 0;  // bumped whenever `text` changes
  let storedVersion = -1;  // the version the worker holds
  let seqNo = 0;
  let timer = null;
  let waiting = false;  // asked before Python was ready

  function say(msg) {
    message.textContent = msg || "";
    message.hidden = !msg;
  }
  function firstLines(t) {
    return t.slice(0, 4000).split(/\r\n|\r|\n/).slice(0, 12).join("\n");
  }
  function take(t) {
    const t0 = performance.now();
    if (t.length > cfg.logMaxBytes) { say(ui.log_too_large); return; }
    say("");
    text = t;
    version += 1;
    if (t.length <= cfg.logShownBytes) {
      area.value = t;
      large.hidden = true;
    } else {
      area.value = "";
      byId("log-large-note").textContent = ui.log_large;
      byId("log-head").textContent = firstLines(t);
      large.hidden = false;
    }
    log.takeMs = performance.now() - t0;
    schedule(0);
  }
  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(analyse, delay);
  }

  // ---- input: typing, paste, drop, file picker ----
  area.addEventListener("input", (e) => {
    text = area.value;
    version += 1;
    large.hidden = true;
    say("");
    const quick = e.inputType === "insertFromPaste" || e.inputType === "insertFromDrop";
    schedule(quick ? 50 : 1200);  // typing waits for a pause: never one analysis per keystroke
  });
  area.addEventListener("paste", (e) => {
    const data = e.clipboardData;
    if (!data) return;
    const t = data.getData("text/plain");
    if (t.length > cfg.logShownBytes) {  // too large for the box: held, not shown
      e.preventDefault();
      take(t);
    }
  });
  function readFile(file) {
    if (!file) return;
    if (file.size > cfg.logMaxBytes) { say(ui.log_too_large); return; }
    const reader = new FileReader();
    reader.onload = () => take(typeof reader.result === "string" ? reader.result : "");
    reader.onerror = () => say(ui.log_unreadable);
    reader.readAsText(file);
  }
  const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes("Files");
  dropZone.addEventListener("dragover", (e) => {
    if (!hasFiles(e) && e.target === area) return;  // text dragged onto the box: the textarea takes it
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    dropZone.classList.add("dragging");
  });
  dropZone.addEventListener("dragleave", (e) => {
    if (!dropZone.contains(e.relatedTarget)) dropZone.classList.remove("dragging");
  });
  dropZone.addEventListener("drop", (e) => {
    dropZone.classList.remove("dragging");
    const files = e.dataTransfer && e.dataTransfer.files;
    if (files && files.length) {
      e.preventDefault();
      readFile(files[0]);
    } else if (e.target !== area && e.dataTransfer) {
      e.preventDefault();
      const t = e.dataTransfer.getData("text/plain");
      if (t) take(t);
    }
  });
  fileInput.addEventListener("change", () => {
    readFile(fileInput.files && fileInput.files[0]);
    fileInput.value = "";
  });
  byId("log-analyse").addEventListener("click", () => {
    if (!large.hidden && !area.value) { analyse(); return; }
    if (area.value !== text) { text = area.value; version += 1; }
    analyse();
  });
  byId("log-clear").addEventListener("click", () => {
    clearTimeout(timer);
    seqNo += 1;  // an analysis on its way is dropped
    text = "";
    version += 1;
    area.value = "";
    large.hidden = true;
    say("");
    showResults(null);
    log.state = "empty";
    if (est.state === "ready") { try { est.store("log", ""); storedVersion = version; } catch (e) { /* gone */ } }
    area.focus();
  });

  // ---- analysis ----
  async function analyse() {
    clearTimeout(timer);
    if (!text.trim()) { showResults(null); log.state = "empty"; return; }
    if (est.state !== "ready") {
      if (est.state === "unavailable") say(ui.log_unavailable);
      else { waiting = true; statusEl.textContent = ui.log_waiting; }
      return;
    }
    waiting = false;
    const mine = ++seqNo;
    const query = est.query || "";
    const t0 = performance.now();
    log.inflight += 1;
    log.state = "analysing";
    if (est.charts && est.charts.warm) est.charts.warm();
    statusEl.textContent = ui.log_analysing;
    box.setAttribute("aria-busy", "true");
    try {
      if (storedVersion !== version) {  // the text crosses to the worker once per change
        const tStore = performance.now();
        est.store("log", text);
        storedVersion = version;
        log.storeMs = performance.now() - tStore;
      }
      const reply = await est.call("analyze_log", { ref: "log" }, query, cfg.lang);
      if (mine !== seqNo) return;  // a newer text or scenario is on its way
      const tShow = performance.now();
      const answer = JSON.parse(reply);
      log.query = query;
      showResults(answer);
      log.showMs = performance.now() - tShow;  // the main thread's share: parsing and showing the answer
      log.calls += 1;
      log.lastMs = performance.now() - t0;
      log.state = "done";
    } catch (err) {
      if (mine === seqNo) {
        say(ui.log_failed + " " + String(err && err.message || err));
        log.state = "error";
      }
    } finally {
      log.inflight -= 1;
      if (mine === seqNo) {
        statusEl.textContent = "";
        box.removeAttribute("aria-busy");
      }
    }
  }

  // ---- results ----
  function fillLog(a) {
    for (const el of logEls) {
      const path = el.getAttribute("data-log");
      const value = lib.resolve(a, path);
      // Lists (the excluded iterations) are shown by their count: their items never go into an attribute.
      if (Array.isArray(value)) el.setAttribute("data-count", String(value.length));
      else el.setAttribute("data-value", JSON.stringify(value));
      const shownValue = Array.isArray(value) ? value.length : value;
      el.textContent = lib.outputText(a, path, shownValue, el.getAttribute("data-text"));
    }
    for (const el of showEls) el.hidden = !lib.shown(a, el.getAttribute("data-log-show-when"));
    for (const el of hideEls) el.hidden = lib.shown(a, el.getAttribute("data-log-hide-when"));
    verdictBox.setAttribute("data-verdict", typeof a.verdict === "string" ? a.verdict : "");
  }
  const li = (parts) => {
    const item = doc.createElement("li");
    item.append(...parts);
    return item;
  };
  const strong = (t) => { const s = doc.createElement("strong"); s.textContent = t; return s; };
  function iterationList(items, limit) {
    const shown = items.slice(0, limit).map((e) => (Number.isInteger(e.iteration) ? String(e.iteration)
      : ui.line + " " + String(e.line_no)));
    return shown.join(", ") + (items.length > limit ? ", … " + ui.and_more : "");
  }
  const count = (n) => String(n) + " " + (n === 1 ? ui.iteration : ui.iterations);
  function excludedList(a) {
    const byReason = new Map();
    for (const e of a.excluded || []) {
      if (!byReason.has(e.reason)) byReason.set(e.reason, []);
      byReason.get(e.reason).push(e);
    }
    const items = Array.from(byReason, ([reason, es]) => {
      const swatch = doc.createElement("span");
      swatch.className = "swatch swatch-" + (cfg.logReasons[reason] || "other");
      swatch.setAttribute("aria-hidden", "true");
      const said = (a.reason_text && a.reason_text[reason]) || reason;  // Python's words for it, in the page's language
      return li([swatch, strong(said), " — " + count(es.length) + ": " + iterationList(es, 12)]);
    });
    byId("log-excluded").replaceChildren(...(items.length ? items : [li([ui.log_excluded_none])]));
  }
  function seriesTable(a) {
    const rows = [];
    const cell = (tag, t) => {
      const c = doc.createElement(tag);
      c.textContent = t;
      if (tag === "th") c.scope = "row";
      return c;
    };
    const series = a.series || [];
    const kept = series.filter((p) => p.excluded === null || p.excluded === undefined);
    if (kept.length) {
      const tr = doc.createElement("tr");
      const range = String(kept[0].iteration) + "–" + String(kept[kept.length - 1].iteration);
      tr.append(cell("th", cfg.charts.log_series.kept), cell("td", String(a.kept)),
        cell("td", range + (a.text && a.text.steady_ms_per_iter
          ? "; " + ui.median + " " + a.text.steady_ms_per_iter : "")));
      rows.push(tr);
    }
    const byKind = new Map();
    for (const e of a.excluded || []) {
      const kind = cfg.logReasons[e.reason] || "other";
      if (!byKind.has(kind)) byKind.set(kind, []);
      byKind.get(kind).push(e);
    }
    for (const [kind, es] of byKind) {
      const tr = doc.createElement("tr");
      tr.append(cell("th", cfg.charts.log_series[kind]), cell("td", String(es.length)),
        cell("td", iterationList(es, 20)));
      rows.push(tr);
    }
    byId("log-series-rows").replaceChildren(...rows);
  }
  function showResults(answer) {
    const errors = byId("log-errors");
    if (!answer) {
      results.hidden = true;
      log.analysis = null;
      if (est.charts) est.charts.setLog(null);
      return;
    }
    log.errors = answer.errors || [];
    errors.replaceChildren(...log.errors.map((err) => li([err.message])));
    errors.hidden = !log.errors.length;
    const a = answer.analysis;
    log.analysis = a;
    if (!answer.ok || !a) {
      say(ui.log_failed + " " + log.errors.map((e) => e.message).join(" "));
      results.hidden = true;
      if (est.charts) est.charts.setLog(null);
      return;
    }
    fillLog(a);
    excludedList(a);
    seriesTable(a);
    results.hidden = false;
    if (est.charts) {
      const counts = { kept: a.kept };
      for (const e of a.excluded || []) {
        const kind = cfg.logReasons[e.reason] || "other";
        counts[kind] = (counts[kind] || 0) + 1;
      }
      est.charts.setLog(a.series, counts);
    }
  }

  // ---- following the page: Python's arrival, and the scenario the log is judged against ----
  doc.addEventListener("estimator:ready", () => {
    statusEl.textContent = "";
    if (waiting || text.trim()) schedule(0);
  });
  doc.addEventListener("estimator:unavailable", () => {
    statusEl.textContent = "";
    if (text.trim() || waiting) say(ui.log_unavailable);
  });
  doc.addEventListener("estimator:result", (event) => {
    if (log.query !== null && text.trim() && event.detail.query !== log.query) schedule(300);
  });
})();
