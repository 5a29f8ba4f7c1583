"""The static server for a built site: `python build.py --serve`, the tests and the benchmark (bench/) use it.

Static files with the MIME types Pyodide needs, optional CORS (serving Pyodide as a CDN would) and optional gzip of
text types (as GitHub Pages serves them), on 127.0.0.1 only.
"""

from __future__ import annotations

import functools
import http.server
import io
import sys
import threading
from pathlib import Path
from typing import Any

MIME_TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
              ".json": "application/json", ".zip": "application/zip", ".html": "text/html; charset=utf-8",
              ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".txt": "text/plain",
              ".gz": "application/gzip"}  # .gz: as GitHub Pages types it, with no Content-Encoding
# What the server may gzip (as GitHub Pages does for text): HTML, CSS, JavaScript (.js, .mjs), JSON, SVG, plain text.
# The wasm binary and the zips go as they are, so the byte counts stay conservative for hosts that do not compress them.
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (a q=0 refuses it)."""
    for part in (header or "").lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            q = params.strip()
            return not (q.startswith("q=") and q[2:].strip() in ("0", "0.0", "0.00", "0.000"))
    return False


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types Pyodide needs (application/wasm for streaming compilation, text/javascript
    for .mjs); optional CORS, for serving Pyodide as if from a CDN; optional gzip of text types (Content-Encoding:
    gzip, compressed on first request and kept in memory), as GitHub Pages serves them."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    cors = False
    gzip = False
    max_age: int | None = None  # None: Cache-Control no-cache (revalidate every time); N: max-age=N
    _gzipped: dict[tuple[str, int, int], bytes] = {}  # (path, mtime_ns, size) -> gzip bytes, shared by all servers

    def end_headers(self) -> None:
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-cache" if self.max_age is None else f"max-age={self.max_age}")
        super().end_headers()

    def _gzip_target(self) -> tuple[str, str] | None:
        """(file, Content-Type) when this GET/HEAD should be answered gzipped, else None (the plain path)."""
        import os
        from urllib.parse import urlsplit

        if not self.gzip or not accepts_gzip(self.headers.get("Accept-Encoding", "")):
            return None
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return None  # the plain path redirects to the slash
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return None
        ctype = self.guess_type(path)
        return (path, ctype) if ctype.startswith(GZIP_TYPES) else None

    def send_head(self) -> Any:
        import gzip as gzip_module
        import os

        target = self._gzip_target()
        if target is None:
            return super().send_head()
        path, ctype = target
        st = os.stat(path)
        key = (path, st.st_mtime_ns, st.st_size)
        body = self._gzipped.get(key)
        if body is None:
            with open(path, "rb") as f:
                body = gzip_module.compress(f.read(), compresslevel=6, mtime=0)
            self._gzipped[key] = body
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(st.st_mtime)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: one line per request is noise here
        pass


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the browser closed a connection early (a cancelled fetch, a closed tab): not an error
        super().handle_error(request, client_address)


def make_server(directory: Path | str, port: int = 0, cors: bool = False, gzip: bool = False,
                max_age: int | None = None) -> SiteServer:
    """A threaded HTTP server for `directory` on 127.0.0.1 (port 0: any free port); call serve_forever().
    gzip=True: text types go gzipped to clients that accept it (as on GitHub Pages); the benchmark uses it.
    max_age: let browsers reuse a file for that many seconds without asking (GitHub Pages sends max-age=600)."""
    handler = type("Handler", (SiteHandler,), {"cors": cors, "gzip": gzip, "max_age": max_age})
    return SiteServer(("127.0.0.1", port), functools.partial(handler, directory=str(directory)))


def serve_in_thread(directory: Path | str, port: int = 0, cors: bool = False,
                    gzip: bool = False, max_age: int | None = None) -> tuple[Any, str]:
    """Start make_server() in a daemon thread; returns (server, base URL). Stop with server.shutdown()."""
    server = make_server(directory, port, cors, gzip, max_age)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def serve(directory: Path | str, port: int, note: str = "") -> None:
    """`python build.py --serve`: serve `directory` until Ctrl+C, saying where (and `note`, in brackets, if any)."""
    server = make_server(directory, port)
    print(f"Serving {directory} at http://127.0.0.1:{server.server_address[1]}/  (Ctrl+C to stop)", flush=True)
    if note:
        print(f"({note})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
