// The calculator's module worker: loads Pyodide off the main thread, unpacks the calculator package and answers
// calls with JSON text (calculator.web.from_url / from_form). Started from a blob: URL (http/https) or a data: URL
// (file://) by app.js; it inherits the page's Content-Security-Policy.
//
// Integrity: pyodide.mjs, pyodide.asm.mjs, python_stdlib.zip and pyodide.asm.wasm are fetched with
// fetch(url, {integrity}) (sha384 from node_modules/pyodide, computed at build time); the two modules are imported
// from blob: URLs of those verified bytes (createPyodideModule is passed to loadPyodide, so Pyodide imports nothing
// by itself), the standard library is handed over as stdLibURL, and the wasm binary is handed to Pyodide's loader
// when it fetches indexURL + "pyodide.asm.wasm" (answerFetch). The lock file is inlined (lockFileContents).
//
// The Python snapshot (when the page has one, config.snapshot): Python's memory after the calculator was imported,
// made at build time (sitebuild/snapshot.py), served gzipped. It is fetched with its integrity, decompressed with
// DecompressionStream and passed to loadPyodide as _loadSnapshot, which skips Python's start and the imports. Any
// failure boots Python from scratch, as without a snapshot (init()).
//
// The standalone file (build.py --standalone) carries Pyodide's files and the snapshot in the page itself, base64
// in <script type="application/octet-stream"> blocks that app.js sends with the package. Each becomes a blob: URL
// and goes through the same checks (indexURL is then a name that leads nowhere else).
// The message types (MSG) come from messages.js, which build.py inlines ahead of this file.
"use strict";

let web = null;  // the calculator.web module (a PyProxy kept for the page's lifetime)
const functions = new Map();  // its functions by name, fetched on first use
const stored = new Map();  // texts sent once by the page (a pasted log), passed to calls as {ref: key}
let pyodide = null;
let receivePackage = null;
// The PACKAGE message, sent by app.js after parsing: the calculator zip (pkg) and, in the standalone file, Pyodide's
// files (pyodide: {file name: base64}).
const delivery = new Promise((resolve) => { receivePackage = resolve; });

function failure(kind, url, detail) {
  const e = new Error(detail || kind);
  e.kind = kind;
  e.url = url;
  return e;
}

async function fetchVerified(url, integrity) {
  let response;
  try {
    response = await fetch(url, { integrity, credentials: "omit" });
  } catch (err) {
    // A network error and an integrity mismatch look the same here; fetch again without the check to tell them apart.
    let plain = null;
    try { plain = await fetch(url, { credentials: "omit", cache: "no-store" }); } catch (e) { /* unreachable */ }
    if (plain && plain.ok) throw failure("integrity", url);
    throw failure("network", url, String(err && err.message || err));
  }
  if (!response.ok) throw failure("http", url, "HTTP " + response.status);
  return response.blob();
}

async function importVerified(url, integrity) {
  const bytes = await fetchVerified(url, integrity);
  const blobUrl = URL.createObjectURL(new Blob([bytes], { type: "text/javascript" }));
  try {
    return await import(blobUrl);
  } finally {
    URL.revokeObjectURL(blobUrl);
  }
}

function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

// The standalone file's Pyodide files, {name: base64}, as blob: URLs {name: url}.
function blobUrls(encoded) {
  const urls = {};
  for (const [name, text] of Object.entries(encoded || {})) {
    urls[name] = URL.createObjectURL(new Blob([decodeBase64(text)]));
  }
  return urls;
}

// Answer fetch(url) with `blob` until the returned function is called (Pyodide's loader fetches the wasm binary
// itself, from indexURL; the standalone file has it in memory, already verified).
function answerFetch(url, blob, type) {
  const realFetch = self.fetch;
  self.fetch = (input, init) => (String(input instanceof Request ? input.url : input) === url
    ? Promise.resolve(new Response(blob, { headers: { "Content-Type": type } }))
    : realFetch(input, init));
  return () => { self.fetch = realFetch; };
}

