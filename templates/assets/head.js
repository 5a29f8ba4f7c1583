// Runs in <head> before the first paint: the remembered theme (so the toggle never flashes), a flag for CSS that
// JavaScript runs, the long-task observer the load measurements come from (window.__estimator.longTasks), and the
// calculator's worker, started here so Pyodide loads while the rest of the page is parsed. app.js, at the end of the
// body, sends the worker the calculator package and takes over its messages (kept in __estimator.inbox till then).
// The page's config (<script id="estimator-config">, written by build.py) is parsed here, once, and shared with the
// other scripts as __estimator.config. The message types (MSG) come from messages.js, inlined ahead of this file.
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  root.setAttribute("data-js", "on");
  try {
    var theme = localStorage.getItem("estimator-theme");
    if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);
  } catch (e) { /* storage blocked: follow prefers-color-scheme */ }
  var est = window.__estimator = { longTasks: [], state: "loading", inbox: [], worker: null, bootError: null };
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) {
        est.longTasks.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
      });
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { /* no Long Tasks API in this browser */ }
  try {
    var cfg = est.config = JSON.parse(doc.getElementById("estimator-config").textContent);
    var base = new URL(cfg.pyodide.url, doc.baseURI).href;
    est.pyodideUrl = base;
    if (location.protocol === "file:" && base.indexOf("file:") === 0) {
      // Pyodide vendored beside a page opened from disk: the browser blocks those fetches; app.js says so.
      est.bootError = { kind: "file-vendored", message: "" };
      return;
    }
    var source = doc.getElementById("worker-source").textContent;
    // A module worker from a blob: URL is refused on file:// pages (an opaque origin); a data: URL works there.
    var url = location.protocol === "file:"
      ? "data:text/javascript;charset=utf-8," + encodeURIComponent(source)
      : URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    var worker = new Worker(url, { type: "module", name: "calculator" });
    worker.onmessage = function (event) { est.inbox.push(event.data); };
    worker.onerror = function (event) {
      event.preventDefault();
      est.inbox.push({ type: MSG.FAIL, kind: "worker", message: event.message || "" });
    };
    worker.postMessage({
      type: MSG.INIT, base: base, files: cfg.pyodide.files, lock: cfg.pyodide.lock, query: location.search,
      lang: cfg.lang,
      inline: !!cfg.pyodide.inline,  // the standalone file: Pyodide's files come with the package (see app.js)
      // the Python snapshot, when the build made one: its URL (or, in the standalone file, its block) and hash
      snapshot: cfg.snapshot ? {
        url: cfg.snapshot.url ? new URL(cfg.snapshot.url, doc.baseURI).href : null,
        integrity: cfg.snapshot.integrity, inline: !!cfg.snapshot.inline,
      } : null,
      // the calculator package as a file beside the snapshot (else it comes in the page, with the PACKAGE message)
      package: cfg.package ? { url: new URL(cfg.package.url, doc.baseURI).href, integrity: cfg.package.integrity }
        : null,
    });
    est.worker = worker;
    est.bootMs = performance.now();
  } catch (e) {
    est.bootError = { kind: "worker", message: String(e && e.message || e) };
  }
})();
