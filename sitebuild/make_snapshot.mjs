// Makes the page's Python memory snapshot: Pyodide booted, the calculator package unpacked and every module of it
// imported, calculator.web called once per language; then the whole WebAssembly memory, as Pyodide's (experimental,
// underscore-named) snapshot API writes it. sitebuild/snapshot.py runs this with Node and the pinned npm package, no
// network, and caches the result keyed by the hash of its inputs.
//
//   node sitebuild/make_snapshot.mjs <pyodide dir> <package.zip> <languages, comma-separated> <out file>
//
// The snapshot is tied to the exact Pyodide build (its wasm, its stdlib): the page checks the snapshot's hash and
// boots as before, without it, when it is missing, damaged or refused.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, zipPath, langs, outPath] = process.argv.slice(2);
if (!outPath) {
  process.stderr.write("usage: node make_snapshot.mjs <pyodide dir> <package.zip> <languages> <out file>\n");
  process.exit(2);
}
try {
  const dir = path.resolve(pyodideDir);
  const { loadPyodide } = await import(pathToFileURL(path.join(dir, "pyodide.mjs")).href);
  const toStderr = (line) => process.stderr.write(line + "\n");
  const pyodide = await loadPyodide({ indexURL: dir + path.sep, _makeSnapshot: true, stdout: toStderr,
                                      stderr: toStderr });
  pyodide.unpackArchive(new Uint8Array(await readFile(zipPath)), "zip");
  // Every module of the package (the page imports some on first use), then one call per language, so the snapshot
  // holds them compiled and initialised.
  pyodide.runPython(`
import importlib, pkgutil, calculator
for _m in pkgutil.walk_packages(calculator.__path__, "calculator."):
    importlib.import_module(_m.name)
import calculator.web
for _lang in ${JSON.stringify(langs.split(","))}:
    calculator.web.from_url("", _lang)
del _m, _lang
`);
  await writeFile(outPath, pyodide.makeMemorySnapshot());
  process.exit(0);
} catch (err) {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
}