// Gunzip a Blob with the browser's own DecompressionStream (the snapshot is served precompressed).
async function gunzip(blob) {
  if (typeof DecompressionStream !== "function") throw failure("snapshot", "", "no DecompressionStream");
  const stream = blob.stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// The Python memory snapshot (build.py makes it; see sitebuild/snapshot.py): fetched, or taken from the standalone
// page, checked against its sha384, then decompressed. Throws on any failure; init() then boots without it.
async function loadSnapshot(spec) {
  let url = spec.url;
  if (spec.inline) {
    const text = (await delivery).snapshot;
    if (!text) throw failure("snapshot", "", "not in the page");
    url = URL.createObjectURL(new Blob([decodeBase64(text)]));
  }
  try {
    return await gunzip(await fetchVerified(url, spec.integrity));
  } finally {
    if (spec.inline) URL.revokeObjectURL(url);
  }
}

async function init(msg) {
  const t0 = performance.now();
  const base = msg.base;
  const files = msg.files;
  // The snapshot is optional: whatever goes wrong with it (missing, damaged, refused by this Pyodide or this
  // browser), the page boots Python as it would without one, and says why only in timings.snapshotFailure.
  let snapshotFailure = null;
  const snapshot = msg.snapshot
    ? loadSnapshot(msg.snapshot).catch((err) => { snapshotFailure = (err.kind || "error") + ": " + lastLine(err); })
    : Promise.resolve(null);
  const inline = msg.inline ? blobUrls((await delivery).pyodide) : null;
  const where = (name) => (inline ? inline[name] : base + name);
  let mjs, asm, stdlib, wasm;
  try {
    [mjs, asm, stdlib, wasm] = await Promise.all([
      importVerified(where("pyodide.mjs"), files["pyodide.mjs"]),
      importVerified(where("pyodide.asm.mjs"), files["pyodide.asm.mjs"]),
      fetchVerified(where("python_stdlib.zip"), files["python_stdlib.zip"]),
      fetchVerified(where("pyodide.asm.wasm"), files["pyodide.asm.wasm"]),
    ]);
  } catch (err) {
    // Name the file, not its blob: URL, when one carried by the standalone page fails its check.
    if (inline && err.url) err.url = Object.keys(inline).find((name) => inline[name] === err.url) || err.url;
    throw err;
  } finally {
    for (const url of Object.values(inline || {})) URL.revokeObjectURL(url);
  }
  const snap = await snapshot;
  const tFetched = performance.now();
  const logs = [];
  // One start of Python, from the snapshot's memory or from scratch. Pyodide's loader fetches the wasm binary from
  // indexURL; the worker answers that request with the bytes it has verified.
  async function start(memory) {
    const stdLibURL = URL.createObjectURL(stdlib);
    const restoreFetch = answerFetch(new URL(base + "pyodide.asm.wasm").href, wasm, "application/wasm");
    try {
      return await mjs.loadPyodide({
        indexURL: base,
        packageBaseUrl: base,
        createPyodideModule: asm.default,
        stdLibURL,
        lockFileContents: msg.lock,
        stdout: (line) => logs.push(line),
        stderr: (line) => logs.push(line),
        ...(memory ? { _loadSnapshot: memory } : {}),
      });
    } finally {
      URL.revokeObjectURL(stdLibURL);
      restoreFetch();
    }
  }
  // The calculator package: in the page (base64, with the PACKAGE message), or, beside a snapshot, a file fetched
  // with its integrity only when Python boots without the snapshot.
  async function packageBytes() {
    if (msg.package) return new Uint8Array(await (await fetchVerified(msg.package.url, msg.package.integrity))
      .arrayBuffer());
    return decodeBase64((await delivery).pkg);
  }
  let boot = "plain";
  if (snap) {
    // The snapshot holds every module of the package, imported (sitebuild/make_snapshot.mjs): no files needed.
    try {
      pyodide = await start(snap);
      web = pyodide.pyimport("calculator.web");
      boot = "snapshot";
    } catch (err) {
      snapshotFailure = "refused: " + lastLine(err);
      pyodide = null;
      web = null;
      functions.clear();
    }
  }
  if (!pyodide) {
    let pkg;
    [pyodide, pkg] = await Promise.all([start(null), packageBytes()]);
    pyodide.unpackArchive(pkg, "zip");
    web = pyodide.pyimport("calculator.web");
  }
  const tPyodide = performance.now();
  // The answer to the link the page was opened with. from_url answers every link with a result or errors; should
  // it raise all the same, the page still becomes ready, on the defaults, with the failure named: "Python did not
  // start" is only for Python itself failing.
  const lang = String(msg.lang || "en");  // the page's language: Python's texts in it
  let initial;
  let initialError = null;
  try {
    initial = String(pythonFunction("from_url")(String(msg.query || ""), lang));
  } catch (err) {
    initialError = lastLine(err);
    initial = String(pythonFunction("from_url")("", lang));
  }
  const tReady = performance.now();
  return {
    initial,
    initialError,
    logs,
    timings: { fetchMs: tFetched - t0, pyodideMs: tPyodide - t0, readyMs: tReady - t0, boot, snapshotFailure },
  };
}

// A Python exception's message is its whole traceback; the page shows its last line ("OverflowError: ...").
function lastLine(err) {
  const lines = String(err && err.message || err).trim().split("\n");
  return lines[lines.length - 1];
}

// calculator.web's public functions take and return JSON text (or plain strings), so no Python object ever
// crosses into JavaScript.
function pythonFunction(name) {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error("not a calculator.web function: " + name);
  if (!functions.has(name)) {
    const fn = web[name];
    if (typeof fn !== "function") throw new Error("calculator.web has no function " + name);
    functions.set(name, fn);
  }
  return functions.get(name);
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === MSG.INIT) {
    init(msg).then(
      (ready) => self.postMessage({ type: MSG.READY, ...ready }),
      (err) => self.postMessage({
        type: MSG.FAIL, kind: err.kind || "error", url: err.url || "", message: String(err && err.message || err),
      }),
    );
  } else if (msg.type === MSG.PACKAGE) {
    receivePackage(msg);
  } else if (msg.type === MSG.STORE) {
    stored.set(msg.key, msg.text);
  } else if (msg.type === MSG.CALL) {
    // Every call is answered, with the text or with an error: the page's promise never waits forever.
    try {
      if (!web) throw new Error("Python is not loaded");
      const args = (Array.isArray(msg.args) ? msg.args : []).map((a) => {
        if (typeof a === "string") return a;
        if (!a || !stored.has(a.ref)) throw new Error("no stored text " + (a && a.ref));
        return stored.get(a.ref);
      });
      const text = pythonFunction(msg.fn)(...args);
      self.postMessage({ type: MSG.RESULT, id: msg.id, text: String(text) });
    } catch (err) {
      self.postMessage({ type: MSG.RESULT, id: msg.id, error: lastLine(err) });
    }
  }
};
