// The page's glue: starts the calculator's worker, sends the form as JSON text, and writes Python's answers into
// every [data-output] element. Python validates and formats everything; this file never formats a number and only
// ever inserts text (textContent), never HTML.
(function () {
  "use strict";
  const doc = document;
  const root = doc.documentElement;
  const byId = (id) => doc.getElementById(id);
  const est = window.__estimator = window.__estimator || { longTasks: [] };
  const cfg = est.config;  // parsed once by head.js
  const ui = cfg.ui;
  Object.assign(est, { mode: "worker", readyMs: null, timings: null, calls: 0, lastCallMs: null, failure: null });

  const fields = Array.from(doc.querySelectorAll("[data-field]"));
  const fieldByName = new Map(fields.map((el) => [el.name, el]));
  const outputs = Array.from(doc.querySelectorAll("[data-output]"));
  const showWhen = Array.from(doc.querySelectorAll("[data-show-when]"));
  const verdicts = Array.from(doc.querySelectorAll("[data-verdict-from]"));
  const status = byId("status");
  const results = byId("results");
  // The other scripts (charts.js, log.js) follow the page through these events on document: estimator:result
  // (detail: {result, query}) after every rendered result, estimator:ready, estimator:unavailable, estimator:theme.
  function emit(name, detail) {
    doc.dispatchEvent(new CustomEvent("estimator:" + name, { detail }));
  }

  // ---- theme toggle (the head script already applied the remembered choice) ----
  const themeButton = byId("theme-toggle");
  const darkQuery = window.matchMedia("(prefers-color-scheme: dark)");
  function effectiveTheme() {
    return root.getAttribute("data-theme") || (darkQuery.matches ? "dark" : "light");
  }
  function labelThemeButton() {
    const next = effectiveTheme() === "dark" ? "light" : "dark";
    themeButton.setAttribute("aria-label", ui["theme_to_" + next]);
    themeButton.title = ui["theme_to_" + next];
    themeButton.setAttribute("aria-pressed", effectiveTheme() === "dark" ? "true" : "false");
  }
  themeButton.addEventListener("click", () => {
    const next = effectiveTheme() === "dark" ? "light" : "dark";
    root.setAttribute("data-theme", next);
    try { localStorage.setItem("estimator-theme", next); } catch (e) { /* not remembered */ }
    labelThemeButton();
    emit("theme", { theme: next });
  });
  darkQuery.addEventListener("change", () => {
    labelThemeButton();
    emit("theme", { theme: effectiveTheme() });
  });
  labelThemeButton();

  // ---- table of contents: collapsed on small screens, current section highlighted ----
  const toc = byId("toc");
  const narrow = window.matchMedia("(max-width: 60rem)");
  if (narrow.matches) toc.open = false;
  narrow.addEventListener("change", () => { toc.open = !narrow.matches; });
  toc.addEventListener("click", (e) => {
    if (e.target.closest("a") && narrow.matches) toc.open = false;
  });
  if ("IntersectionObserver" in window) {
    const links = new Map(Array.from(toc.querySelectorAll("a[href^='#']")).map((a) => [a.hash.slice(1), a]));
    const seen = new Set();
    const spy = new IntersectionObserver((entries) => {
      for (const e of entries) (e.isIntersecting ? seen.add(e.target.id) : seen.delete(e.target.id));
      let current = null;
      for (const id of links.keys()) if (seen.has(id)) { current = id; break; }
      if (!current) return;
      for (const [id, a] of links) {
        if (id === current) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
      }
    }, { rootMargin: "-10% 0px -70% 0px" });
    for (const id of links.keys()) { const s = byId(id); if (s) spy.observe(s); }
  }

  // ---- status ----
  function setState(state, text) {
    root.setAttribute("data-state", state);
    est.state = state;
    status.textContent = text;
    status.setAttribute("data-state", state);
  }

  // ---- rendering a result: the live-value rule, twin of sitebuild/live_values.py (the build's pre-rendering) ----
  function resolve(obj, path) {
    let v = obj;
    for (const key of path.split(".")) {
      if (v === null || typeof v !== "object" || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, key)) {
        return null;
      }
      v = v[key];
    }
    return v === undefined ? null : v;
  }
  // Python's text for a dotted key: result.text[key], else the "text" of the nearest object around it
  // ("claim.mfu" -> result.claim.text.mfu). sitebuild/live_values.py's python_text is the same rule.
  function pythonText(result, key) {
    const own = result && result.text;
    if (own && typeof own === "object" && typeof own[key] === "string" &&
        Object.prototype.hasOwnProperty.call(own, key)) return own[key];
    const parts = key.split(".");
    for (let i = parts.length - 1; i > 0; i--) {
      const holder = resolve(result, parts.slice(0, i).join("."));
      const rest = parts.slice(i).join(".");
      if (holder && typeof holder === "object" && holder.text && typeof holder.text === "object" &&
          Object.prototype.hasOwnProperty.call(holder.text, rest) && typeof holder.text[rest] === "string") {
        return holder.text[rest];
      }
    }
    return null;
  }
  function outputText(result, path, value, textKey) {
    if (value === null) return "";
    const text = pythonText(result, textKey || path);
    if (text !== null) return text;
    if (typeof value === "string") return value;
    if (typeof value === "boolean") return value ? "true" : "false";
    if (Number.isInteger(value)) return String(value);
    return "";  // a float without Python's text is never formatted here (the build refuses such placeholders)
  }
  function truthy(v) {
    return !(v === null || v === false || v === 0 || v === "" || (Array.isArray(v) && v.length === 0));
  }
  // data-show-when="a|b.c=value": shown when any term holds (sitebuild/live_values.py's shown()).
  function shown(result, spec) {
    return spec.split("|").some((term) => {
      const eq = term.indexOf("=");
      if (eq < 0) return truthy(resolve(result, term));
      return resolve(result, term.slice(0, eq)) === term.slice(eq + 1);
    });
  }
  // Fill every element of `elements` that carries `attr` (a path into `result`) with its value (data-value, as JSON)
  // and Python's text; log.js uses it for the analysis of a log (data-log).
  function fill(elements, attr, result) {
    for (const el of elements) {
      const path = el.getAttribute(attr);
      const value = resolve(result, path);
      el.setAttribute("data-value", JSON.stringify(value));
      if (el.getAttribute("data-render") === "list") {
        el.replaceChildren(...(Array.isArray(value) ? value : []).map((item) => {
          const li = doc.createElement("li");
          li.textContent = String(item);
          return li;
        }));
      } else {
        el.textContent = outputText(result, path, value, el.getAttribute("data-text"));
      }
    }
  }
  function render(result) {
    fill(outputs, "data-output", result);
    for (const el of showWhen) el.hidden = !shown(result, el.getAttribute("data-show-when"));
    for (const el of verdicts) {
      const v = resolve(result, el.getAttribute("data-verdict-from"));
      el.setAttribute("data-verdict", typeof v === "string" ? v : "");
    }
  }

  // ---- the form ----
  // A GPU name pasted as torch.cuda.get_device_name() prints it goes to Python in place of the list's choice;
  // Python finds the card (calculator/gpus.py), and the list is set to the id it answers with.
  const gpuName = doc.querySelector("[data-gpu-name]");
  function formValues() {
    const values = {};
    for (const el of fields) values[el.name] = el.type === "checkbox" ? (el.checked ? "true" : "false") : el.value;
    if (gpuName && gpuName.value.trim()) values.gpu = gpuName.value;
    return values;
  }
  function showCustom() {
    const custom = fieldByName.get("gpu").value === "custom";
    for (const el of doc.querySelectorAll("[data-custom]")) el.hidden = !custom;
  }
  // Fill the form from Python's answer to a link: strings and booleans from the canonical inputs, numbers as the
  // text Python wrote into the query (or the field's default text): JavaScript never turns a number into text.
  // Python's answers carry each field's text (state.form), a preset's sizes included; older answers do not.
  function fillForm(state) {
    const query = new URLSearchParams(state.query || "");
    const inputs = (state.result && state.result.inputs) || state.inputs || {};
    const texts = state.form && typeof state.form === "object" ? state.form : {};
    for (const el of fields) {
      const v = inputs[el.name];
      const text = texts[el.name];
      if (typeof text === "string") {
        if (el.type === "checkbox") el.checked = text === "true"; else el.value = text;
      } else if (el.type === "checkbox") el.checked = v === true;
      else if (typeof v === "string") el.value = v;
      else if (query.has(el.name)) el.value = query.get(el.name);
      else el.value = el.getAttribute("data-default");
    }
    showCustom();
    showParts(state.show);
  }
  // The optional parts of the form (the Llama fields, the Parallelism group): Python says which the inputs need
  // (calculator.web.show_parts), so nothing hidden holds a value other than its default.
  const parts = Array.from(doc.querySelectorAll("[data-part]"));
  function showParts(show) {
    if (!show || typeof show !== "object") return;
    for (const el of parts) el.hidden = show[el.getAttribute("data-part")] !== true;
  }
  function clearFieldErrors() {
    for (const el of fields) el.removeAttribute("aria-invalid");
    for (const p of doc.querySelectorAll("[data-error-for]")) { p.textContent = ""; p.hidden = true; }
    const general = byId("form-errors");
    general.replaceChildren();
    general.hidden = true;
  }
  function showFieldErrors(errors) {
    clearFieldErrors();
    const general = byId("form-errors");
    for (const err of errors || []) {
      const el = fieldByName.get(err.field);
      const p = el && doc.querySelector("[data-error-for='" + CSS.escape(err.field) + "']");
      if (p) {
        el.setAttribute("aria-invalid", "true");
        p.textContent = err.message;
        p.hidden = false;
      } else {
        const li = doc.createElement("li");
        li.textContent = err.message;
        general.append(li);
        general.hidden = false;
      }
    }
  }
  function showLinkErrors(errors) {
    const box = byId("link-messages");
    const list = byId("link-messages-list");
    list.replaceChildren(...(errors || []).map((err) => {
      const li = doc.createElement("li");
      li.textContent = err.message;
      return li;
    }));
    box.hidden = !(errors && errors.length);
  }

  // ---- the URL and the share link ----
  const shareInput = byId("share-url");
  let currentQuery = "";
  est.query = "";  // the current inputs' query string (the log analysis and the GPU chart use it)
  function pageUrl(query) {
    const url = new URL(location.href);
    url.search = query ? "?" + query : "";
    return url.href;
  }
  // history.replaceState forces a layout of the whole page it follows (~11 ms a change, measured by the benchmark),
  // so the address bar is updated once the inputs have been quiet for a moment; the share box updates at once, and
  // Copy link and leaving the page flush the pending update.
  let urlTimer = 0;
  function flushUrl() {
    clearTimeout(urlTimer);
    urlTimer = 0;
    const href = pageUrl(currentQuery);
    try {
      if (href !== location.href) history.replaceState(history.state, "", href);
    } catch (e) { /* some file:// setups refuse; the share box still has the link */ }
  }
  // The language switch (a link to the other language's page, beside this one) carries the same inputs.
  const langLinks = Array.from(doc.querySelectorAll("a[data-lang-switch]"));
  function setQuery(query) {
    currentQuery = query || "";
    est.query = currentQuery;
    shareInput.value = pageUrl(currentQuery);
    for (const a of langLinks) {
      a.search = currentQuery ? "?" + currentQuery : "";
    }
    clearTimeout(urlTimer);
    urlTimer = setTimeout(flushUrl, 250);
  }
  window.addEventListener("pagehide", flushUrl);
  byId("copy-link").addEventListener("click", async () => {
    flushUrl();
    const note = byId("copy-status");
    const href = shareInput.value || pageUrl(currentQuery);
    try {
      await navigator.clipboard.writeText(href);
      note.textContent = ui.copied;
    } catch (e) {
      shareInput.focus();
      shareInput.select();
      let ok = false;
      try { ok = doc.execCommand("copy"); } catch (e2) { ok = false; }
      note.textContent = ok ? ui.copied : ui.copy_manually;
    }
  });

  // ---- talking to the worker ----
  let worker = null;
  let seq = 0;
  const pending = new Map();
  // Call a function of calculator.web in the worker with string arguments; resolves to the text it returns.
  // An argument {ref: key} stands for a text stored in the worker beforehand with store(key, text): a large log
  // crosses to the worker once, however often it is analysed again.
  function call(fn, ...args) {
    return new Promise((resolveCall, rejectCall) => {
      if (!worker) { rejectCall(new Error("Python is not loaded")); return; }
      const id = ++seq;
      pending.set(id, { resolve: resolveCall, reject: rejectCall });
      const sent = args.map((a) => (a && typeof a === "object" && typeof a.ref === "string"
        ? { ref: a.ref } : String(a)));
      worker.postMessage({ type: MSG.CALL, id, fn, args: sent });
    });
  }
  function store(key, text) {
    if (!worker) throw new Error("Python is not loaded");
    worker.postMessage({ type: MSG.STORE, key: String(key), text: String(text) });
  }
  est.call = call;  // for the log analysis, the charts and the benchmark
  est.store = store;
  est.lib = { resolve, pythonText, outputText, truthy, shown, fill };
  let formSeq = 0;
  est.inflight = 0;  // recomputations on their way (tests wait for 0)
  // fn: from_form for an edit; pick_model (a preset picked) and apply_config (a pasted config.json, its text in
  // `before`) also answer the form's new texts, which fill the form.
  const configStatus = byId("config-status");
  async function recompute(fn = "from_form", ...before) {
    if (est.state !== "ready") return;
    const mine = ++formSeq;
    const t0 = performance.now();
    est.inflight += 1;
    try {
      const answer = JSON.parse(await call(fn, ...before, JSON.stringify(formValues()), cfg.lang));
      if (mine !== formSeq) return;  // a newer edit is on its way
      const usable = answer && typeof answer === "object" &&
        (!answer.ok || (answer.result && typeof answer.result === "object"));
      if (!usable) throw new Error("an answer without a result");
      if (fn !== "from_form" && answer.form) fillForm(answer);
      else if (answer.ok) showParts(answer.show);
      if (answer.config && configStatus) {
        configStatus.textContent = answer.config.ok ? answer.config.message
          : (answer.errors || []).map((err) => err.message).join(" ");
        configStatus.setAttribute("data-ok", answer.config.ok ? "true" : "false");
      }
      showFieldErrors(answer.config && !answer.config.ok ? [] : answer.errors);
      if (answer.ok) {
        render(answer.result);
        if (gpuName && gpuName.value.trim()) {  // the pasted name resolved: show which card it is
          fieldByName.get("gpu").value = answer.result.inputs.gpu;
          showCustom();
        }
        setQuery(answer.query);
        emit("result", { result: answer.result, query: answer.query || "" });
        results.classList.remove("stale");
        byId("stale-note").hidden = true;
      } else {
        results.classList.add("stale");
        byId("stale-note").hidden = false;
      }
      est.calls += 1;
      est.lastCallMs = performance.now() - t0;
    } catch (err) {
      // An unexpected failure (the worker's error, an unreadable answer): say so, and keep the previous results,
      // dimmed, as for a field in error; the next edit tries again.
      if (est.state === "ready" && mine === formSeq) {
        showFieldErrors([{ field: "form", message: ui.calc_failed + " " + String(err && err.message || err) }]);
        results.classList.add("stale");
        est.failedCalls = (est.failedCalls || 0) + 1;
        est.calls += 1;
      }
    } finally {
      est.inflight -= 1;
    }
  }
  const form = byId("calc");
  form.addEventListener("submit", (e) => e.preventDefault());
  for (const el of fields) {
    el.addEventListener(el.tagName === "SELECT" || el.type === "checkbox" ? "change" : "input", () => {
      if (el.name === "gpu") {
        if (gpuName) gpuName.value = "";  // a card picked from the list replaces a pasted name
        showCustom();
      }
      recompute(el.hasAttribute("data-picker") ? "pick_model" : "from_form");
    });
  }
  if (gpuName) gpuName.addEventListener("input", () => recompute());
  const configText = byId("config-json");
  if (configText) byId("config-apply").addEventListener("click", () => recompute("apply_config", configText.value));

  // ---- when Python cannot run ----
  function shellQuote(text) {
    return /^[A-Za-z0-9_.,:+\-]+$/.test(text) ? text : "'" + text.replace(/'/g, "'\\''") + "'";
  }
  function cliCommand() {
    const parts = ["python -m calculator"];
    const known = new Set(cfg.fields);
    for (const [k, v] of new URLSearchParams(location.search)) {
      if (known.has(k)) parts.push("--" + k + "=" + shellQuote(v));
    }
    return parts.join(" ");
  }
  let timer = null;
  function unavailable(reason) {
    if (est.state === "unavailable") return;
    clearTimeout(timer);
    if (worker) { worker.terminate(); worker = null; }
    for (const p of pending.values()) p.reject(new Error(reason));
    pending.clear();
    est.failure = reason;
    setState("unavailable", ui.status_unavailable);
    byId("unavailable-reason").textContent = reason;
    byId("cli-command").textContent = cliCommand();
    byId("unavailable").hidden = false;
    emit("unavailable", { reason });
  }
  function failureText(msg) {
    const where = msg.url || cfg.pyodide.url;
    if (msg.kind === "worker") return ui.fail_worker + " " + msg.message;
    if (msg.kind === "integrity") return ui.fail_integrity.replace("{url}", where);
    if (msg.kind === "network" || msg.kind === "http") {
      return ui.fail_network.replace("{url}", where) + (msg.message ? " (" + msg.message + ")" : "");
    }
    return ui.fail_error + " " + msg.message;
  }

  function ready(msg) {
    clearTimeout(timer);
    // Python started: the page is live whatever the link said. A link the calculator failed on is named among
    // the link's problems, and the pre-rendered (default) numbers stay.
    let state = { inputs: {}, query: "", errors: [], result: null };
    const problems = [];
    if (msg.initialError) problems.push({ field: "query", message: ui.calc_failed + " " + msg.initialError });
    try {
      const answer = JSON.parse(msg.initial);
      if (answer && typeof answer === "object") state = answer;
    } catch (err) {
      problems.push({ field: "query", message: ui.calc_failed + " " + String(err && err.message || err) });
    }
    state.errors = problems.concat(Array.isArray(state.errors) ? state.errors : []);
    fillForm(state);
    if (state.result && typeof state.result === "object") render(state.result);
    showLinkErrors(state.errors);
    setQuery(state.query);
    for (const fs of doc.querySelectorAll("fieldset[data-calc]")) fs.disabled = false;
    byId("pending-note").hidden = true;
    est.timings = msg.timings;
    est.readyMs = Math.round(performance.now());
    setState("ready", ui.status_ready);
    emit("ready", { result: state.result, query: state.query || "" });
    if (state.result) emit("result", { result: state.result, query: state.query || "" });
  }

  function onMessage(msg) {
    if (msg.type === MSG.READY) ready(msg);
    else if (msg.type === MSG.FAIL) unavailable(failureText(msg));
    else if (msg.type === MSG.RESULT) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (p) (msg.error ? p.reject(new Error(msg.error)) : p.resolve(msg.text));
    }
  }

  // The head script started the worker; hand it the package and take over its messages.
  function boot() {
    setState("loading", ui.status_loading);
    if (location.search.length > 1) byId("pending-note").hidden = false;
    if (est.bootError) {
      unavailable(est.bootError.kind === "file-vendored" ? ui.fail_file_vendored
        : ui.fail_worker + " " + est.bootError.message);
      return;
    }
    worker = est.worker;
    worker.onmessage = (event) => onMessage(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      unavailable(ui.fail_worker + " " + (event.message || ""));
    };
    const elapsed = performance.now() - (est.bootMs || 0);
    timer = setTimeout(() => unavailable(ui.fail_timeout), Math.max(0, cfg.timeoutMs - elapsed));
    // The standalone file also carries Pyodide's files (cfg.pyodide.inline: {file name: element id}) and the Python
    // snapshot (cfg.snapshot.inline: its element id).
    const pyodide = {};
    for (const [name, id] of Object.entries(cfg.pyodide.inline || {})) pyodide[name] = byId(id).textContent.trim();
    const snapshot = cfg.snapshot && cfg.snapshot.inline ? byId(cfg.snapshot.inline).textContent.trim() : null;
    const pkg = byId("calculator-package");  // absent when the package is a file beside the snapshot (cfg.package)
    worker.postMessage({ type: MSG.PACKAGE, pkg: pkg ? pkg.textContent.trim() : null, pyodide, snapshot });
    const early = est.inbox.splice(0);
    for (const msg of early) onMessage(msg);
  }
  boot();
})();
