// The messages between the page and the calculator's worker, each type named once. build.py inlines this file ahead
// of head.js (the page's side, read by head.js and app.js) and ahead of worker.js (the worker's side).
//   page -> worker: INIT (where Pyodide is), PACKAGE (the calculator zip), STORE (a text kept for later calls),
//                   CALL (a calculator.web function and its string arguments)
//   worker -> page: READY (Python is loaded; the first result), FAIL (loading failed: kind, url, message),
//                   RESULT (a call's text, or its error)
const MSG = Object.freeze({
  INIT: "init", PACKAGE: "package", STORE: "store", CALL: "call", READY: "ready", FAIL: "fail", RESULT: "result",
});
