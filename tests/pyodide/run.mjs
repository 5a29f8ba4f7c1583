// Runs the calculator inside Pyodide under Node, the way the page does, and prints one JSON document.
//
//   node tests/pyodide/run.mjs <package.zip> <scenarios.json> [<pyodide dir>]
//
// The zip is build.package_zip()'s bytes (root calculator/...); like the page, it is unpacked with
// pyodide.unpackArchive(Uint8Array, "zip"), then tests/pyodide/driver.py runs every scenario and returns JSON text
// (text, not proxies: Pyodide 314's dict.toJs() gives a plain Object and None becomes jsnull). Works offline: the
// indexURL is the npm package's own folder. Python's own print output goes to stderr, so stdout is only the JSON.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const [zipPath, scenariosPath, pyodideArg] = process.argv.slice(2);
if (!zipPath || !scenariosPath) {
  process.stderr.write("usage: node run.mjs <package.zip> <scenarios.json> [<pyodide dir>]\n");
  process.exit(2);
}
const pyodideDir = path.resolve(pyodideArg ?? path.join(here, "..", "..", "node_modules", "pyodide"));

try {
  const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
  const toStderr = (line) => process.stderr.write(line + "\n");
  const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: toStderr, stderr: toStderr });

  pyodide.unpackArchive(new Uint8Array(await readFile(zipPath)), "zip");

  const ns = pyodide.globals.get("dict")();
  pyodide.runPython(await readFile(path.join(here, "driver.py"), "utf8"), { globals: ns });
  const runAll = ns.get("run_all");
  const text = runAll(await readFile(scenariosPath, "utf8"));
  runAll.destroy();
  ns.destroy();
  process.stdout.write(text + "\n", () => process.exit(0));
} catch (err) {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
}
